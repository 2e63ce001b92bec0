package io.kvstore.mapreduce;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThat;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.InvalidJobConfException;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The output formats' checks, helpers and record writers (new and old API). */
public class KeyValueOutputFormatTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private Path path(String name) {
    return new Path(new Path(tmp.getRoot().toURI()), name);
  }

  private static Job job(Path store) throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    Job job = Job.getInstance(conf);
    if (store != null) {
      KeyValueOutputFormat.setOutputPath(job, store);
    }
    return job;
  }

  private static void checkSpecs(Job job) throws IOException {
    new KeyValueOutputFormat<BytesWritable, BytesWritable>().checkOutputSpecs(
        new JobContextImpl(job.getConfiguration(), new org.apache.hadoop.mapreduce.JobID("x", 1)));
  }

  @Test
  public void checkOutputSpecsRefusesAnyExistingPathWithAClearMessage() throws Exception {
    Path complete = path("complete");
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create().createStore(complete)) {
      w.put(new byte[] {1}, new byte[] {2});
    }
    Path incomplete = path("incomplete");
    KeyValueSystem.Factory.create().createStore(incomplete); // never closed
    Path file = path("file");
    FileSystem fs = file.getFileSystem(new Configuration());
    fs.create(file).close();
    Path dir = path("dir");
    fs.mkdirs(dir);
    String[][] cases = {
        {complete.toString(), "already holds a complete key-value store; stores are write-once"},
        {incomplete.toString(), "holds an incomplete key-value store"},
        {file.toString(), "exists and is not a key-value store (it is a file of 0 bytes)"},
        {dir.toString(), "exists and is not a key-value store (it is an empty directory)"}};
    for (String[] c : cases) {
      try {
        checkSpecs(job(new Path(c[0])));
        fail("checkOutputSpecs must refuse " + c[0]);
      } catch (FileAlreadyExistsException e) {
        assertThat(e.getMessage(), containsString(c[1]));
        assertThat(e.getMessage(), containsString(c[0]));
      }
    }
    checkSpecs(job(path("absent")));
    assertFalse(fs.exists(path("absent")));
  }

  @Test
  public void checkOutputSpecsRefusesAJobWithoutOutputPath() throws Exception {
    try {
      checkSpecs(job(null));
      fail("a job without output path must be refused");
    } catch (InvalidJobConfException e) {
      assertThat(e.getMessage(), containsString("KeyValueOutputFormat.setOutputPath"));
    }
  }

  @Test
  public void helpersSetEveryWriteSetting() throws Exception {
    Job job = job(path("store"));
    KeyValueOutputFormat.setPartitionSizeMax(job, 1 << 20);
    KeyValueOutputFormat.setKeySizeMax(job, 4096);
    KeyValueOutputFormat.setIndexLoadFactor(job, 0.5);
    KeyValueOutputFormat.setIndexBlockSize(job, 8192);
    KeyValueOutputFormat.setHashSeed(job, 99L);
    KeyValueOutputFormat.setWriteBufferSize(job, 65536);
    Configuration conf = job.getConfiguration();
    assertEquals(1 << 20, KeyValueConf.PARTITION_SIZE_MAX.getLong(conf));
    assertEquals(4096, KeyValueConf.KEY_SIZE_MAX.getLong(conf));
    assertEquals(0.5, KeyValueConf.INDEX_LOAD_FACTOR.getDouble(conf), 0.0);
    assertEquals(8192, KeyValueConf.INDEX_BLOCK_SIZE.getLong(conf));
    assertEquals(99L, KeyValueConf.HASH_SEED.getLong(conf));
    assertEquals(65536, KeyValueConf.WRITE_BUFFER_SIZE.getLong(conf));
    assertEquals(path("store"), KeyValueOutputFormat.getOutputPath(job));
    for (Runnable bad : new Runnable[] {
        () -> KeyValueOutputFormat.setPartitionSizeMax(job, 0),
        () -> KeyValueOutputFormat.setIndexLoadFactor(job, 0.99),
        () -> KeyValueOutputFormat.setWriteBufferSize(job, -1)}) {
      try {
        bad.run();
        fail("an invalid setting must be refused");
      } catch (IllegalArgumentException expected) {
        // refused when set, not when the job runs
      }
    }
  }

  @Test
  public void keyOutOfOrderFailsTheTaskWithTheCoreError() throws Exception {
    CommitterHarness h = new CommitterHarness(path("order"), 1, 1);
    h.committer().setupJob(h.jobContext());
    TaskAttemptContext attempt = h.attempt(0, 0);
    RecordWriter<BytesWritable, BytesWritable> writer = h.openWriter(attempt);
    writer.write(CommitterHarness.bytes("b"), CommitterHarness.bytes("1"));
    try {
      writer.write(CommitterHarness.bytes("a"), CommitterHarness.bytes("2"));
      fail("a key out of order must fail the task");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("Key out of order: \"a\""));
    }
    try {
      writer.write(CommitterHarness.bytes("b"), CommitterHarness.bytes("3"));
      fail("a repeated key must fail the task");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("Duplicate key"));
    }
  }

  @Test
  public void textAndBytesWritableStoreExactlyTheirValidBytes() throws Exception {
    CommitterHarness h = new CommitterHarness(path("text"), 1, 1);
    h.committer().setupJob(h.jobContext());
    TaskAttemptContext attempt = h.attempt(0, 0);
    RecordWriter<Text, BytesWritable> writer = new KeyValueOutputFormat<Text, BytesWritable>()
        .getRecordWriter(attempt);
    Text key = new Text("a much longer key that leaves a large backing array");
    key.set("k1".getBytes(StandardCharsets.UTF_8), 0, 2);
    BytesWritable value = new BytesWritable(new byte[100]);
    value.set(new byte[] {(byte) 0x80, (byte) 0xFF}, 0, 2);
    assertTrue(key.getBytes().length > key.getLength());
    assertTrue(value.getBytes().length > value.getLength());
    writer.write(key, value);
    writer.close(attempt);
    h.committer().commitTask(attempt);
    h.committer().commitJob(h.jobContext());
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(h.conf).openStore(h.store)) {
      assertEquals(1, r.size());
      assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0xFF},
          r.get("k1".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  public void partitionsRollOverInsideOneTask() throws Exception {
    Configuration base = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(base, 8192);
    CommitterHarness h = new CommitterHarness(path("roll"), 1, 1, base);
    h.committer().setupJob(h.jobContext());
    String[] keys = new String[2000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = String.format("%08d", i);
    }
    h.writeAndCommit(0, 0, "value-", keys);
    h.committer().commitJob(h.jobContext());
    StoreManifest manifest = StoreManifest.read(h.fs, h.store);
    List<String> names = new ArrayList<>();
    for (PartitionInfo p : manifest.getPartitions()) {
      names.add(p.getFileName());
      assertTrue(p.getSizeBytes() <= 8192);
    }
    assertTrue(names.toString(), names.size() > 3);
    assertEquals("part-r-00000-000.kvp", names.get(0));
    assertEquals("part-r-00000-001.kvp", names.get(1));
    assertEquals(keys.length, h.readAll().size());
  }

  @Test
  public void recordWriterNeedsTheJobSetUpAndOnlyOnePerAttempt() throws Exception {
    CommitterHarness h = new CommitterHarness(path("writers"), 1, 1);
    try {
      h.openWriter(h.attempt(0, 0));
      fail("a writer before setupJob must be refused");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("no staging directory"));
    }
    assertFalse("a refused writer must not create the store", h.fs.exists(h.store));
    h.committer().setupJob(h.jobContext());
    h.openWriter(h.attempt(0, 0));
    try {
      h.openWriter(h.attempt(0, 0));
      fail("a second writer in one attempt must be refused");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("one record writer per task attempt"));
    }
  }

  @Test
  public void mapTasksOfAJobWithReducersDoNotCommit() throws Exception {
    CommitterHarness reduceJob = new CommitterHarness(path("r"), 2, 3);
    TaskAttemptContext map = new org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl(
        reduceJob.conf, new org.apache.hadoop.mapreduce.TaskAttemptID("x", 1,
            org.apache.hadoop.mapreduce.TaskType.MAP, 0, 0));
    assertFalse(reduceJob.committer().needsTaskCommit(map));
    assertTrue(reduceJob.committer().needsTaskCommit(reduceJob.attempt(0, 0)));
    CommitterHarness mapOnly = new CommitterHarness(path("m"), 0, 3);
    assertTrue(mapOnly.committer().needsTaskCommit(mapOnly.attempt(0, 0)));
  }

  @Test
  public void oldApiFormatWritesAStoreThroughTheSameCommit() throws Exception {
    Path store = path("old");
    JobConf conf = new JobConf();
    conf.set("fs.defaultFS", "file:///");
    conf.setNumReduceTasks(1);
    io.kvstore.mapred.KeyValueOutputFormat<BytesWritable, BytesWritable> format =
        new io.kvstore.mapred.KeyValueOutputFormat<>();
    org.apache.hadoop.mapred.FileOutputFormat.setOutputPath(conf, store);
    try {
      format.checkOutputSpecs(null, conf);
      fail("an old-API job without the kvstore committer must be refused");
    } catch (InvalidJobConfException e) {
      assertThat(e.getMessage(), containsString("io.kvstore.mapred.KeyValueOutputCommitter"));
    }
    io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(conf, store);
    format.checkOutputSpecs(null, conf);

    org.apache.hadoop.mapred.JobID jobId = new org.apache.hadoop.mapred.JobID("old", 1);
    org.apache.hadoop.mapred.OutputCommitter committer = conf.getOutputCommitter();
    assertTrue(committer instanceof io.kvstore.mapred.KeyValueOutputCommitter);
    org.apache.hadoop.mapred.JobContext jobContext =
        new org.apache.hadoop.mapred.JobContextImpl(conf, jobId);
    committer.setupJob(jobContext);
    org.apache.hadoop.mapred.TaskAttemptID attempt = new org.apache.hadoop.mapred.TaskAttemptID(
        new org.apache.hadoop.mapred.TaskID(jobId, org.apache.hadoop.mapreduce.TaskType.REDUCE,
            0), 0);
    JobConf taskConf = new JobConf(conf);
    taskConf.set(MRJobConfig.TASK_ATTEMPT_ID, attempt.toString());
    org.apache.hadoop.mapred.RecordWriter<BytesWritable, BytesWritable> writer =
        format.getRecordWriter(null, taskConf, "part-00000", null);
    writer.write(CommitterHarness.bytes("a"), CommitterHarness.bytes("1"));
    writer.write(CommitterHarness.bytes("b"), CommitterHarness.bytes("2"));
    writer.close(null);
    org.apache.hadoop.mapred.TaskAttemptContext taskContext =
        new org.apache.hadoop.mapred.TaskAttemptContextImpl(taskConf, attempt);
    assertTrue(committer.needsTaskCommit(taskContext));
    committer.commitTask(taskContext);
    committer.commitJob(jobContext);
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf).openStore(store)) {
      assertEquals(2, r.size());
      assertArrayEquals("2".getBytes(StandardCharsets.UTF_8),
          r.get("b".getBytes(StandardCharsets.UTF_8)));
    }
    try {
      committer.commitJob(jobContext);
      fail("write-once through the old API too");
    } catch (FileAlreadyExistsException expected) {
      // the store is published once
    }
  }
}
