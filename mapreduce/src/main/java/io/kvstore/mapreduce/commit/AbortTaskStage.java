package io.kvstore.mapreduce.commit;

import io.kvstore.commit.CommitContext;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.TaskManifest;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task abort: deletes the attempt's work directory and temporary manifest. If the framework
 * aborts an attempt whose commit had in fact completed (the commit was never reported back), the
 * task manifest naming this attempt is withdrawn first, so a retry can commit and job commit never
 * references deleted files. Needs nothing but the attempt id and the job's layout, so it works in
 * any process, with a committer built by reflection.
 */
public final class AbortTaskStage {
  private static final Logger LOG = LoggerFactory.getLogger(AbortTaskStage.class);

  private final CommitContext context;
  private final TaskAttemptID attempt;

  /**
   * @param context the job's commit context
   * @param attempt the attempt to abort
   */
  public AbortTaskStage(CommitContext context, TaskAttemptID attempt) {
    this.context = context;
    this.attempt = attempt;
  }

  /** Runs the stage. */
  public void run() throws IOException {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    Path committed = layout.taskManifest(attempt.getTaskID().toString());
    try {
      TaskManifest existing = TaskManifest.read(ops, committed);
      if (existing.getAttemptId().equals(attempt.toString())) {
        ops.delete(committed, false);
        LOG.warn("{} withdrew the commit of task {} made by this attempt before it was aborted",
            context.logPrefix(), attempt.getTaskID());
      }
    } catch (FileNotFoundException e) {
      LOG.debug("{} task {} has no committed manifest", context.logPrefix(), attempt.getTaskID());
    }
    boolean deleted = ops.delete(layout.attemptDir(attempt.toString()), true);
    ops.delete(layout.taskManifestTemp(attempt.toString()), false);
    LOG.info("{} aborted task attempt ({})", context.logPrefix(),
        deleted ? "deleted its output" : "it had no output");
  }
}
