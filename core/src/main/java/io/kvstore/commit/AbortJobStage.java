package io.kvstore.commit;

import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job abort: leaves no store and no litter, and removes only what this job created. The store
 * directory is deleted only while its marker names this job (the job created it exclusively); a
 * published store is never touched beyond this job's own staging directory; a store owned by
 * another job is left alone. Running it twice, or after a failed setup, is harmless, and so is
 * running it while attempts still write (Spark does): the staging directory is retired first
 * (see {@link CleanupJobStage#deleteStaging}), after which no attempt can create anything.
 */
public final class AbortJobStage {
  private static final Logger LOG = LoggerFactory.getLogger(AbortJobStage.class);

  private final CommitContext context;

  /** @param context the job's commit context */
  public AbortJobStage(CommitContext context) {
    this.context = context;
  }

  /**
   * Runs the stage.
   *
   * @param state the job's final state as the engine names it, for the log
   */
  public void run(String state) throws IOException {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    if (!ops.exists(layout.storeDir())) {
      LOG.info("{} abort ({}): store {} does not exist; nothing to remove", context.logPrefix(),
          state, layout.storeDir());
      return;
    }
    if (ops.exists(layout.manifest())) {
      // Published (by this job before a late failure, or by another): never un-publish.
      CleanupJobStage.deleteStaging(context);
      if (layout.jobId().equals(StoreMarker.readOwner(ops, layout.marker()))) {
        ops.delete(layout.marker(), false);
      }
      LOG.warn("{} abort ({}): store {} is already published and stays; removed only this job's"
          + " staging files", context.logPrefix(), state, layout.storeDir());
      return;
    }
    String owner = StoreMarker.readOwner(ops, layout.marker());
    if (layout.jobId().equals(owner)) {
      // Staging first, out of the attempts' reach, so nothing is added while the store goes.
      CleanupJobStage.deleteStaging(context);
      ops.delete(layout.storeDir(), true);
      LOG.info("{} abort ({}): deleted the incomplete store {}", context.logPrefix(), state,
          layout.storeDir());
      return;
    }
    boolean staging = CleanupJobStage.deleteStaging(context);
    LOG.warn("{} abort ({}): {} is not this job's store ({}); left it alone{}",
        context.logPrefix(), state, layout.storeDir(),
        owner == null ? "no marker" : "its marker names job " + owner,
        staging ? " apart from this job's staging directory" : "");
  }
}
