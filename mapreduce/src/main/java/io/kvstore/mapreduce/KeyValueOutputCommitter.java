package io.kvstore.mapreduce;

import io.kvstore.fs.FileOperations;
import io.kvstore.commit.AbortJobStage;
import io.kvstore.mapreduce.commit.AbortTaskStage;
import io.kvstore.commit.CommitContext;
import io.kvstore.mapreduce.commit.CommitJobStage;
import io.kvstore.commit.CommitLayout;
import io.kvstore.mapreduce.commit.CommitTaskStage;
import io.kvstore.mapreduce.commit.RecoverTaskStage;
import io.kvstore.commit.SetupJobStage;
import io.kvstore.commit.TableOutput;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.util.Progressable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer of {@link KeyValueOutputFormat}: the store manifest is the commit.
 *
 * <ul>
 *   <li>Job setup claims the store path exclusively with the incomplete-store marker and creates
 *       a staging directory unique to the job.
 *   <li>Each task attempt writes into its own directory; task commit records exactly the files
 *       that attempt wrote in a task manifest, named by task. The first attempt of a task to
 *       commit wins; a later one is discarded (see {@link CommitTaskStage}).
 *   <li>Job commit reads only the task manifests, requires all of them, refuses a key present
 *       twice, moves the files into the store and publishes the store manifest with one rename,
 *       then writes {@code _SUCCESS}. A second job commit fails: stores are write-once.
 *   <li>Job abort removes the store only while this job's marker is in it, and never a published
 *       store.
 * </ul>
 *
 * <p>Every method derives its state from the context it is given (no state is carried between
 * calls), so any process may call any method on a committer built by reflection. All filesystem
 * calls go through {@link FileOperations}, so tests can inject faults.
 */
