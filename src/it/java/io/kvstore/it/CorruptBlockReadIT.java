package io.kvstore.it;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreReadException;
import io.kvstore.StoreTestSupport;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.BlockMissingException;
import org.apache.hadoop.hdfs.DFSTestUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A lookup whose record lies in an HDFS block with every replica corrupt fails with a kvstore
 * {@link StoreReadException} naming the partition file and offset (the HDFS
 * {@link BlockMissingException} as its cause), quickly when the client's retries are tuned down,
 * and lookups of records in healthy blocks of the same file still succeed.
 */
public class CorruptBlockReadIT {
  private static final int BLOCK = 1024 * 1024;
  private static final int KEYS = 1000;
  private static final int VALUE = 4096;

  private MiniDFSCluster cluster;

  /** Two datanodes, two replicas of every 1 MiB block. */
  @Before
  public void startCluster() throws IOException {
    File base = new File("target/test-data/" + getClass().getSimpleName());
    FileUtil.fullyDelete(base);
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    c.setLong("dfs.blocksize", BLOCK);
    c.setInt("dfs.replication", 2);
    // What the README tells users to tune: one failed round instead of 3, 10 ms windows.
    c.setInt("dfs.client.max.block.acquire.failures", 1);
    c.setInt("dfs.client.retry.window.base", 10);
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(2).build();
    cluster.waitActive();
  }

  /** Stops the cluster. */
  @After
  public void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  /** Writes a one-partition store of {@value #KEYS} pairs and returns its partition file. */
  private Path writeStore(KeyValueSystem kvs, Path store) throws IOException {
    try (KeyValueStoreWriter writer = kvs.createStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        writer.put(key(i), StoreTestSupport.value(i, VALUE));
      }
    }
    try (KeyValueStoreReader reader = kvs.openStore(store)) {
      assertEquals(1, reader.partitions().size());
      return reader.partitions().get(0).getPath();
    }
  }

  /** Inverts every byte of every replica of {@code block}. */
  private void corruptEveryReplica(LocatedBlock block) throws IOException {
    for (int dn = 0; dn < 2; dn++) {
      File replica = cluster.getBlockFile(dn, block.getBlock());
      try (RandomAccessFile f = new RandomAccessFile(replica, "rw")) {
        byte[] bytes = new byte[(int) f.length()];
        f.readFully(bytes);
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) ~bytes[i];
        }
        f.seek(0);
        f.write(bytes);
      }
    }
  }

  /**
   * The same failure in the block holding the footer and indexes happens while opening: the open
   * fails with a {@link StoreReadException} naming the partition file, not a raw HDFS exception.
   */
  @Test
  public void openWithTheIndexBlockUnreadableNamesThePartitionFile() throws Exception {
    Configuration conf = new Configuration(cluster.getConfiguration(0));
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path store = cluster.getFileSystem().makeQualified(new Path("/corrupt-index-block"));
    Path partition = writeStore(kvs, store);
    List<LocatedBlock> blocks = DFSTestUtil.getAllBlocks(cluster.getFileSystem(), partition);
    corruptEveryReplica(blocks.get(blocks.size() - 1));
    StoreReadException e = expect(StoreReadException.class, () -> kvs.openStore(store));
    assertContains(e.getMessage(), partition.toString());
    assertEquals(partition.toString(), e.getFile());
    assertTrue("cause: " + e.getCause(), e.getCause() instanceof BlockMissingException);
  }

  @Test
  public void lookupInABlockWithEveryReplicaCorruptNamesThePartitionFile() throws Exception {
    Configuration conf = new Configuration(cluster.getConfiguration(0));
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path store = cluster.getFileSystem().makeQualified(new Path("/corrupt-block"));
    Path partition = writeStore(kvs, store);
    List<LocatedBlock> blocks = DFSTestUtil.getAllBlocks(cluster.getFileSystem(), partition);
    assertTrue("blocks: " + blocks.size(), blocks.size() >= 4);
    // Every replica of the second block (records of keys ~255 to ~510) loses every byte; the
    // header (first block), indexes and footer (last block) stay intact so the store opens.
    corruptEveryReplica(blocks.get(1));
    try (KeyValueStoreReader reader = kvs.openStore(store)) {
      long start = System.nanoTime();
      StoreReadException e = expect(StoreReadException.class, () -> reader.get(key(400)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println("lookup in a block with every replica corrupt failed after " + millis
          + " ms: " + e.getMessage());
      assertContains(e.getMessage(), partition.toString(), "offset");
      assertEquals(partition.toString(), e.getFile());
      assertTrue("offset " + e.getOffset(), e.getOffset() >= BLOCK && e.getOffset() < 2 * BLOCK);
      assertTrue("cause: " + e.getCause(), e.getCause() instanceof BlockMissingException);
      // Records in healthy blocks of the same file are still served.
      for (int i = 0; i < KEYS; i += i < 200 || i > 600 ? 1 : 400) {
        assertArrayEquals(StoreTestSupport.value(i, VALUE), reader.get(key(i)));
      }
    }
    // Tuning is not needed for correctness, only for time: the reader's own setting is unchanged.
    assertEquals(64 * 1024, KeyValueConf.LOOKUP_READ_BYTES.getLong(conf));
  }
}
