package io.kvstore.mapreduce.commit;

import io.kvstore.commit.CommitContext;
import io.kvstore.commit.StoreMarker;
import io.kvstore.commit.TaskManifest;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task recovery after an application master restart. Task manifests live in a directory keyed
 * by the job id, which a restarted application master keeps, so a task committed under the
 * previous application master is already in place: recovery only verifies that it is there and
 * intact. If it is not, recovery fails and the framework runs the task again.
 */
public final class RecoverTaskStage {
  private static final Logger LOG = LoggerFactory.getLogger(RecoverTaskStage.class);

  private final CommitContext context;
  private final TaskAttemptID attempt;

  /**
   * @param context the job's commit context
   * @param attempt the attempt, from the previous application master, being recovered
   */
  public RecoverTaskStage(CommitContext context, TaskAttemptID attempt) {
    this.context = context;
    this.attempt = attempt;
  }

  /** Runs the stage. */
  public void run() throws IOException {
    StoreMarker.requireOwned(context, "recover task " + attempt.getTaskID());
    Path committed = context.layout().taskManifest(attempt.getTaskID().toString());
    TaskManifest manifest;
    try {
      manifest = TaskManifest.read(context.ops(), committed);
    } catch (FileNotFoundException e) {
      throw new IOException(context.logPrefix() + " cannot recover task " + attempt.getTaskID()
          + ": it has no committed manifest " + committed + "; the task must run again", e);
    }
    LOG.info("{} recovered task {} committed by attempt {}: {}", context.logPrefix(),
        attempt.getTaskID(), manifest.getAttemptId(), manifest);
  }
}