public final class KeyValueOutputCommitter extends OutputCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(KeyValueOutputCommitter.class);

  private final Path storeDir;
  private final FileOperations ops;

  /**
   * A committer for the store at {@code outputPath}, on the path's filesystem.
   *
   * @param outputPath the store directory
   * @param context any context of the job, for its configuration
   */
  public KeyValueOutputCommitter(Path outputPath, JobContext context) throws IOException {
    this(outputPath, FileOperations.forPath(outputPath, context.getConfiguration()));
  }

  /**
   * A committer whose filesystem calls go through {@code ops} (for fault injection in tests,
   * or filesystems that need special handling).
   *
   * @param outputPath the store directory
   * @param ops filesystem operations on the path's filesystem
   */
  public KeyValueOutputCommitter(Path outputPath, FileOperations ops) {
    this.ops = ops;
    this.storeDir = ops.makeQualified(outputPath);
  }

  /** The store directory. */
  public Path getOutputPath() {
    return storeDir;
  }

  /** The directory the attempt of {@code context} writes its partition files into. */
  public Path getWorkPath(TaskAttemptContext context) {
    return layout(context).attemptDir(context.getTaskAttemptID().toString());
  }

  /** The filesystem operations this committer uses. */
  public FileOperations getFileOperations() {
    return ops;
  }

  /**
   * Claims the store path (refused if anything exists there) and creates the job's staging
   * directory. Repeating it for the same job (application master restart) is allowed.
   */
  @Override
  public void setupJob(JobContext context) throws IOException {
    new SetupJobStage(jobContext(context)).run();
  }

  /** Nothing to do: an attempt's directory is created by its record writer. */
  @Override
  public void setupTask(TaskAttemptContext context) {
    LOG.debug("[{}] setupTask", context.getTaskAttemptID());
  }

  /**
   * True for every task that writes job output: one that opened a kvstore record writer (its
   * attempt directory exists), and every reducer or mapper of a map-only job even without one, as
   * job commit requires a manifest of every task MapReduce runs. Maps of a job with reducers
   * never write kvstore output and answer false. Spark's old-API attempts are map attempts while
   * {@code mapreduce.job.reduces} keeps its default of 1: they answer true because they opened a
   * writer, so their output is never dropped.
   */
  @Override
  public boolean needsTaskCommit(TaskAttemptContext context) throws IOException {
    boolean mapWithReducers = context.getTaskAttemptID().getTaskType() == TaskType.MAP
        && context.getConfiguration().getInt(MRJobConfig.NUM_REDUCES, 1) > 0;
    return !mapWithReducers || ops.exists(getWorkPath(context));
  }

  /** Records exactly the files this attempt wrote as its task's output; see {@link CommitTaskStage}. */
  @Override
  public void commitTask(TaskAttemptContext context) throws IOException {
    commitTaskWithOutcome(context);
  }

  /**
   * {@link #commitTask} reporting whether this attempt won.
   *
   * @return the outcome
   */
  public CommitTaskStage.Outcome commitTaskWithOutcome(TaskAttemptContext context)
      throws IOException {
    return new CommitTaskStage(taskContext(context), context.getTaskAttemptID()).run();
  }

  /** Deletes this attempt's output, and withdraws its task commit if it had one. */
  @Override
  public void abortTask(TaskAttemptContext context) throws IOException {
    new AbortTaskStage(taskContext(context), context.getTaskAttemptID()).run();
  }

  /**
   * Publishes the store; see {@link CommitJobStage}. Fails if the store is already published.
   * With an output table, then publishes the complete store as the table's next current version
   * ({@link TableOutput}).
   */
  @Override
  public void commitJob(JobContext context) throws IOException {
    new CommitJobStage(jobContext(context), context.getJobID(),
        KeyValueOutputCommitter.class.getName()).run();
    TableOutput.publish(ops, context.getConfiguration(), storeDir, "[" + context.getJobID() + "]");
  }

  /**
   * Removes the job's incomplete store, or only its staging files if the store was published;
   * with an output table, also a store that never became a version of the table.
   */
  @Override
  public void abortJob(JobContext context, JobStatus.State state) throws IOException {
    new AbortJobStage(jobContext(context)).run(String.valueOf(state));
    TableOutput.discard(ops, context.getConfiguration(), storeDir);
  }

  /**
   * Supported: committed task manifests are keyed by job id, so they survive an AM restart.
   *
   * @deprecated Hadoop asks {@link #isRecoverySupported(JobContext)}, which answers the same
   */
  @Deprecated
  @Override
  public boolean isRecoverySupported() {
    return true;
  }

  /** Supported, as {@link #isRecoverySupported()}. */
  @Override
  public boolean isRecoverySupported(JobContext context) {
    return true;
  }

  /** Not repeatable: a job commit publishes a write-once store. */
  @Override
  public boolean isCommitJobRepeatable(JobContext context) {
    return false;
  }

  /**
   * Verifies that the task committed under the previous application master has its manifest in
   * place; fails (so the task runs again) if not.
   */
  @Override
  public void recoverTask(TaskAttemptContext context) throws IOException {
    new RecoverTaskStage(taskContext(context), context.getTaskAttemptID()).run();
  }

  private CommitLayout layout(JobContext context) {
    return new CommitLayout(storeDir, context.getJobID().toString());
  }

  private CommitContext jobContext(JobContext context) {
    return new CommitContext(ops, layout(context), context.getConfiguration(),
        progressOf(context), "[" + context.getJobID() + "]");
  }

  private CommitContext taskContext(TaskAttemptContext context) {
    return new CommitContext(ops, layout(context), context.getConfiguration(), context,
        "[" + context.getTaskAttemptID() + "]");
  }

  /**
   * The progress reporter a job context offers: itself if it is {@link Progressable} (task
   * contexts are), the old API's {@code getProgressible()}, or none.
   */
  private static Progressable progressOf(JobContext context) {
    if (context instanceof Progressable) {
      return (Progressable) context;
    }
    if (context instanceof org.apache.hadoop.mapred.JobContext) {
      Progressable p = ((org.apache.hadoop.mapred.JobContext) context).getProgressible();
      if (p != null) {
        return p;
      }
    }
    return CommitContext.NO_PROGRESS;
  }

  @Override
  public String toString() {
    return "KeyValueOutputCommitter{" + storeDir + "}";
  }
}
