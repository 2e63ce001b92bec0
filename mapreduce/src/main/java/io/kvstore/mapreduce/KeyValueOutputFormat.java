package io.kvstore.mapreduce;

import io.kvstore.KeyValueConf;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.OutputPathCheck;
import io.kvstore.commit.TableOutput;
import io.kvstore.format.Compression;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.commit.TaskOutputWriter;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapred.InvalidJobConfException;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.OutputFormat;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.security.TokenCache;

/**
 * Writes a job's output as a key-value store (new MapReduce API). Keys and values are any
 * {@link BinaryComparable} ({@code BytesWritable}, {@code Text}); their bytes are stored as they
 * are. Each task writes its own partition files, rolling over at
 * {@link KeyValueConf#PARTITION_SIZE_MAX}; keys must reach each task in strictly increasing
 * unsigned byte order, which the shuffle guarantees for reducers (a map-only job needs sorted
 * input). The store appears, complete, when the job commits ({@link KeyValueOutputCommitter}).
 *
 * <pre>
 * job.setOutputFormatClass(KeyValueOutputFormat.class);
 * job.setOutputKeyClass(BytesWritable.class);
 * job.setOutputValueClass(BytesWritable.class);
 * KeyValueOutputFormat.setOutputPath(job, new Path("hdfs:///stores/users"));
 * KeyValueOutputFormat.setPartitionSizeMax(job, 256L &lt;&lt; 20);
 * </pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class KeyValueOutputFormat<K extends BinaryComparable, V extends BinaryComparable>
    extends OutputFormat<K, V> {

  /** Sets the store the job writes; nothing may exist there when the job is submitted. */
  public static void setOutputPath(Job job, Path store) {
    FileOutputFormat.setOutputPath(job, store);
  }

  /**
   * Makes the job publish its output as the next version of the table at {@code table}, made
   * current at job commit only after the store is complete; a failed job leaves the table as it
   * was. The table must exist ({@link io.kvstore.KeyValueSystem#createTable}). Sets the output
   * path to a new temporary name inside the table: call it instead of {@link #setOutputPath}.
   */
  public static void setOutputTable(Job job, Path table) {
    setOutputPath(job, TableOutput.configure(job.getConfiguration(), table));
  }

  /** The store the job writes, or null if unset. */
  public static Path getOutputPath(JobContext context) {
    return FileOutputFormat.getOutputPath(context);
  }

  // The setters below and the old API's share KeyValueConf's setters, which check each range.

  /** Sets {@link KeyValueConf#PARTITION_SIZE_MAX}, the largest partition file in bytes. */
  public static void setPartitionSizeMax(Job job, long bytes) {
    KeyValueConf.PARTITION_SIZE_MAX.setLong(job.getConfiguration(), bytes);
  }

  /** Sets {@link KeyValueConf#KEY_SIZE_MAX}, the largest key in bytes. */
  public static void setKeySizeMax(Job job, long bytes) {
    KeyValueConf.KEY_SIZE_MAX.setLong(job.getConfiguration(), bytes);
  }

  /** Sets {@link KeyValueConf#INDEX_LOAD_FACTOR}, in [0.1, 0.95]. */
  public static void setIndexLoadFactor(Job job, double loadFactor) {
    KeyValueConf.INDEX_LOAD_FACTOR.setDouble(job.getConfiguration(), loadFactor);
  }

  /** Sets {@link KeyValueConf#INDEX_BLOCK_SIZE}, the bytes between sparse index entries. */
  public static void setIndexBlockSize(Job job, long bytes) {
    KeyValueConf.INDEX_BLOCK_SIZE.setLong(job.getConfiguration(), bytes);
  }

  /**
   * Sets how tasks compress values ({@link KeyValueConf#COMPRESSION_CODEC}): {@code none},
   * {@code lz4} or {@code zstd}.
   *
   * @throws IllegalArgumentException for an unknown codec
   */
  public static void setCompression(Job job, String codec) {
    Compression.setCodec(job.getConfiguration(), codec);
  }

  /** Sets {@link KeyValueConf#COMPRESSION_LEVEL}, the zstd level from -131072 to 22. */
  public static void setCompressionLevel(Job job, long level) {
    KeyValueConf.COMPRESSION_LEVEL.setLong(job.getConfiguration(), level);
  }

  /**
   * Sets {@link KeyValueConf#COMPRESSION_DICTIONARY_BYTES}, the most bytes of the zstd dictionary
   * trained per partition file.
   */
  public static void setCompressionDictionaryBytes(Job job, long bytes) {
    KeyValueConf.COMPRESSION_DICTIONARY_BYTES.setLong(job.getConfiguration(), bytes);
  }

  /** Sets {@link KeyValueConf#HASH_SEED}, the seed of the partition files' hash index. */
  public static void setHashSeed(Job job, long seed) {
    KeyValueConf.HASH_SEED.setLong(job.getConfiguration(), seed);
  }

  /** Sets {@link KeyValueConf#WRITE_BUFFER_SIZE}, the bytes a task buffers before writing. */
  public static void setWriteBufferSize(Job job, long bytes) {
    KeyValueConf.WRITE_BUFFER_SIZE.setLong(job.getConfiguration(), bytes);
  }

  /** Opens the task attempt's writer into its work directory. */
  @Override
  public RecordWriter<K, V> getRecordWriter(TaskAttemptContext context) throws IOException {
    KeyValueOutputCommitter committer = getOutputCommitter(context);
    CommitLayout layout = new CommitLayout(committer.getOutputPath(), context.getJobID().toString());
    return new KeyValueRecordWriter<>(TaskOutputWriter.open(committer.getFileOperations(), layout,
        context.getTaskAttemptID(), context.getConfiguration()));
  }

  /**
   * Refuses, before any task runs, a job without an output path or whose output path already
   * holds anything (a store, complete or not, or anything else).
   */
  @Override
  public void checkOutputSpecs(JobContext context) throws IOException {
    Path store = requireOutputPath(context);
    Configuration conf = context.getConfiguration();
    TokenCache.obtainTokensForNamenodes(context.getCredentials(), new Path[] {store}, conf);
    FileOperations ops = FileOperations.forPath(store, conf);
    OutputPathCheck.requireAbsent(ops, store);
    TableOutput.check(ops, conf, store);
  }

  /** A {@link KeyValueOutputCommitter} for the job's store. */
  @Override
  public KeyValueOutputCommitter getOutputCommitter(TaskAttemptContext context)
      throws IOException {
    return new KeyValueOutputCommitter(requireOutputPath(context), context);
  }

  private static Path requireOutputPath(JobContext context) throws IOException {
    Path store = getOutputPath(context);
    if (store == null) {
      throw new InvalidJobConfException("Output path not set: call"
          + " KeyValueOutputFormat.setOutputPath(job, path)");
    }
    return store;
  }
}
