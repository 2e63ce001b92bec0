package io.kvstore.commit;

import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job setup: creates the store directory, claims it with the marker (created exclusively, so two
 * jobs can never share a store) and creates the job's staging directories. Refuses a path that
 * holds anything, except the incomplete store of this very job, which a restarted application
 * master sets up again.
 */
public final class SetupJobStage {
  private static final Logger LOG = LoggerFactory.getLogger(SetupJobStage.class);

  private final CommitContext context;

  /** @param context the job's commit context */
  public SetupJobStage(CommitContext context) {
    this.context = context;
  }

  /** Runs the stage. */
  public void run() throws IOException {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    StoreLayout.State state = StoreLayout.stateOf(ops, layout.storeDir());
    if (state == StoreLayout.State.INCOMPLETE
        && layout.jobId().equals(StoreMarker.readOwner(ops, layout.marker()))) {
      LOG.info("{} store {} already set up by this job (application master restart); reusing it",
          context.logPrefix(), layout.storeDir());
    } else if (state == StoreLayout.State.ABSENT) {
      ops.mkdirs(layout.storeDir());
      try {
        StoreMarker.create(ops, layout.marker(), layout.jobId());
      } catch (IOException e) {
        // Another job created the directory first; leave it to that job.
        throw new FileAlreadyExistsException(context.logPrefix() + " cannot set up the store "
            + layout.storeDir() + ": could not create its marker (" + e.getMessage()
            + "); another job may be writing there");
      }
    } else {
      throw new FileAlreadyExistsException(OutputPathCheck.describeRefusal(ops,
          layout.storeDir(), state));
    }
    ops.mkdirs(layout.tasksDir());
    ops.mkdirs(layout.committedDir());
    LOG.info("{} set up store {} (staging {})", context.logPrefix(), layout.storeDir(),
        layout.stagingDir().getName());
  }
}
