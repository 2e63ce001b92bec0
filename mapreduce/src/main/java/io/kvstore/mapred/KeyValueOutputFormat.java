package io.kvstore.mapred;

import io.kvstore.KeyValueConf;
import io.kvstore.format.Compression;
import io.kvstore.fs.FileOperations;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.OutputPathCheck;
import io.kvstore.commit.TableOutput;
import io.kvstore.mapreduce.commit.TaskOutputWriter;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapred.FileOutputFormat;
import org.apache.hadoop.mapred.InvalidJobConfException;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.OutputFormat;
import org.apache.hadoop.mapred.RecordWriter;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.security.TokenCache;
import org.apache.hadoop.util.Progressable;

/**
 * Old-API ({@code org.apache.hadoop.mapred}) output format writing a key-value store, for
 * {@code JobConf} jobs, Hadoop Streaming and tools built on the old API. Same files, same commit
 * as {@link io.kvstore.mapreduce.KeyValueOutputFormat}; the committer is
 * {@link KeyValueOutputCommitter}, which {@link #setOutputPath} installs in the job.
 *
 * <pre>
 * conf.setOutputFormat(KeyValueOutputFormat.class);
 * KeyValueOutputFormat.setOutputPath(conf, new Path("hdfs:///stores/users"));
 * </pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class KeyValueOutputFormat<K extends BinaryComparable, V extends BinaryComparable>
    implements OutputFormat<K, V> {
  private static final String COMMITTER_KEY = "mapred.output.committer.class";

  /**
   * Makes the job publish its output as the next version of the table at {@code table} at job
   * commit, as {@link io.kvstore.mapreduce.KeyValueOutputFormat#setOutputTable} does; sets the
   * output path (inside the table) and the committer: call it instead of {@link #setOutputPath}.
   */
  public static void setOutputTable(JobConf job, Path table) {
    setOutputPath(job, TableOutput.configure(job, table));
  }

  /** Sets the store the job writes, and the job's committer to {@link KeyValueOutputCommitter}. */
  public static void setOutputPath(JobConf job, Path store) {
    FileOutputFormat.setOutputPath(job, store);
    job.setOutputCommitter(KeyValueOutputCommitter.class);
  }

  // The same setters as the new API's, sharing KeyValueConf's setters, which check each range.

  /** Sets {@link KeyValueConf#PARTITION_SIZE_MAX}, the largest partition file in bytes. */
  public static void setPartitionSizeMax(JobConf job, long bytes) {
    KeyValueConf.PARTITION_SIZE_MAX.setLong(job, bytes);
  }

  /** Sets {@link KeyValueConf#KEY_SIZE_MAX}, the largest key in bytes. */
  public static void setKeySizeMax(JobConf job, long bytes) {
    KeyValueConf.KEY_SIZE_MAX.setLong(job, bytes);
  }

  /** Sets {@link KeyValueConf#INDEX_LOAD_FACTOR}, in [0.1, 0.95]. */
  public static void setIndexLoadFactor(JobConf job, double loadFactor) {
    KeyValueConf.INDEX_LOAD_FACTOR.setDouble(job, loadFactor);
  }

  /** Sets {@link KeyValueConf#INDEX_BLOCK_SIZE}, the bytes between sparse index entries. */
  public static void setIndexBlockSize(JobConf job, long bytes) {
    KeyValueConf.INDEX_BLOCK_SIZE.setLong(job, bytes);
  }

  /**
   * Sets how tasks compress values ({@link KeyValueConf#COMPRESSION_CODEC}): {@code none},
   * {@code lz4} or {@code zstd}.
   *
   * @throws IllegalArgumentException for an unknown codec
   */
  public static void setCompression(JobConf job, String codec) {
    Compression.setCodec(job, codec);
  }

  /** Sets {@link KeyValueConf#COMPRESSION_LEVEL}, the zstd level from -131072 to 22. */
  public static void setCompressionLevel(JobConf job, long level) {
    KeyValueConf.COMPRESSION_LEVEL.setLong(job, level);
  }

  /**
   * Sets {@link KeyValueConf#COMPRESSION_DICTIONARY_BYTES}, the most bytes of the zstd dictionary
   * trained per partition file.
   */
  public static void setCompressionDictionaryBytes(JobConf job, long bytes) {
    KeyValueConf.COMPRESSION_DICTIONARY_BYTES.setLong(job, bytes);
  }

  /** Sets {@link KeyValueConf#HASH_SEED}, the seed of the partition files' hash index. */
  public static void setHashSeed(JobConf job, long seed) {
    KeyValueConf.HASH_SEED.setLong(job, seed);
  }

  /** Sets {@link KeyValueConf#WRITE_BUFFER_SIZE}, the bytes a task buffers before writing. */
  public static void setWriteBufferSize(JobConf job, long bytes) {
    KeyValueConf.WRITE_BUFFER_SIZE.setLong(job, bytes);
  }

  /** Opens the task attempt's writer; {@code name} is unused (files are named per task). */
  @Override
  public RecordWriter<K, V> getRecordWriter(FileSystem ignored, JobConf job, String name,
      Progressable progress) throws IOException {
    Path store = requireOutputPath(job);
    String attemptId = job.get(MRJobConfig.TASK_ATTEMPT_ID);
    if (attemptId == null) {
      throw new InvalidJobConfException(MRJobConfig.TASK_ATTEMPT_ID + " is not set: a record"
          + " writer can only be opened inside a task");
    }
    TaskAttemptID attempt = TaskAttemptID.forName(attemptId);
    FileOperations ops = FileOperations.forPath(store, job);
    CommitLayout layout = new CommitLayout(ops.makeQualified(store),
        attempt.getJobID().toString());
    return new Writer<>(TaskOutputWriter.open(ops, layout, attempt, job));
  }

  /**
   * Refuses a job without an output path, without this format's committer, or whose output path
   * already holds anything.
   */
  @Override
  public void checkOutputSpecs(FileSystem ignored, JobConf job) throws IOException {
    Path store = requireOutputPath(job);
    String committer = job.get(COMMITTER_KEY);
    if (!KeyValueOutputCommitter.class.getName().equals(committer)) {
      throw new InvalidJobConfException("Old-API jobs writing a key-value store need the committer "
          + KeyValueOutputCommitter.class.getName() + " (the job has " + committer + "); call"
          + " io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(jobConf, path), which sets it");
    }
    TokenCache.obtainTokensForNamenodes(job.getCredentials(), new Path[] {store}, job);
    FileOperations ops = FileOperations.forPath(store, job);
    OutputPathCheck.requireAbsent(ops, store);
    TableOutput.check(ops, job, store);
  }

  private static Path requireOutputPath(JobConf job) throws IOException {
    Path store = FileOutputFormat.getOutputPath(job);
    if (store == null) {
      throw new InvalidJobConfException("Output path not set: call"
          + " io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(jobConf, path)");
    }
    return store;
  }

  /** The old-API record writer over a {@link TaskOutputWriter}. */
  private static final class Writer<K extends BinaryComparable, V extends BinaryComparable>
      implements RecordWriter<K, V> {
    private final TaskOutputWriter writer;

    Writer(TaskOutputWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(K key, V value) throws IOException {
      writer.write(key, value);
    }

    @Override
    public void close(Reporter reporter) throws IOException {
      writer.close();
    }
  }
}
