package io.kvstore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.BucketFunction;
import io.kvstore.format.RollingPartitionWriter;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The lookup cost the reader promises, counted rather than timed: about one record read per
 * present key and almost none per absent key, even when 100 partitions all overlap (the output of
 * a job with 100 hash-partitioned reducers), and exactly one partition consulted when the
 * manifest records the partitioner.
 */
public class LookupCostTest {
  private static final int PARTITIONS = 100;
  private static final int KEYS = 50_000;

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] key(int i) {
    return ByteBuffer.allocate(8).putInt(i).putInt(i * 31).array();
  }

  private static byte[] value(int i) {
    return ("v" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Writes KEYS pairs spread over PARTITIONS files the way a hash partitioner would. */
  private Path writeHashPartitionedStore(Configuration conf, Routing routing) throws Exception {
    Path dir = new Path(tmp.newFolder().getAbsolutePath(), "store");
    FileSystem fs = dir.getFileSystem(conf);
    FileOperations ops = FileOperations.of(fs);
    ops.mkdirs(dir);
    List<RollingPartitionWriter> writers = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      int bucket = p;
      writers.add(new RollingPartitionWriter(ops, dir, n -> "part-" + bucket + "-" + n + ".kvp", conf));
    }
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add(key(i));
    }
    Collections.sort(keys, Bytes::compare);
    BucketFunction function = routing.isByBucket() ? routing.function() : BucketFunction.KVSTORE_HASH64;
    for (byte[] k : keys) {
      int bucket = function.bucket(k, 0, k.length, routing.seed(), PARTITIONS);
      writers.get(bucket).put(k, value(ByteBuffer.wrap(k).getInt()));
    }
    List<PartitionInfo> infos = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      for (PartitionInfo info : writers.get(p).finish()) {
        infos.add(routing.isByBucket() ? info.withBucket(p) : info);
      }
    }
    new StoreManifest(routing, infos, Collections.emptyMap()).publish(ops, dir, false);
    return dir;
  }

  private static Configuration positionalReads() {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    KeyValueConf.WRITE_BUFFER_SIZE.setLong(conf, 16 * 1024);
    return conf;
  }

  @Test
  public void presentKeyCostsAboutOneReadAcrossHundredOverlappingPartitions() throws Exception {
    Configuration conf = positionalReads();
    Path store = writeHashPartitionedStore(conf, Routing.byRange());
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      assertEquals(PARTITIONS, reader.partitions().size());
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(i), reader.get(key(i)));
      }
      ReaderStatistics stats = reader.statistics();
      assertEquals(KEYS, stats.getLookups());
      System.out.println("present, 100 overlapping partitions: " + stats);
      assertTrue("reads per present lookup: " + stats, stats.getReadsPerLookup() < 1.05);
    }
  }

  @Test
  public void absentKeyCostsAlmostNoReadAcrossHundredOverlappingPartitions() throws Exception {
    Configuration conf = positionalReads();
    Path store = writeHashPartitionedStore(conf, Routing.byRange());
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        // Inside the partitions' key ranges, so only the hash index can rule them out.
        byte[] absent = ByteBuffer.allocate(8).putInt(i).putInt(i * 31 + 1).array();
        assertNull(reader.get(absent));
      }
      ReaderStatistics stats = reader.statistics();
      System.out.println("absent, 100 overlapping partitions: " + stats);
      assertTrue("reads per absent lookup: " + stats, stats.getReadsPerLookup() < 0.05);
    }
  }

  @Test
  public void recordedPartitionerRoutesEachLookupToOnePartition() throws Exception {
    Configuration conf = positionalReads();
    Path store = writeHashPartitionedStore(conf,
        Routing.byBucket(BucketFunction.KVSTORE_HASH64, 1234L, PARTITIONS));
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(i), reader.get(key(i)));
        assertNull(reader.get(ByteBuffer.allocate(8).putInt(i).putInt(i * 31 + 1).array()));
      }
      ReaderStatistics stats = reader.statistics();
      System.out.println("recorded partitioner, present and absent: " + stats);
      // One read per present key, none for absent ones, give or take fingerprint collisions
      // inside a single partition.
      assertTrue(stats.toString(), stats.getRecordReads() >= KEYS);
      assertTrue(stats.toString(), stats.getRecordReads() < KEYS * 1.002);
    }
  }

  /**
   * A record larger than the lookup read size takes a second positional read, and both count:
   * records on both sides of a 64-byte read size, looked up once each.
   */
  @Test
  public void recordReadsCountTheSecondReadOfLargeRecords() throws Exception {
    Configuration conf = positionalReads();
    KeyValueConf.LOOKUP_READ_BYTES.setLong(conf, 64);
    // Uncompressed: record sizes are the values' (a dictionary can learn a value verbatim).
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    Path store = new Path(tmp.newFolder().getAbsolutePath(), "mixed");
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    int keys = 200;
    int large = 0;
    try (KeyValueStoreWriter writer = kvs.createStore(store)) {
      for (int i = 0; i < keys; i++) {
        // 8-byte key + value + 6 bytes of lengths and CRC: 34 or 34 + 300 bytes.
        int length = i % 3 == 0 ? 320 : 20;
        large += i % 3 == 0 ? 1 : 0;
        writer.put(key(i), StoreTestSupport.value(i, length));
      }
    }
    try (KeyValueStoreReader reader = kvs.openStore(store)) {
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(StoreTestSupport.value(i, i % 3 == 0 ? 320 : 20), reader.get(key(i)));
      }
      ReaderStatistics stats = reader.statistics();
      assertEquals(stats.toString(), keys + large, stats.getRecordReads());
    }
  }

  /**
   * The heap an open reader holds, measured in a JVM of its own rather than taken from
   * {@link ReaderStatistics#getHeapBytes()} (a formula of the reader's own): heap in use after
   * full collections, before and after opening the store. An index read into heap
   * ({@code kvstore.read.mmap.index=false}) holds 8 bytes per hash slot and there are more slots
   * than keys, so a figure of 8 bytes per key or less would mean the measurement missed the
   * reader; a memory-mapped index (the default) holds only 4 bytes of checksum per chunk of 512
   * slots and a bit per chunk.
   */
  @Test
  public void openReaderHoldsLessThanSixteenHeapBytesPerKey() throws Exception {
    int keys = 200_000;
    Path store = new Path(tmp.newFolder().getAbsolutePath(), "dense");
    KeyValueSystem kvs = KeyValueSystem.Factory.create(new Configuration());
    try (KeyValueStoreWriter writer = kvs.createStore(store)) {
      for (int i = 0; i < keys; i++) {
        writer.put(ByteBuffer.allocate(16).putLong(0, i).array(), new byte[100]);
      }
    }
    long held = HeapProbe.measure(store, false);
    double perKey = held / (double) keys;
    System.out.println("200k keys, one partition, heap index: " + held + " heap bytes held, "
        + perKey + " per key");
    assertTrue(perKey + " heap bytes per key", perKey < 16);
    assertTrue(perKey + " heap bytes per key", perKey > 8);
    long mapped = HeapProbe.measure(store, true);
    System.out.println("200k keys, one partition, mapped index: " + mapped + " heap bytes held");
    assertTrue(mapped + " heap bytes held with a mapped index", mapped / (double) keys < 0.5);
  }

  /**
   * Measures, in a child JVM with the serial collector (whose {@code System.gc()} is a full,
   * compacting collection), the heap held by an open reader of a store.
   */
  public static final class HeapProbe {
    private static final String PREFIX = "HEAP_BYTES=";

    private HeapProbe() {}

    /**
     * Runs the probe on {@code store} in a child JVM; the heap bytes the open reader holds.
     *
     * @param mapIndex the reader's {@code kvstore.read.mmap.index}
     */
    static long measure(Path store, boolean mapIndex) throws Exception {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx512m",
          "-Dlog4j.configuration=" + System.getProperty("log4j.configuration", ""),
          "-cp", System.getProperty("java.class.path"), HeapProbe.class.getName(),
          store.toString(), Boolean.toString(mapIndex))
          .redirectErrorStream(true)
          .start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue("heap probe did not finish:\n" + output, child.waitFor(2, TimeUnit.MINUTES));
      assertEquals("heap probe failed:\n" + output, 0, child.exitValue());
      for (String line : output.split("\n")) {
        if (line.startsWith(PREFIX)) {
          return Long.parseLong(line.substring(PREFIX.length()).trim());
        }
      }
      throw new AssertionError("no " + PREFIX + " line from the heap probe:\n" + output);
    }

    /**
     * Opens the store once and closes it, so that classes, the configuration and the
     * filesystem cache are loaded; then prints the heap in use after the second opening minus
     * the heap in use before it.
     */
    public static void main(String[] args) throws Exception {
      Path store = new Path(args[0]);
      Configuration conf = new Configuration();
      KeyValueConf.READ_MMAP_INDEX.setBoolean(conf, Boolean.parseBoolean(args[1]));
      KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
      openAndLookUp(kvs, store).close();
      long before = usedAfterFullCollections();
      KeyValueStoreReader reader = openAndLookUp(kvs, store);
      long after = usedAfterFullCollections();
      Reference.reachabilityFence(reader);
      System.out.println(PREFIX + (after - before));
      reader.close();
    }

    /**
     * An open reader that has found one key. A method of its own, so that no local variable of
     * the caller's frame keeps the warm-up reader reachable during the measurement.
     */
    private static KeyValueStoreReader openAndLookUp(KeyValueSystem kvs, Path store)
        throws IOException {
      KeyValueStoreReader reader = kvs.openStore(store);
      if (reader.get(ByteBuffer.allocate(16).putLong(0, 7).array()) == null) {
        reader.close();
        throw new IllegalStateException("key 7 missing from " + store);
      }
      return reader;
    }

    private static long usedAfterFullCollections() throws InterruptedException {
      long least = Long.MAX_VALUE;
      // Several rounds: objects kept alive by finalizers or reference queues go in later ones.
      for (int round = 0; round < 4; round++) {
        System.gc();
        Thread.sleep(20);
        least = Math.min(least,
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      return least;
    }
  }
}
