package io.kvstore.spark;

import static io.kvstore.spark.SparkStores.assertExactStore;
import static io.kvstore.spark.SparkStores.key;
import static io.kvstore.spark.SparkStores.pairs;
import static io.kvstore.spark.SparkStores.value;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.KeyValueInputFormat;
import io.kvstore.mapreduce.KeyValueOutputFormat;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.Job;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import scala.Tuple2;

/**
 * Stores saved through Spark's own Hadoop write paths, in local mode, with no kvstore or
 * MapReduce setting: {@code saveAsNewAPIHadoopFile} with {@link KeyValueOutputFormat} and
 * {@code saveAsHadoopFile} with the old-API format, under Spark's commit protocol (fabricated
 * job ids, no task counts, {@code abortJob} without waiting for attempts). Each test checks
 * every pair and {@value SparkStores#ABSENT_KEYS} absent keys. One SparkContext,
 * {@code local[2,3]}: two cores, three attempts per task.
 */
public class SparkSaveAsStoreTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final AtomicInteger STORES = new AtomicInteger();
  private static JavaSparkContext sc;

  @BeforeClass
  public static void startSpark() {
    SparkConf conf = new SparkConf()
        .setMaster("local[2,3]")
        .setAppName("kvstore-spark-test")
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.sql.shuffle.partitions", "4");
    sc = new JavaSparkContext(conf);
  }

  @AfterClass
  public static void stopSpark() {
    if (sc != null) {
      sc.stop();
    }
  }

  private static Path newStore() {
    return new Path(new File(TMP.getRoot(), "store-" + STORES.incrementAndGet()).toURI());
  }

  private static Configuration conf() {
    return new Configuration(sc.hadoopConfiguration());
  }

  private static void saveNewApi(JavaPairRDD<BytesWritable, BytesWritable> rdd, Path store)
      throws Exception {
    saveNewApi(rdd, store, Job.getInstance(conf()));
  }

  /** Declares Exception: Spark's SparkException is checked but Scala methods never declare it. */
  private static void saveNewApi(JavaPairRDD<BytesWritable, BytesWritable> rdd, Path store,
      Job job) throws Exception {
    rdd.saveAsNewAPIHadoopFile(store.toString(), BytesWritable.class, BytesWritable.class,
        KeyValueOutputFormat.class, job.getConfiguration());
  }

  private static void assertPlainSave(int n, int partitions) throws Exception {
    Path store = newStore();
    saveNewApi(pairs(sc, n, partitions), store);
    assertExactStore(conf(), store, n);
    // Spark states no task count: every committed task was published.
    StoreManifest manifest = StoreManifest.read(store.getFileSystem(conf()), store);
    assertEquals("none", manifest.getProperties().get("kvstore.commit.stated.tasks"));
    assertEquals(Integer.toString(partitions),
        manifest.getProperties().get("kvstore.commit.tasks"));
  }

  /** The case: 4 partitions used to publish partition 0 alone (49,778 of 200,000). */
  @Test
  public void newApiSaveOfFourPartitionsPublishesEveryPair() throws Exception {
    assertPlainSave(200_000, 4);
  }

  @Test
  public void newApiSaveOfOnePartitionPublishesEveryPair() throws Exception {
    assertPlainSave(30_000, 1);
  }

  @Test
  public void newApiSaveOfSixteenPartitionsPublishesEveryPair() throws Exception {
    assertPlainSave(60_000, 16);
  }

  /** Partition 1's first attempt dies mid-write; its second attempt's output is the one kept. */
  @Test
  public void taskFailingItsFirstAttemptIsRetriedAndTheStoreIsExact() throws Exception {
    Path store = newStore();
    int n = 40_000;
    saveNewApi(failing(pairs(sc, n, 4), 1, 1), store);
    assertExactStore(conf(), store, n);
  }

  /**
   * Partition 2 fails every attempt: the job fails, Spark aborts it while other attempts may
   * still run, nothing is left at the path, and the same save then succeeds there.
   */
  @Test
  public void failedJobPublishesNothingAndARerunWorks() throws Exception {
    Path store = newStore();
    int n = 40_000;
    try {
      saveNewApi(failing(pairs(sc, n, 4), 2, Integer.MAX_VALUE), store);
      fail("the job must fail");
    } catch (SparkException expected) {
      // partition 2 failed all its attempts
    }
    FileSystem fs = store.getFileSystem(conf());
    assertEquals(StoreLayout.State.ABSENT, StoreLayout.stateOf(FileOperations.of(fs), store));
    saveNewApi(pairs(sc, n, 4), store);
    assertExactStore(conf(), store, n);
  }

  /**
   * A task count stated for the job (here mapreduce.job.reduces=2, set by the user, for 4
   * partitions) is enforced: the job fails naming the task and the setting, and leaves nothing.
   */
  @Test
  public void statedReducesBelowThePartitionCountFailsTheJobNamingTheSetting() throws Exception {
    Path store = newStore();
    Job job = Job.getInstance(conf());
    job.setNumReduceTasks(2);
    try {
      saveNewApi(pairs(sc, 20_000, 4), store, job);
      fail("partitions beyond the stated reducers must fail the job");
    } catch (SparkException e) {
      StringBuilder messages = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertThat(messages.toString(), containsString("mapreduce.job.reduces=2"));
      assertThat(messages.toString(), containsString("_r_000002"));
    }
    assertEquals(StoreLayout.State.ABSENT,
        StoreLayout.stateOf(FileOperations.forPath(store, conf()), store));
  }

  /** The old-API case: reduces=0 used to publish mapreduce.job.maps (2) tasks only. */
  @Test
  public void oldApiSaveWithZeroReducesPublishesEveryPair() throws Exception {
    Path store = newStore();
    int n = 60_000;
    JobConf job = new JobConf(conf());
    io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(job, store);
    job.setNumReduceTasks(0);
    pairs(sc, n, 5).saveAsHadoopFile(store.toString(), BytesWritable.class, BytesWritable.class,
        io.kvstore.mapred.KeyValueOutputFormat.class, job);
    assertExactStore(conf(), store, n);
  }

  /** Old API with nothing set: map attempts while reduces defaults to 1 must still commit. */
  @Test
  public void oldApiSaveWithNoSettingPublishesEveryPair() throws Exception {
    Path store = newStore();
    int n = 60_000;
    JobConf job = new JobConf(conf());
    io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(job, store);
    pairs(sc, n, 3).saveAsHadoopFile(store.toString(), BytesWritable.class, BytesWritable.class,
        io.kvstore.mapred.KeyValueOutputFormat.class, job);
    assertExactStore(conf(), store, n);
  }

  /** newAPIHadoopFile reads a store back exactly, one Spark partition per store partition. */
  @Test
  public void newApiHadoopFileReadsTheStoreBackExactly() throws Exception {
    Path store = newStore();
    int n = 50_000;
    saveNewApi(pairs(sc, n, 6), store);
    int storePartitions;
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf()).openStore(store)) {
      storePartitions = reader.partitions().size();
    }
    JavaPairRDD<BytesWritable, BytesWritable> back = sc.newAPIHadoopFile(store.toString(),
        KeyValueInputFormat.class, BytesWritable.class, BytesWritable.class, conf());
    assertEquals(storePartitions, back.getNumPartitions());
    // Record readers reuse their objects: copy the bytes before collecting.
    List<Tuple2<byte[], byte[]>> read =
        back.map(t -> new Tuple2<>(t._1.copyBytes(), t._2.copyBytes())).collect();
    assertEquals(n, read.size());
    java.util.Map<ByteBuffer, byte[]> byKey = new java.util.HashMap<>();
    for (Tuple2<byte[], byte[]> pair : read) {
      assertEquals("a key read twice", null, byKey.put(ByteBuffer.wrap(pair._1), pair._2));
    }
    for (long i = 0; i < n; i++) {
      assertArrayEquals("value of pair " + i, value(i), byKey.get(ByteBuffer.wrap(key(i))));
    }
    for (long i = n; i < n + SparkStores.ABSENT_KEYS; i++) {
      assertFalse("absent key " + i, byKey.containsKey(ByteBuffer.wrap(key(i))));
    }
  }

  /**
   * {@code rdd} whose partition {@code partition} throws after 500 pairs in each of its first
   * {@code failedAttempts} attempts, so the attempt has written files when it dies.
   */
  private static JavaPairRDD<BytesWritable, BytesWritable> failing(
      JavaPairRDD<BytesWritable, BytesWritable> rdd, int partition, int failedAttempts) {
    return rdd.mapPartitionsToPair(it -> {
      TaskContext task = TaskContext.get();
      boolean fail = task.partitionId() == partition && task.attemptNumber() < failedAttempts;
      return new Iterator<Tuple2<BytesWritable, BytesWritable>>() {
        private int served;

        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Tuple2<BytesWritable, BytesWritable> next() {
          if (fail && ++served > 500) {
            throw new IllegalStateException("injected failure of attempt "
                + task.attemptNumber() + " of partition " + task.partitionId());
          }
          return it.next();
        }
      };
    }, true);
  }
}
