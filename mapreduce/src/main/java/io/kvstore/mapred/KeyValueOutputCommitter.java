package io.kvstore.mapred;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.InvalidJobConfException;
import org.apache.hadoop.mapred.JobContext;
import org.apache.hadoop.mapred.JobStatus;
import org.apache.hadoop.mapred.OutputCommitter;
import org.apache.hadoop.mapred.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * The old-API ({@code org.apache.hadoop.mapred}) face of
 * {@link io.kvstore.mapreduce.KeyValueOutputCommitter}: the same stages, the same guarantees.
 * Old-API jobs take their committer from the {@code JobConf}, not from the output format;
 * {@link KeyValueOutputFormat#setOutputPath} sets it.
 */
public final class KeyValueOutputCommitter extends OutputCommitter {

  private static io.kvstore.mapreduce.KeyValueOutputCommitter delegate(
      org.apache.hadoop.mapreduce.JobContext context) throws IOException {
    // The old and new APIs keep the output path under the same key.
    Path store = FileOutputFormat.getOutputPath(context);
    if (store == null) {
      throw new InvalidJobConfException("Output path not set: call"
          + " io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(jobConf, path)");
    }
    return new io.kvstore.mapreduce.KeyValueOutputCommitter(store, context);
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#setupJob}. */
  @Override
  public void setupJob(JobContext context) throws IOException {
    delegate(context).setupJob(context);
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#commitJob}. */
  @Override
  public void commitJob(JobContext context) throws IOException {
    delegate(context).commitJob(context);
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#abortJob}. */
  @Override
  public void abortJob(JobContext context, int runState) throws IOException {
    delegate(context).abortJob(context, runState == JobStatus.KILLED
        ? org.apache.hadoop.mapreduce.JobStatus.State.KILLED
        : org.apache.hadoop.mapreduce.JobStatus.State.FAILED);
  }

  /** Nothing to do, as in the new API. */
  @Override
  public void setupTask(TaskAttemptContext context) {
    // An attempt's directory is created by its record writer.
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#needsTaskCommit}. */
  @Override
  public boolean needsTaskCommit(TaskAttemptContext context) throws IOException {
    return delegate(context).needsTaskCommit(context);
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#commitTask}. */
  @Override
  public void commitTask(TaskAttemptContext context) throws IOException {
    delegate(context).commitTask(context);
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#abortTask}. */
  @Override
  public void abortTask(TaskAttemptContext context) throws IOException {
    delegate(context).abortTask(context);
  }

  /** Supported, as in the new API. */
  @Override
  public boolean isRecoverySupported() {
    return true;
  }

  /** Supported, as in the new API. */
  @Override
  public boolean isRecoverySupported(JobContext context) {
    return true;
  }

  /** Not repeatable: a job commit publishes a write-once store. */
  @Override
  public boolean isCommitJobRepeatable(JobContext context) {
    return false;
  }

  /** See {@link io.kvstore.mapreduce.KeyValueOutputCommitter#recoverTask}. */
  @Override
  public void recoverTask(TaskAttemptContext context) throws IOException {
    delegate(context).recoverTask(context);
  }
}
