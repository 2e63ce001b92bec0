package io.kvstore.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.examples.CloneStoreMapReduce;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.jobs.JobCompletion;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.apache.hadoop.mapreduce.v2.api.records.TaskAttemptId;
import org.apache.hadoop.mapreduce.v2.api.records.TaskType;
import org.apache.hadoop.mapreduce.v2.app.speculate.LegacyTaskRuntimeEstimator;
import org.apache.hadoop.mapreduce.v2.app.speculate.TaskRuntimeEstimator;
import org.apache.hadoop.util.ToolRunner;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real distributed runs: a MiniDFSCluster and a MiniMRYarnCluster with one node manager, each
 * task in its own container JVM, the commit protocol driven by the MR application master.
 */
public final class MiniYarnJobsIT {
  private static final Logger LOG = LoggerFactory.getLogger(MiniYarnJobsIT.class);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static MiniDFSCluster dfs;
  private static MiniMRYarnCluster yarn;
  private static FileSystem fs;
  private static Configuration conf;
  private static KeyValueSystem kvs;

  @BeforeClass
  public static void startClusters() throws IOException {
    File base = new File("target/it-yarn-" + MiniYarnJobsIT.class.getSimpleName()).getAbsoluteFile();
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base, "dfs").getPath());
    dfs = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    dfs.waitActive();
    fs = dfs.getFileSystem();

    Configuration y = new Configuration(dfs.getConfiguration(0));
    y.set("fs.defaultFS", fs.getUri().toString());
    // Fast polling and fast container teardown: without these a job waits 5 s for the client
    // to notice it finished and shutdown waits ~17 s on log retention and kill delays.
    y.setInt("mapreduce.client.completion.pollinterval", 100);
    y.setInt("mapreduce.client.progressmonitor.pollinterval", 100);
    y.setLong("yarn.nodemanager.log.retain-seconds", 0);
    y.setLong("yarn.nodemanager.process-kill-wait.ms", 100);
    y.setLong("yarn.nodemanager.sleep-delay-before-sigkill.ms", 100);
    // Heartbeats every 100 ms instead of 1 s: containers are granted and tasks noticed sooner.
    y.setInt("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", 100);
    y.setInt("yarn.app.mapreduce.am.scheduler.heartbeat.interval-ms", 100);
    y.setInt("yarn.nodemanager.resource.memory-mb", 8192);
    y.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    y.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    y.setInt(MRJobConfig.MR_AM_VMEM_MB, 768);
    // Container JVMs live seconds: the C1 compiler alone starts them faster on two cores.
    y.set(MRJobConfig.MR_AM_COMMAND_OPTS, "-Xmx512m -XX:TieredStopAtLevel=1");
    y.setInt(MRJobConfig.MAP_MEMORY_MB, 512);
    y.setInt(MRJobConfig.REDUCE_MEMORY_MB, 512);
    y.set(MRJobConfig.MAP_JAVA_OPTS, "-Xmx320m -XX:TieredStopAtLevel=1");
    y.set(MRJobConfig.REDUCE_JAVA_OPTS, "-Xmx320m -XX:TieredStopAtLevel=1");
    y.setInt(MRJobConfig.IO_SORT_MB, 16);
    y.setBoolean(MRJobConfig.MR_AM_JOB_NODE_BLACKLISTING_ENABLE, false);
    y.setBoolean(MRJobConfig.MAP_SPECULATIVE, false);
    y.setBoolean(MRJobConfig.REDUCE_SPECULATIVE, false);
    yarn = new MiniMRYarnCluster(MiniYarnJobsIT.class.getSimpleName(), 1);
    yarn.init(y);
    yarn.start();
    conf = new Configuration(yarn.getConfig());
    kvs = KeyValueSystem.Factory.create(conf);
  }

  @AfterClass
  public static void stopClusters() {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  private static Path fresh(String name) {
    return fs.makeQualified(new Path("/yarn-it/" + name + "-" + NAMES.incrementAndGet()));
  }

  private static Path inputStore(String name, TreeMap<byte[], byte[]> pairs, long partitionMax)
      throws IOException {
    return ItStores.write(conf, fresh(name), pairs, partitionMax);
  }

  /** The store directory holds the manifest, _SUCCESS and the listed partitions, nothing else. */
  private static void assertNoLitter(Path store) throws IOException {
    Set<String> allowed = new HashSet<>();
    allowed.add(StoreLayout.MANIFEST_NAME);
    allowed.add("_SUCCESS");
    for (PartitionInfo p : StoreManifest.read(fs, store).getPartitions()) {
      allowed.add(p.getFileName());
    }
    for (FileStatus status : fs.listStatus(store)) {
      assertTrue("unexpected " + status.getPath(), allowed.contains(status.getPath().getName()));
    }
  }

  /**
   * The attempt of each reduce task that succeeded, by task number; fails if a task has none or
   * more than one. Only a succeeded attempt commits, so this is the attempt whose output the
   * store holds.
   */
  private static Map<Integer, TaskAttemptID> committedReduceAttempts(Job job, int reducers)
      throws IOException, InterruptedException {
    Map<Integer, TaskAttemptID> committed = new TreeMap<>();
    List<TaskCompletionEvent> events = new ArrayList<>();
    for (TaskCompletionEvent[] page = job.getTaskCompletionEvents(0, 100); page.length > 0;
        page = job.getTaskCompletionEvents(events.size(), 100)) {
      events.addAll(Arrays.asList(page));
    }
    for (TaskCompletionEvent e : events) {
      if (!e.isMapTask() && e.getStatus() == TaskCompletionEvent.Status.SUCCEEDED) {
        TaskAttemptID previous = committed.put(e.getTaskAttemptId().getTaskID().getId(),
            e.getTaskAttemptId());
        assertNull("two attempts of one reduce task succeeded: " + events, previous);
      }
    }
    assertEquals("reduce tasks with a succeeded attempt: " + events, reducers, committed.size());
    return committed;
  }

  @Test
  public void cloneWithThreeReducers() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(20000, 32, 11);
    Path in = inputStore("clone", pairs, 512 * 1024);
    Path out = fresh("clone-copy");
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    long start = System.nanoTime();

    int status = ToolRunner.run(new Configuration(conf),
        new CloneStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        new String[] {"-D", "mapreduce.job.reduces=3", in.toString(), out.toString()});

    LOG.info("CloneStoreMapReduce on mini YARN, 3 reducers, {} input partitions: status {} in {}"
        + " ms: {}", StoreManifest.read(fs, in).getPartitions().size(), status,
        (System.nanoTime() - start) / 1_000_000, summary.toString("UTF-8").trim());
    assertEquals(0, status);
    assertEquals(3, StoreManifest.read(fs, out).getPartitions().size());
    // The application master's job.xml keeps the task count as stated, so commit enforced it.
    assertEquals("mapreduce.job.reduces=3",
        StoreManifest.read(fs, out).getProperties().get("kvstore.commit.stated.tasks"));
    ItStores.assertExact(kvs, out, pairs, 10000);
    assertNoLitter(out);

    // The same job in the local job runner, on the same HDFS, for the wall-time comparison.
    Configuration local = new Configuration(conf);
    local.set("mapreduce.framework.name", "local");
    Path localOut = fresh("clone-local-copy");
    start = System.nanoTime();
    status = ToolRunner.run(local, new CloneStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        new String[] {"-D", "mapreduce.job.reduces=3", in.toString(), localOut.toString()});
    LOG.info("CloneStoreMapReduce on the local job runner, same input: status {} in {} ms",
        status, (System.nanoTime() - start) / 1_000_000);
    assertEquals(0, status);
    ItStores.assertExact(kvs, localOut, pairs, 0);
  }

  /** Writes every pair, then fails in the first attempt of reduce task 0. */
  public static final class FailFirstAttemptReducer
      extends Reducer<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {
    @Override
    protected void cleanup(Context context) throws IOException {
      TaskAttemptID id = context.getTaskAttemptID();
      if (id.getTaskID().getId() == 0 && id.getId() == 0) {
        throw new IOException("deliberate failure of " + id + " after writing its pairs");
      }
    }
  }

  @Test
  public void failedReduceAttemptIsRetriedAndOnlyTheRetryCommits() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(6000, 32, 12);
    Path in = inputStore("retry", pairs, 1 << 20);
    Path out = fresh("retry-copy");
    Job job = CloneStoreMapReduce.createJob(new Configuration(conf), in, out);
    job.setReducerClass(FailFirstAttemptReducer.class);
    job.setNumReduceTasks(2);

    assertTrue(await(job));

    // The failed first attempt wrote every pair before failing; none of them may show.
    Map<Integer, TaskAttemptID> committed = committedReduceAttempts(job, 2);
    assertTrue("a retry committed task 0: " + committed, committed.get(0).getId() > 0);
    ItStores.assertExact(kvs, out, pairs, 10000);
    assertNoLitter(out);
  }

  /**
   * Makes the first attempt of reduce task 0 look hopelessly slow to the application master,
   * so it launches a speculative attempt as soon as it can.
   */
  public static final class SlowFirstReduceEstimator extends LegacyTaskRuntimeEstimator {
    @Override
    public long estimatedRuntime(TaskAttemptId id) {
      if (id.getTaskId().getTaskType() == TaskType.REDUCE && id.getTaskId().getId() == 0
          && id.getId() == 0) {
        return TimeUnit.HOURS.toMillis(1);
      }
      return super.estimatedRuntime(id);
    }
  }

  /** Writes every pair; the first attempt of task 0 then never finishes on its own. */
  public static final class StallFirstAttemptReducer
      extends Reducer<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {
    @Override
    protected void cleanup(Context context) throws InterruptedException {
      TaskAttemptID id = context.getTaskAttemptID();
      if (id.getTaskID().getId() == 0 && id.getId() == 0) {
        // Nothing counts this latch down: the attempt ends when the application master kills
        // it, once its speculative twin has committed (or, should speculation never come, when
        // the task timeout fails it and a retry commits instead).
        new CountDownLatch(1).await();
      }
    }
  }

  @Test
  public void speculativeAttemptOvertakesASlowOneAndTheStoreIsExact() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(6000, 32, 13);
    Path in = inputStore("speculate", pairs, 1 << 20);
    Path out = fresh("speculate-copy");
    Configuration c = new Configuration(conf);
    c.setBoolean(MRJobConfig.REDUCE_SPECULATIVE, true);
    c.setClass(MRJobConfig.MR_AM_TASK_ESTIMATOR, SlowFirstReduceEstimator.class,
        TaskRuntimeEstimator.class);
    Job job = CloneStoreMapReduce.createJob(c, in, out);
    job.setReducerClass(StallFirstAttemptReducer.class);
    job.setNumReduceTasks(2);
    long start = System.nanoTime();

    assertTrue(await(job));

    LOG.info("Speculative job took {} ms", (System.nanoTime() - start) / 1_000_000);
    // The stalled attempt wrote every pair but never finished, so it cannot have committed;
    // exactly one other attempt of task 0 did. How many attempts the scheduler launched or
    // killed on the way is its business.
    Map<Integer, TaskAttemptID> committed = committedReduceAttempts(job, 2);
    assertTrue("another attempt committed task 0: " + committed, committed.get(0).getId() > 0);
    ItStores.assertExact(kvs, out, pairs, 10000);
    assertNoLitter(out);
  }

  /** Waits for a job, riding out the job history's transient "status not available". */
  private static boolean await(Job job) throws Exception {
    return JobCompletion.waitFor(job, false);
  }

  /** Fails every attempt of every map task. */
  public static final class AlwaysFailingMapper
      extends Mapper<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {
    @Override
    protected void map(BytesWritable key, BytesWritable value, Context context)
        throws IOException {
      throw new IOException("deliberate failure of " + context.getTaskAttemptID());
    }
  }

  @Test
  public void failedJobLeavesNoStoreAndARerunSucceeds() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(3000, 32, 14);
    Path in = inputStore("fail", pairs, 1 << 20);
    Path out = fresh("fail-copy");
    // Uber mode (the tasks run inside the application master's JVM) saves two container launches;
    // the commit protocol under test, job setup, abort and commit in the AM, is the same.
    Configuration c = new Configuration(conf);
    c.setBoolean(MRJobConfig.JOB_UBERTASK_ENABLE, true);
    c.setInt(MRJobConfig.MAP_MAX_ATTEMPTS, 1);
    Job failing = CloneStoreMapReduce.createJob(c, in, out);
    failing.setMapperClass(AlwaysFailingMapper.class);

    assertFalse(await(failing));
    assertFalse("the ResourceManager's final status",
        JobCompletion.succeededPerResourceManager(failing));

    assertEquals(StoreLayout.State.ABSENT, StoreLayout.stateOf(FileOperations.of(fs), out));
    Job rerun = CloneStoreMapReduce.createJob(c, in, out);
    assertTrue(await(rerun));
    assertTrue("the ResourceManager's final status",
        JobCompletion.succeededPerResourceManager(rerun));
    assertTrue("the rerun ran as an uber job", rerun.isUber());
    ItStores.assertExact(kvs, out, pairs, 10000);
    assertNoLitter(out);
  }
}
