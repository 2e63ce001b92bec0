package io.kvstore.commit;

import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping after a store is published: removes the job's marker and staging directory and
 * writes {@code _SUCCESS}. The store was committed by the manifest's rename, so nothing here can
 * undo it; a failure leaves only temp-named litter that readers never see, and is logged as a
 * warning with its cause rather than turning a committed job into a failed one (whose abort would
 * then have to leave the published store alone anyway).
 */
public final class CleanupJobStage {
  private static final Logger LOG = LoggerFactory.getLogger(CleanupJobStage.class);
  private static final String MARK_SUCCESS = "mapreduce.fileoutputcommitter.marksuccessfuljobs";

  private final CommitContext context;

  /** @param context the job's commit context */
  public CleanupJobStage(CommitContext context) {
    this.context = context;
  }

  /**
   * Runs the stage on a published store.
   *
   * @param writeSuccess whether to write {@code _SUCCESS} (after a commit, not after an abort)
   * @return whether every step succeeded
   */
  public boolean run(boolean writeSuccess) {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    boolean clean = true;
    try {
      if (layout.jobId().equals(StoreMarker.readOwner(ops, layout.marker()))) {
        ops.delete(layout.marker(), false);
      }
    } catch (IOException e) {
      clean = false;
      LOG.warn("{} store {} is published, but deleting its marker failed; the store is complete"
          + " and readable", context.logPrefix(), layout.storeDir(), e);
    }
    try {
      deleteStaging(context);
    } catch (IOException e) {
      clean = false;
      LOG.warn("{} store {} is published, but deleting the staging directory {} failed; it is"
          + " invisible to readers and may be deleted by hand", context.logPrefix(),
          layout.storeDir(), layout.stagingDir(), e);
    }
    if (writeSuccess && context.conf().getBoolean(MARK_SUCCESS, true)) {
      try {
        ops.create(layout.successMarker(), true).close();
      } catch (IOException e) {
        clean = false;
        LOG.warn("{} store {} is published, but writing {} failed", context.logPrefix(),
            layout.storeDir(), CommitLayout.SUCCESS_NAME, e);
      }
    }
    return clean;
  }

  /**
   * Deletes the job's staging directory while attempts may still be running (Spark aborts a job
   * without waiting for its tasks; a speculative copy may outlive a commit): first renames it
   * away in one step, so that attempts, which create only non-recursively under its name, fail
   * from then on instead of adding files or recreating it; then deletes the renamed tree, which
   * nothing can add to any more.
   *
   * @param context the job's commit context
   * @return whether there was a staging directory
   */
  public static boolean deleteStaging(CommitContext context) throws IOException {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    Path retired = layout.retiredStagingDir();
    ops.delete(retired, true); // an earlier retirement whose delete failed
    if (!ops.exists(layout.stagingDir())) {
      return false;
    }
    ops.rename(layout.stagingDir(), retired);
    ops.delete(retired, true);
    return true;
  }
}
