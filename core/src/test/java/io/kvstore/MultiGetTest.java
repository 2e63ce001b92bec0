package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.Routing;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Multi-get ({@code getAll}) and copies into caller buffers against the model of a store, on
 * every read path: memory maps (in chunks small enough that records cross chunk boundaries),
 * positional reads with 1 and 4 reads at once, a mix of both in one reader, and partitions whose
 * key ranges overlap. Batches hold present, absent and duplicate keys of many partitions.
 */
public final class MultiGetTest {
  private static final int KEYS = 3000;

  /** Stores shared by the tests: they only read them. */
  @ClassRule
  public static final TemporaryFolder TMP = new TemporaryFolder();

  private static NavigableMap<byte[], byte[]> content;
  private static Path store;
  private static Path overlapping;

  private static byte[] key(int i) {
    return b(String.format("k%07d", 2 * i));
  }

  private static byte[] absentKey(int i) {
    return b(String.format("k%07d", 2 * i + 1));
  }

  /** Values of 0 to 1,200 bytes, so both of ValueHit's copy loops and their tails run. */
  private static byte[] value(int i) {
    int length = i % 10 == 0 ? 600 + i % 601 : i % 37;
    return StoreTestSupport.value(i, length);
  }

  /** A store of about 20 partitions, and one of 20 partitions whose key ranges all overlap. */
  @BeforeClass
  public static void writeStores() throws Exception {
    content = model();
    for (int i = 0; i < KEYS; i++) {
      content.put(key(i), value(i));
    }
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 20 * 1024);
    store = new Path(TMP.newFolder().getAbsolutePath(), "store");
    StoreTestSupport.writeAll(KeyValueSystem.Factory.create(conf).createStore(store), content);
    overlapping = new Path(new File(TMP.newFolder(), "overlap").toURI());
    ManualStores.build(overlapping, content, 20,
        k -> Math.floorMod(Arrays.hashCode(k), 20), Routing.byRange());
  }

  private static KeyValueStoreReader open(Path dir, Configuration conf) throws Exception {
    return KeyValueSystem.Factory.create(conf).openStore(dir);
  }

  /** Read paths, by name: the settings of each. */
  private static Map<String, Configuration> readPaths() {
    Map<String, Configuration> paths = new java.util.LinkedHashMap<>();
    Configuration maps = new Configuration();
    // 4 KB chunks: many records lie in the overlap of two chunks.
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(maps, 4096);
    paths.put("memory maps", maps);
    Configuration heapIndex = new Configuration();
    // Records mapped, hash index read into heap: the multi-get loads its slots from the heap.
    KeyValueConf.READ_MMAP_INDEX.setBoolean(heapIndex, false);
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(heapIndex, 4096);
    paths.put("memory maps, index in heap", heapIndex);
    for (int parallelism : new int[] {1, 4}) {
      Configuration positional = new Configuration();
      KeyValueConf.READ_MMAP.setBoolean(positional, false);
      KeyValueConf.LOOKUP_READ_BYTES.setLong(positional, 64);
      KeyValueConf.READ_LOOKUP_PARALLELISM.setLong(positional, parallelism);
      paths.put("positional reads, " + parallelism + " at once", positional);
    }
    Configuration mixed = new Configuration();
    KeyValueConf.READ_MMAP_MAX_MAPS.setLong(mixed, 5);
    KeyValueConf.READ_LOOKUP_PARALLELISM.setLong(mixed, 3);
    paths.put("5 partitions mapped, the rest positional", mixed);
    return paths;
  }

  /** A batch of present, absent and repeated keys in a random order, with its expected answers. */
  private static List<byte[]> batch(Random random, int size) {
    List<byte[]> keys = new ArrayList<>();
    for (int j = 0; j < size; j++) {
      int i = random.nextInt(KEYS);
      switch (random.nextInt(6)) {
        case 0:
          keys.add(absentKey(i));
          break;
        case 1:
          // Outside every partition's range, or the empty key.
          keys.add(random.nextBoolean() ? b("z" + i) : new byte[0]);
          break;
        case 2:
          keys.add(keys.isEmpty() ? key(i) : keys.get(random.nextInt(keys.size())).clone());
          break;
        default:
          keys.add(key(i));
      }
    }
    return keys;
  }

  private static void assertBatch(String what, KeyValueStoreReader reader, byte[][] keys)
      throws Exception {
    byte[][] values = reader.getAll(keys);
    assertEquals(what, keys.length, values.length);
    int total = 0;
    for (int i = 0; i < keys.length; i++) {
      assertArrayEquals(what + ": keys[" + i + "] " + Bytes.toPrintable(keys[i]),
          content.get(keys[i]), values[i]);
      total += values[i] == null ? 0 : values[i].length;
    }
    for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(total + 7),
        ByteBuffer.allocateDirect(total + 7)}) {
      buffer.position(3);
      int[] lengths = new int[keys.length + 2];
      assertEquals(what, keys.length, reader.getAll(keys, buffer, lengths));
      assertEquals(what + ": buffer position", 3 + total, buffer.position());
      int at = 3;
      for (int i = 0; i < keys.length; i++) {
        byte[] expected = content.get(keys[i]);
        if (expected == null) {
          assertEquals(what + ": length of absent keys[" + i + "]", -1, lengths[i]);
        } else {
          assertEquals(what + ": length of keys[" + i + "]", expected.length, lengths[i]);
          byte[] got = new byte[lengths[i]];
          buffer.duplicate().position(at).get(got);
          assertArrayEquals(what + ": copied value of keys[" + i + "]", expected, got);
          at += lengths[i];
        }
      }
    }
  }

  @Test
  public void getAllAnswersLikeTheModelOnEveryReadPath() throws Exception {
    for (Map.Entry<String, Configuration> path : readPaths().entrySet()) {
      for (Path dir : new Path[] {store, overlapping}) {
        try (KeyValueStoreReader reader = open(dir, path.getValue())) {
          String what = path.getKey() + ", " + dir.getName();
          Random random = new Random(path.getKey().hashCode() + dir.getName().hashCode());
          for (int size : new int[] {1, 2, 15, 16, 17, 31, 32, 33, 100, 1000}) {
            assertBatch(what + ", batch of " + size, reader, batch(random, size)
                .toArray(new byte[0][]));
          }
          // Every key once, in key order, in one batch.
          assertBatch(what + ", every key", reader, content.keySet().toArray(new byte[0][]));
          long before = reader.statistics().getLookups();
          reader.getAll(new byte[][] {key(1), key(1), absentKey(1)});
          assertEquals("a multi-get counts one lookup per key", before + 3,
              reader.statistics().getLookups());
        }
      }
    }
  }

  @Test
  public void emptyBatchReadsNothing() throws Exception {
    try (KeyValueStoreReader reader = open(store, new Configuration())) {
      assertEquals(0, reader.getAll(new byte[0][]).length);
      ByteBuffer buffer = ByteBuffer.allocate(4);
      assertEquals(0, reader.getAll(new byte[0][], buffer, new int[0]));
      assertEquals(0, buffer.position());
      assertEquals(0, reader.statistics().getLookups());
      assertEquals(0, reader.statistics().getRecordReads());
    }
  }

  @Test
  public void nullKeyIsRefusedNamingItsIndexBeforeAnyRead() throws Exception {
    try (KeyValueStoreReader reader = open(store, new Configuration())) {
      byte[][] keys = {key(1), key(2), null, key(3)};
      NullPointerException e = expect(NullPointerException.class, () -> reader.getAll(keys));
      assertContains(e.getMessage(), "keys[2]");
      e = expect(NullPointerException.class,
          () -> reader.getAll(keys, ByteBuffer.allocate(100), new int[4]));
      assertContains(e.getMessage(), "keys[2]");
      expect(NullPointerException.class, () -> reader.getAll(null));
      assertEquals(0, reader.statistics().getRecordReads());
      expect(IllegalArgumentException.class,
          () -> reader.getAll(new byte[][] {key(1)}, ByteBuffer.allocate(100), new int[0]));
      expect(ReadOnlyBufferException.class, () -> reader.getAll(new byte[][] {key(1)},
          ByteBuffer.allocate(100).asReadOnlyBuffer(), new int[1]));
    }
  }

  @Test
  public void valuesBufferTooSmallStopsAtTheFirstKeyThatDoesNotFit() throws Exception {
    for (Map.Entry<String, Configuration> path : readPaths().entrySet()) {
      try (KeyValueStoreReader reader = open(store, path.getValue())) {
        // Values of 11 bytes, absent, 620 bytes, 12 bytes.
        byte[][] keys = {key(11), absentKey(4), key(20), key(12)};
        byte[] v0 = content.get(keys[0]);
        ByteBuffer buffer = ByteBuffer.allocate(v0.length + 100);
        int[] lengths = new int[4];
        Arrays.fill(lengths, 99);
        assertEquals(path.getKey(), 2, reader.getAll(keys, buffer, lengths));
        assertEquals(v0.length, lengths[0]);
        assertEquals(-1, lengths[1]);
        assertEquals("length of the value that did not fit", 620, lengths[2]);
        assertEquals("the position stops after the values copied", v0.length, buffer.position());
        assertArrayEquals(v0, Arrays.copyOf(buffer.array(), v0.length));
        // Resuming from the key that did not fit with more room answers the rest.
        ByteBuffer more = ByteBuffer.allocate(1000);
        assertEquals(2, reader.getAll(Arrays.copyOfRange(keys, 2, 4), more, lengths));
        assertEquals(620 + content.get(key(12)).length, more.position());
      }
    }
  }

  @Test
  public void getIntoCallerBuffersCopiesOrSignalsTooSmall() throws Exception {
    for (Map.Entry<String, Configuration> path : readPaths().entrySet()) {
      try (KeyValueStoreReader reader = open(store, path.getValue())) {
        String what = path.getKey();
        byte[] dest = new byte[1300];
        for (int i = 0; i < KEYS; i += 7) {
          byte[] expected = value(i);
          Arrays.fill(dest, (byte) 0x5A);
          assertEquals(what, expected.length, reader.get(key(i), dest, 5));
          assertArrayEquals(what + " key " + i, expected,
              Arrays.copyOfRange(dest, 5, 5 + expected.length));
          assertEquals("byte after the value untouched", 0x5A, dest[5 + expected.length]);
          assertEquals(-1, reader.get(absentKey(i), dest, 0));
          ByteBuffer heap = ByteBuffer.allocate(1300).position(9);
          ByteBuffer direct = ByteBuffer.allocateDirect(1300).position(9);
          for (ByteBuffer buf : new ByteBuffer[] {heap, direct}) {
            assertEquals(expected.length, reader.get(key(i), buf));
            assertEquals(9 + expected.length, buf.position());
            byte[] got = new byte[expected.length];
            buf.duplicate().position(9).get(got);
            assertArrayEquals(what + " key " + i + " into a buffer", expected, got);
            assertEquals(-1, reader.get(absentKey(i), buf));
          }
          if (expected.length > 0) {
            // One byte short: the length comes back and nothing is copied.
            byte[] small = new byte[expected.length - 1 + 3];
            assertEquals(expected.length, reader.get(key(i), small, 3));
            assertArrayEquals(new byte[small.length], small);
            ByteBuffer shortBuf = ByteBuffer.allocate(expected.length + 1).position(2);
            assertEquals(expected.length, reader.get(key(i), shortBuf));
            assertEquals("position unmoved", 2, shortBuf.position());
          }
        }
        expect(IndexOutOfBoundsException.class, () -> reader.get(key(1), dest, 1301));
        expect(IndexOutOfBoundsException.class, () -> reader.get(key(1), dest, -1));
        expect(NullPointerException.class, () -> reader.get(null, dest, 0));
        expect(ReadOnlyBufferException.class,
            () -> reader.get(key(1), ByteBuffer.allocate(10).asReadOnlyBuffer()));
        assertEquals("the dest offset may be its end when the value is empty", 0,
            reader.get(key(37), dest, dest.length));
      }
    }
  }

  /**
   * A copy into the caller's array allocates nothing on the lookup path of a memory-mapped
   * store, record checksums checked (the default), even before the JIT compiles it (no escape
   * analysis to rely on). The checksum check used to make a buffer view per record, which only
   * escape analysis removed, and not in every compilation (JMH: 64 bytes a lookup in one run
   * of nine).
   */
  @Test
  public void getIntoAnArrayAllocatesNothingPerLookup() throws Exception {
    Configuration conf = new Configuration();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    try (KeyValueStoreReader reader = open(store, conf)) {
      // Values under 128 bytes, whose lengths take one varint byte.
      int[] picks = new int[2000];
      byte[][] keys = new byte[picks.length][];
      for (int j = 0; j < picks.length; j++) {
        int i = j * 3 % KEYS;
        i = i % 10 == 0 ? i + 1 : i;
        keys[j] = key(i);
        picks[j] = value(i).length;
      }
      byte[] dest = new byte[200];
      for (int j = 0; j < keys.length; j++) {
        assertEquals(picks[j], reader.get(keys[j], dest, 0));
      }
      long tid = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(tid);
      long sum = 0;
      for (int round = 0; round < 5; round++) {
        for (byte[] k : keys) {
          sum += reader.get(k, dest, 0);
        }
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      assertTrue(sum > 0);
      assertTrue("allocated " + allocated + " bytes in 10,000 lookups", allocated < 1000);
    }
  }

  @Test
  public void getAllRacingCloseOnMapsAnswersFullyOrRefuses() throws Exception {
    raceWithClose(new Configuration());
  }

  @Test
  public void getAllRacingCloseOnPositionalReadsAnswersFullyOrRefuses() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    KeyValueConf.READ_LOOKUP_PARALLELISM.setLong(conf, 4);
    raceWithClose(conf);
  }

  /**
   * Rounds of 3 threads running multi-gets while the main thread closes the reader: each batch
   * returns every right value or throws IllegalStateException, never a partial or wrong answer
   * and never a crash on an unmapped buffer.
   */
  private static void raceWithClose(Configuration conf) throws Exception {
    int threads = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong batches = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try {
      for (int round = 0; round < 40; round++) {
        KeyValueStoreReader reader = open(store, conf);
        CountDownLatch started = new CountDownLatch(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Random random = new Random(round * threads + t);
          done.add(pool.submit(() -> {
            started.countDown();
            while (true) {
              byte[][] keys = batch(random, 40).toArray(new byte[0][]);
              byte[][] values;
              try {
                values = reader.getAll(keys);
              } catch (IllegalStateException e) {
                assertContains(e.getMessage(), "is closed");
                refused.incrementAndGet();
                return null;
              }
              for (int i = 0; i < keys.length; i++) {
                assertArrayEquals(content.get(keys[i]), values[i]);
              }
              batches.incrementAndGet();
            }
          }));
        }
        started.await();
        Thread.sleep(round % 3);
        reader.close();
        for (Future<?> f : done) {
          f.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("getAll racing close: " + batches + " batches, " + refused + " refused");
    assertEquals(40L * threads, refused.get());
    assertEquals(0, ProcessMaps.count(store.toUri().getPath()));
  }

  @Test
  public void closedReaderRefusesEveryForm() throws Exception {
    KeyValueStoreReader reader = open(store, new Configuration());
    reader.close();
    expect(IllegalStateException.class, () -> reader.getAll(new byte[][] {key(1)}));
    expect(IllegalStateException.class,
        () -> reader.getAll(new byte[][] {key(1)}, ByteBuffer.allocate(9), new int[1]));
    expect(IllegalStateException.class, () -> reader.get(key(1), new byte[9], 0));
    expect(IllegalStateException.class, () -> reader.get(key(1), ByteBuffer.allocate(9)));
  }
}
