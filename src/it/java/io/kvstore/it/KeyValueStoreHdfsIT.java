package io.kvstore.it;

import io.kvstore.AbstractKeyValueStoreContractTest;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/** The store contract on HDFS: one MiniDFSCluster shared by every test of the class. */
public final class KeyValueStoreHdfsIT extends AbstractKeyValueStoreContractTest {
  private static final AtomicInteger DIRS = new AtomicInteger();
  private static MiniDFSCluster cluster;
  private static Configuration conf;

  /** Starts one datanode's HDFS under target/. */
  @BeforeClass
  public static void startCluster() throws IOException {
    File base = new File("target/test-data/" + KeyValueStoreHdfsIT.class.getSimpleName());
    FileUtil.fullyDelete(base);
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    cluster.waitActive();
    conf = new Configuration(cluster.getConfiguration(0));
    // A closing stream polls the namenode until its last block is reported, first after 400 ms
    // by default: most of the time of a test that writes many small files.
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
  }

  /** Stops the cluster. */
  @AfterClass
  public static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Override
  protected Configuration baseConf() {
    return conf;
  }

  @Override
  protected Path newTestDir() throws IOException {
    return cluster.getFileSystem().makeQualified(new Path("/contract-" + DIRS.incrementAndGet()));
  }
}
