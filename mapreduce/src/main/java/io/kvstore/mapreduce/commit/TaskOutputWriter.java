package io.kvstore.mapreduce.commit;

import io.kvstore.Bytes;
import io.kvstore.PartitionInfo;
import io.kvstore.format.RollingPartitionWriter;
import io.kvstore.format.Routing;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task side of both output formats: writes one attempt's pairs through a
 * {@link RollingPartitionWriter} into the attempt's work directory and, on close, leaves a
 * {@link TaskManifest} of exactly the files it finished, for the task commit to publish. A
 * reducer also checks every key against the job's candidate bucket routing, so a reducer that
 * rewrites keys can never make lookups route to the wrong bucket.
 */
public final class TaskOutputWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TaskOutputWriter.class);

  private final FileOperations ops;
  private final CommitLayout layout;
  private final TaskAttemptID attempt;
  private final RollingPartitionWriter writer;
  private final Routing candidate;
  private final int bucket;
  private boolean keysMatch = true;
  private boolean closed;

  private TaskOutputWriter(FileOperations ops, CommitLayout layout, TaskAttemptID attempt,
      Configuration conf) {
    this.ops = new AttemptFileOperations(ops, attempt.toString());
    this.layout = layout;
    this.attempt = attempt;
    this.writer = new RollingPartitionWriter(this.ops, layout.attemptDir(attempt),
        n -> CommitLayout.partitionFileName(attempt.getTaskID(), n), conf);
    boolean reduce = attempt.getTaskType() == TaskType.REDUCE;
    this.candidate = reduce ? RoutingPlanner.candidate(conf) : Routing.byRange();
    this.bucket = attempt.getTaskID().getId();
  }

  /**
   * Creates the attempt's work directory and a writer into it.
   *
   * @throws IOException if the job's staging directory is missing (setupJob never ran or the job
   *     was aborted) or the attempt already opened a writer
   */
  public static TaskOutputWriter open(FileOperations ops, CommitLayout layout,
      TaskAttemptID attempt, Configuration conf) throws IOException {
    Path dir = layout.attemptDir(attempt);
    if (ops.exists(dir)) {
      throw new IOException(attempt + ": the attempt already opened a record writer (" + dir
          + " exists); kvstore supports one record writer per task attempt");
    }
    try {
      // Never mkdirs: a zombie attempt of an aborted or committed job must not recreate the
      // staging tree (or the store directory) that the job's end deleted.
      ops.mkdir(dir);
    } catch (FileNotFoundException e) {
      throw new IOException(attempt + ": job " + layout.jobId() + " has no staging directory "
          + layout.tasksDir() + " (setupJob did not run, or the job was aborted or committed)", e);
    }
    LOG.debug("{}: writing partitions into {}", attempt, dir);
    return new TaskOutputWriter(ops, layout, attempt, conf);
  }

  /**
   * Writes one pair: the bytes {@code getBytes()[0, getLength())} of the key and the value. Keys
   * must be strictly increasing in unsigned byte order (the order Hadoop sorts
   * {@code BytesWritable} and {@code Text} in).
   *
   * @throws NullPointerException if the key or the value is null
   * @throws IllegalArgumentException from the partition writer for a key out of order, a
   *     duplicate key or a pair too large
   */
  public void write(BinaryComparable keyWritable, BinaryComparable valueWritable)
      throws IOException {
    Objects.requireNonNull(keyWritable, "key");
    Objects.requireNonNull(valueWritable, "value");
    byte[] key = keyWritable.getBytes();
    int keyLength = keyWritable.getLength();
    writer.put(key, 0, keyLength, valueWritable.getBytes(), 0, valueWritable.getLength());
    if (keysMatch && candidate.isByBucket() && candidate.bucketOf(key, 0, keyLength) != bucket) {
      keysMatch = false;
      LOG.warn("{}: key {} is not in bucket {} of {}; the store will route lookups by key range",
          attempt, Bytes.toPrintable(key, 0, keyLength, 64), bucket, candidate);
    }
  }

  /** Pairs written so far. */
  public long size() {
    return writer.size();
  }

  /**
   * Finishes the last partition and records the attempt's files. On failure the attempt's files
   * are removed and the error propagates.
   */
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    TaskManifest record;
    try {
      List<PartitionInfo> partitions = writer.finish();
      record = new TaskManifest(attempt.toString(), partitions, candidate, keysMatch);
      record.write(ops, layout.writerRecord(attempt), false);
    } catch (IOException | RuntimeException e) {
      try {
        writer.abort();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    LOG.info("{}: closed output: {}", attempt, record);
  }

  /** Deletes the attempt's files; for a task that failed before close. */
  public void abort() throws IOException {
    closed = true;
    writer.abort();
  }
}
