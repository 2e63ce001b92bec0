package io.kvstore.it;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreReadException;
import io.kvstore.TableReader;
import io.kvstore.TableTestSupport;
import io.kvstore.TableVersion;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A table on MiniDFSCluster served from local copies: lookups per second against direct HDFS
 * reads of the same version in the same run, the copy time per GB, and DataNodes stopped while
 * a new version is being copied (with a second replica the copy completes; with none the new
 * version is refused and the old keeps serving from its copy, HDFS or not).
 */
public class TableServingHdfsIT {
  private static final int KEYS = 300_000;
  private static final int PAD = 90;

  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private MiniDFSCluster cluster;
  private Configuration conf;
  private File local;
  private Path table;

  /** Two datanodes, two replicas. */
  @Before
  public void startCluster() throws IOException {
    File base = new File("target/test-data/" + getClass().getSimpleName());
    FileUtil.fullyDelete(base);
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    c.setInt("dfs.replication", 2);
    c.setInt("dfs.client.max.block.acquire.failures", 1);
    c.setInt("dfs.client.retry.window.base", 10);
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(2).build();
    cluster.waitActive();
    conf = new Configuration(cluster.getConfiguration(0));
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 0);
    local = tmp.newFolder("local");
    table = new Path(cluster.getFileSystem().getUri().toString() + "/tables/t");
  }

  /** Stops the cluster. */
  @After
  public void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static byte[] value(long version, int i) {
    byte[] head = TableTestSupport.value(version, i);
    byte[] v = Arrays.copyOf(head, head.length + PAD);
    Arrays.fill(v, head.length, v.length, (byte) '.');
    return v;
  }

  private TableVersion publish(Configuration c, long version) throws IOException {
    KeyValueSystem kvs = KeyValueSystem.Factory.create(c);
    Path store = new Path(cluster.getFileSystem().getUri().toString() + "/builds/v" + version);
    try (KeyValueStoreWriter w = kvs.createStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        w.put(TableTestSupport.key(i), value(version, i));
      }
    }
    return kvs.publishVersion(table, store);
  }

  private Configuration localCopies() {
    Configuration c = new Configuration(conf);
    KeyValueConf.LOCAL_COPY_DIR.setString(c, local.getAbsolutePath());
    return c;
  }

  private static void assertSample(KeyValueStoreReader reader, long version) throws IOException {
    for (int i = 0; i < KEYS; i += 997) {
      assertArrayEquals("key " + i, value(version, i), reader.get(TableTestSupport.key(i)));
    }
  }

  /** Every key, made once so that the lookup loops measure lookups, not key formatting. */
  private static final byte[][] KEY_BYTES = new byte[KEYS][];

  static {
    for (int i = 0; i < KEYS; i++) {
      KEY_BYTES[i] = TableTestSupport.key(i);
    }
  }

  /**
   * Random lookups of present keys for about {@code millis}, each value checked to be of
   * {@code version} (a single-digit version: its second byte); returns lookups per second.
   */
  private static double lookupsPerSecond(KeyValueStoreReader reader, long version, long millis)
      throws IOException {
    Random random = new Random(1);
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
    long n = 0;
    int length = value(version, 0).length;
    while ((n & 63) != 0 || System.nanoTime() < end) {
      int i = random.nextInt(KEYS);
      byte[] v = reader.get(KEY_BYTES[i]);
      if (v == null || v[1] != '0' + version || v.length != length) {
        throw new AssertionError("wrong value for key " + i);
      }
      n++;
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** Bytes in the local copy directory now (copies may come and go while it counts). */
  private long localBytes() {
    return bytesBelow(local);
  }

  private static long bytesBelow(File f) {
    File[] children = f.listFiles();
    if (children == null) {
      return f.length();
    }
    long n = 0;
    for (File c : children) {
      n += bytesBelow(c);
    }
    return n;
  }

  @Test
  public void localCopiesAgainstDirectHdfsReads() throws Exception {
    KeyValueSystem.Factory.create(conf).createTable(table);
    TableVersion v1 = publish(conf, 1);
    double direct;
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(table)) {
      assertSample(reader, 1);
      direct = lookupsPerSecond(reader, 1, 5_000);
    }
    long start = System.nanoTime();
    double copied;
    try (TableReader reader = KeyValueSystem.Factory.create(localCopies()).openTable(table)) {
      double openSeconds = (System.nanoTime() - start) / 1e9;
      assertSample(reader, 1);
      String partition = reader.partitions().get(0).getPath().toString();
      assertTrue(partition, partition.startsWith("file:" + local.getAbsolutePath()));
      lookupsPerSecond(reader, 1, 1_000); // page the maps in
      copied = lookupsPerSecond(reader, 1, 5_000);
      System.out.printf("Table on MiniDFSCluster, %d keys, %.1f MB: copy + open %.2f s"
          + " (%.1f s per GB); 1 thread: direct HDFS %.0f lookups/s, local copy %.0f lookups/s"
          + " (%.0fx)%n", KEYS, v1.getSizeBytes() / 1e6, openSeconds,
          openSeconds / (v1.getSizeBytes() / 1e9), direct, copied, copied / direct);
    }
    assertEquals("copies removed at close", 0, local.list().length);
    assertTrue(copied > direct);
  }

  @Test
  public void aDataNodeStoppedDuringACopyLeavesTheOtherReplicaToFinishIt() throws Exception {
    KeyValueSystem.Factory.create(conf).createTable(table);
    TableVersion v1 = publish(conf, 1);
    Configuration slow = localCopies();
    // The copy of one version takes about 4 s, so the datanode stops in the middle of it.
    KeyValueConf.LOCAL_COPY_BYTES_PER_SECOND.setLong(slow, v1.getSizeBytes() / 4);
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try (TableReader reader = KeyValueSystem.Factory.create(slow).openTable(table)) {
      publish(conf, 2);
      long before = localBytes();
      Future<Boolean> refresh = refresher.submit(reader::refresh);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (localBytes() < before + v1.getSizeBytes() / 8 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse("the copy is still running", refresh.isDone());
      cluster.stopDataNode(0);
      assertSample(reader, 1);
      assertTrue(refresh.get(120, TimeUnit.SECONDS));
      assertEquals(2, reader.currentVersion());
      assertSample(reader, 2);
    } finally {
      refresher.shutdownNow();
    }
  }

  @Test
  public void withNoReplicaLeftTheNewVersionIsRefusedAndTheOldServesFromItsCopy()
      throws Exception {
    KeyValueSystem.Factory.create(conf).createTable(table);
    TableVersion v1 = publish(conf, 1);
    Configuration slow = localCopies();
    KeyValueConf.LOCAL_COPY_BYTES_PER_SECOND.setLong(slow, v1.getSizeBytes() / 4);
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try (TableReader reader = KeyValueSystem.Factory.create(slow).openTable(table)) {
      publish(conf, 2);
      long before = localBytes();
      Future<Boolean> refresh = refresher.submit(reader::refresh);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (localBytes() < before + v1.getSizeBytes() / 8 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse("the copy is still running", refresh.isDone());
      cluster.stopDataNode(1);
      cluster.stopDataNode(0);
      java.util.concurrent.ExecutionException failed = expect(
          java.util.concurrent.ExecutionException.class, () -> refresh.get(300, TimeUnit.SECONDS));
      assertTrue(String.valueOf(failed.getCause()), failed.getCause() instanceof StoreReadException);
      assertContains(failed.getCause().getMessage(), "/tables/t/v-00000002/part-");
      assertEquals(1, reader.currentVersion());
      assertEquals(1, reader.statistics().getRefusals());
      // No datanode is up: version 1 still answers every lookup from its local copy.
      assertSample(reader, 1);
      assertEquals(KEYS, reader.size());
    } finally {
      refresher.shutdownNow();
    }
    assertEquals(new String(value(1, 0), StandardCharsets.UTF_8).substring(0, 2), "v1");
  }
}
