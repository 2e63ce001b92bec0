package io.kvstore.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.Bytes;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Multi-get on HDFS, where every partition is read by positional reads: batches answer exactly
 * like single gets with 1 and 16 reads at once, the reads of a batch run on the reader's pool
 * (bounded by {@code kvstore.read.lookup.parallelism}), and a reader whose client has Hadoop's
 * hedged reads enabled ({@code dfs.client.hedged.read.*}, two replicas) still answers exactly;
 * records that lie close together are fetched by one read, never across an HDFS block.
 */
public final class MultiGetHdfsIT {
  private static final int KEYS = 6000;
  private static MiniDFSCluster cluster;
  private static Configuration conf;
  private static TreeMap<byte[], byte[]> pairs;
  private static Path store;

  /** Two datanodes, every block on both, so a hedged read has a second replica to ask. */
  @BeforeClass
  public static void startClusterAndWriteStore() throws IOException {
    File base = new File("target/test-data/" + MultiGetHdfsIT.class.getSimpleName());
    FileUtil.fullyDelete(base);
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    c.setInt("dfs.replication", 2);
    // Blocks of 16 KB for the store of the coalescing test, so its partitions span several.
    c.setLong("dfs.namenode.fs-limits.min-block-size", 4096);
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(2).build();
    cluster.waitActive();
    conf = new Configuration(cluster.getConfiguration(0));
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    pairs = ItStores.textPairs(KEYS, 60, 11);
    store = cluster.getFileSystem().makeQualified(new Path("/multiget"));
    ItStores.write(conf, store, pairs, 64 * 1024);
  }

  /** Stops the cluster. */
  @AfterClass
  public static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static byte[][] batch(Random random, int size) {
    List<byte[]> keys = new ArrayList<>();
    for (int j = 0; j < size; j++) {
      int i = random.nextInt(KEYS + KEYS / 4);
      byte[] key = String.format("k%07d", i).getBytes(StandardCharsets.UTF_8);
      keys.add(random.nextInt(8) == 0 && !keys.isEmpty() ? keys.get(random.nextInt(keys.size()))
          : key);
    }
    return keys.toArray(new byte[0][]);
  }

  private static void assertBatches(KeyValueStoreReader reader, String what) throws IOException {
    Random random = new Random(what.hashCode());
    for (int size : new int[] {1, 7, 100, 500}) {
      byte[][] keys = batch(random, size);
      byte[][] values = reader.getAll(keys);
      ByteBuffer buffer = ByteBuffer.allocate(size * 60);
      int[] lengths = new int[size];
      assertEquals(size, reader.getAll(keys, buffer, lengths));
      int at = 0;
      for (int i = 0; i < size; i++) {
        byte[] expected = pairs.get(keys[i]);
        String key = what + ", batch of " + size + ", " + Bytes.toPrintable(keys[i]);
        assertArrayEquals(key, expected, values[i]);
        assertEquals(key, expected == null ? -1 : expected.length, lengths[i]);
        if (expected != null) {
          byte[] copied = new byte[expected.length];
          System.arraycopy(buffer.array(), at, copied, 0, copied.length);
          assertArrayEquals(key + " (into a buffer)", expected, copied);
          at += copied.length;
        }
      }
    }
  }

  private static int poolThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("kvstore-read " + store)) {
        n++;
      }
    }
    return n;
  }

  @Test
  public void getAllOnHdfsAnswersExactlyWithOneOrManyReadsAtOnce() throws Exception {
    for (int parallelism : new int[] {1, 16}) {
      Configuration c = new Configuration(conf);
      KeyValueConf.READ_LOOKUP_PARALLELISM.setLong(c, parallelism);
      try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(c).openStore(store)) {
        assertTrue("partitions: " + reader.partitions().size(), reader.partitions().size() > 4);
        assertBatches(reader, "parallelism " + parallelism);
        int threads = poolThreads();
        // The calling thread is one of the reads: at most parallelism - 1 helpers.
        assertTrue("pool threads " + threads, threads <= parallelism - 1);
        if (parallelism > 1) {
          assertTrue("a batch of 500 keys on HDFS used no pool thread", threads > 0);
        }
      }
    }
  }

  @Test
  public void hedgedReadsServeExactAnswers() throws Exception {
    Configuration c = new Configuration(conf);
    // Hedged reads are a DFSClient setting: the reader needs a client of its own, not the cached
    // one the store was written with.
    c.setBoolean("fs.hdfs.impl.disable.cache", true);
    c.setInt("dfs.client.hedged.read.threadpool.size", 4);
    // 0 ms: every read asks the second replica at once, so the hedged path surely runs.
    c.setLong("dfs.client.hedged.read.threshold.millis", 0);
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(c).openStore(store)) {
      assertBatches(reader, "hedged reads");
      for (int i = 0; i < KEYS; i += 13) {
        byte[] key = String.format("k%07d", i).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(pairs.get(key), reader.get(key));
      }
      int hedgers = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("hedgedRead-")) {
          hedgers++;
        }
      }
      assertTrue("no hedged read thread ran: the setting did not reach the reader's client",
          hedgers > 0);
    }
  }

  @Test
  public void neighbouringRecordsShareReadsWithinAnHdfsBlock() throws Exception {
    Configuration small = new Configuration(conf);
    small.setBoolean("fs.hdfs.impl.disable.cache", true);
    small.setLong("dfs.blocksize", 16 * 1024);
    Path dir = cluster.getFileSystem().makeQualified(new Path("/multiget-small-blocks"));
    ItStores.write(small, dir, pairs, 64 * 1024);
    assertTrue("the partitions span several blocks",
        cluster.getFileSystem().getFileBlockLocations(
            cluster.getFileSystem().listStatus(dir, p -> p.getName().endsWith(".kvp"))[0], 0,
            64 * 1024).length > 2);
    byte[][] all = pairs.keySet().toArray(new byte[0][]);
    long[] reads = new long[2];
    long[] coalesce = {0, 64 * 1024};
    for (int v = 0; v < 2; v++) {
      Configuration c = new Configuration(conf);
      KeyValueConf.READ_LOOKUP_COALESCE_BYTES.setLong(c, coalesce[v]);
      try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(c).openStore(dir)) {
        long before = reader.statistics().getRecordReads();
        byte[][] values = reader.getAll(all);
        reads[v] = reader.statistics().getRecordReads() - before;
        for (int i = 0; i < all.length; i++) {
          assertArrayEquals("coalesce " + coalesce[v] + ", " + Bytes.toPrintable(all[i]),
              pairs.get(all[i]), values[i]);
        }
        assertBatches(reader, "coalesce " + coalesce[v] + ", 16 KB blocks");
      }
    }
    assertEquals("each record read by itself", KEYS, reads[0]);
    // 6,000 records of about 75 bytes in about 30 blocks of 16 KB: one read per block, and one
    // for each record that straddles two blocks.
    assertTrue("reads of " + KEYS + " neighbouring records: " + reads[1],
        reads[1] >= 20 && reads[1] <= 120);
  }
}
