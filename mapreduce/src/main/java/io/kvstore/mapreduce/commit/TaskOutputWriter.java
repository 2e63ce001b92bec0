package io.kvstore.mapreduce.commit;

import io.kvstore.commit.AttemptWriter;
import io.kvstore.commit.CommitLayout;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * The task side of both output formats, a MapReduce adapter over the engine-neutral
 * {@link AttemptWriter}: names the partition files after the task, and has a reducer check every
 * key against the job's candidate bucket routing ({@link RoutingPlanner}), so a reducer that
 * rewrites keys can never make lookups route to the wrong bucket.
 */
public final class TaskOutputWriter {
  private final AttemptWriter writer;
  private boolean closed;

  private TaskOutputWriter(AttemptWriter writer) {
    this.writer = writer;
  }

  /**
   * Creates the attempt's work directory and a writer into it.
   *
   * @throws IOException if the job's staging directory is missing (setupJob never ran or the job
   *     was aborted) or the attempt already opened a writer
   */
  public static TaskOutputWriter open(FileOperations ops, CommitLayout layout,
      TaskAttemptID attempt, Configuration conf) throws IOException {
    boolean reduce = attempt.getTaskType() == TaskType.REDUCE;
    Routing candidate = reduce ? RoutingPlanner.candidate(conf) : Routing.byRange();
    TaskID task = attempt.getTaskID();
    return new TaskOutputWriter(AttemptWriter.open(ops, layout, attempt.toString(),
        n -> partitionFileName(task, n), conf, candidate, task.getId()));
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
    writer.put(keyWritable.getBytes(), 0, keyWritable.getLength(), valueWritable.getBytes(), 0,
        valueWritable.getLength());
  }

  /** Pairs written so far. */
  public long size() {
    return writer.size();
  }

  /**
   * Finishes the last partition and records the attempt's files. On failure the attempt's files
   * are removed and the error propagates. Closing twice is a no-op.
   */
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
  }

  /** Deletes the attempt's files; for a task that failed before close. */
  public void abort() throws IOException {
    closed = true;
    writer.abort();
  }

  /**
   * Name of the {@code n}-th partition file of a task, unique across the job's tasks:
   * {@code part-r-00003-000.kvp} (reduce) or {@code part-m-00003-000.kvp} (map-only).
   */
  public static String partitionFileName(TaskID task, int n) {
    char type = task.getTaskType() == TaskType.MAP ? 'm' : 'r';
    return String.format("part-%c-%05d-%03d%s", type, task.getId(), n,
        StoreLayout.PARTITION_EXTENSION);
  }
}
