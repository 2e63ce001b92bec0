package io.kvstore.mapreduce;

import static org.junit.Assert.assertEquals;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.Progressable;

/**
 * One job driven by hand: its configuration, contexts for the job and any task attempt, a
 * committer over (optionally fault-injecting) filesystem operations, and helpers to write pairs
 * through the real output format.
 */
final class CommitterHarness {
  private static final AtomicInteger JOB_SEQUENCE = new AtomicInteger();

  final Configuration conf;
  final JobID jobId;
  final Path store;
  final FileSystem fs;
  final FaultInjectingFileOperations ops;
  final AtomicInteger progressCalls = new AtomicInteger();

  /**
   * @param store the store the job writes
   * @param reduces reducers (0 for a map-only job)
   * @param maps map tasks
   */
  CommitterHarness(Path store, int reduces, int maps) throws IOException {
    this(store, reduces, maps, new Configuration());
  }

  CommitterHarness(Path store, int reduces, int maps, Configuration base) throws IOException {
    this.conf = new Configuration(base);
    conf.set("fs.defaultFS", "file:///");
    conf.setInt(MRJobConfig.NUM_REDUCES, reduces);
    conf.setInt(MRJobConfig.NUM_MAPS, maps);
    conf.setBoolean("mapred.mapper.new-api", true);
    conf.setBoolean("mapred.reducer.new-api", true);
    conf.setClass(MRJobConfig.OUTPUT_KEY_CLASS, BytesWritable.class, Object.class);
    conf.setClass(MRJobConfig.OUTPUT_VALUE_CLASS, BytesWritable.class, Object.class);
    conf.set(FileOutputFormat.OUTDIR, store.toString());
    this.jobId = new JobID("harness" + System.nanoTime() % 100000, JOB_SEQUENCE.incrementAndGet());
    this.store = store;
    this.fs = store.getFileSystem(conf);
    this.ops = new FaultInjectingFileOperations(fs);
  }

  /** A committer over the fault-injecting operations. */
  KeyValueOutputCommitter committer() {
    return new KeyValueOutputCommitter(store, ops);
  }

  /** A job context that counts progress calls. */
  JobContext jobContext() {
    return new ProgressCountingJobContext(conf, jobId, progressCalls);
  }

  /** The context of attempt {@code attempt} of reduce task {@code task} (map task if map-only). */
  TaskAttemptContext attempt(int task, int attempt) {
    TaskType type = conf.getInt(MRJobConfig.NUM_REDUCES, 1) > 0 ? TaskType.REDUCE : TaskType.MAP;
    return attempt(type, task, attempt);
  }

  /** The context of attempt {@code attempt} of task {@code task} of type {@code type}. */
  TaskAttemptContext attempt(TaskType type, int task, int attempt) {
    TaskAttemptID id = new TaskAttemptID(jobId.getJtIdentifier(), jobId.getId(), type, task,
        attempt);
    Configuration taskConf = new Configuration(conf);
    taskConf.set(MRJobConfig.TASK_ATTEMPT_ID, id.toString());
    return new TaskAttemptContextImpl(taskConf, id);
  }

  /** Writes {@code keys} (sorted by the caller), value = {@code valuePrefix + key}. */
  void write(TaskAttemptContext context, String valuePrefix, String... keys)
      throws IOException, InterruptedException {
    RecordWriter<BytesWritable, BytesWritable> writer = openWriter(context);
    for (String k : keys) {
      writer.write(bytes(k), bytes(valuePrefix + k));
    }
    writer.close(context);
  }

  /** Opens a record writer of the real output format. */
  RecordWriter<BytesWritable, BytesWritable> openWriter(TaskAttemptContext context)
      throws IOException {
    return new KeyValueOutputFormat<BytesWritable, BytesWritable>().getRecordWriter(context);
  }

  /** Writes {@code keys} as attempt {@code attempt} of task {@code task} and commits it. */
  void writeAndCommit(int task, int attempt, String valuePrefix, String... keys)
      throws IOException, InterruptedException {
    TaskAttemptContext context = attempt(task, attempt);
    write(context, valuePrefix, keys);
    committer().commitTask(context);
  }

  /** Every pair of the published store, by iteration. */
  TreeMap<String, String> readAll() throws IOException {
    TreeMap<String, String> all = new TreeMap<>();
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      KeyValueIterator it = reader.iterator();
      while (it.hasNext()) {
        KeyValuePair pair = it.next();
        String previous = all.put(string(pair.getKey()), string(pair.getValue()));
        assertEquals("key iterated twice", null, previous);
      }
      it.close();
      assertEquals(all.size(), reader.size());
    }
    return all;
  }

  /** Names of the entries of the store directory (or of any directory), sorted. */
  List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    if (!fs.exists(dir)) {
      return names;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      names.add(s.getPath().getName());
    }
    names.sort(null);
    return names;
  }

  static BytesWritable bytes(String s) {
    return new BytesWritable(s.getBytes(StandardCharsets.UTF_8));
  }

  static Text text(String s) {
    return new Text(s);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A job context that is {@link Progressable}, as the committer looks for. */
  static final class ProgressCountingJobContext extends JobContextImpl implements Progressable {
    private final AtomicInteger calls;

    ProgressCountingJobContext(Configuration conf, JobID id, AtomicInteger calls) {
      super(conf, id);
      this.calls = calls;
    }

    @Override
    public void progress() {
      calls.incrementAndGet();
    }
  }
}
