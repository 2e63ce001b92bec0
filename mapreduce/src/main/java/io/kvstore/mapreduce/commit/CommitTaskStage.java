package io.kvstore.mapreduce.commit;

import io.kvstore.commit.CommitContext;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.StoreMarker;
import io.kvstore.commit.TaskManifest;
import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.Routing;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collections;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task commit: publishes the attempt's {@link TaskManifest} under the task's name with one
 * rename that fails if the name exists, so the first attempt of a task to commit wins and keeps
 * winning. A later attempt of the same task (speculation, or a retry after a commit that was
 * never reported) does not replace it: its commit succeeds without effect, its files are deleted
 * and a warning names the winner. Committing the same attempt twice is a no-op. An attempt that
 * opened no record writer commits an empty task.
 */
public final class CommitTaskStage {
  private static final Logger LOG = LoggerFactory.getLogger(CommitTaskStage.class);

  /** What the commit did. */
  public enum Outcome {
    /** This attempt's manifest is now the task's. */
    COMMITTED,
    /** This attempt had already committed. */
    ALREADY_COMMITTED,
    /** Another attempt of the task committed first; this attempt's output was discarded. */
    DISCARDED
  }

  private final CommitContext context;
  private final TaskAttemptID attempt;

  /**
   * @param context the job's commit context
   * @param attempt the attempt to commit
   */
  public CommitTaskStage(CommitContext context, TaskAttemptID attempt) {
    this.context = context;
    this.attempt = attempt;
  }

  /** Runs the stage. */
  public Outcome run() throws IOException {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    StoreMarker.requireOwned(context, "commit task attempt " + attempt);
    Path committed = layout.taskManifest(attempt.getTaskID().toString());
    Outcome earlier = checkEarlierCommit(committed);
    if (earlier != null) {
      return earlier;
    }
    TaskManifest manifest = loadWriterRecord();
    verifyFiles(manifest);
    Path temp = layout.taskManifestTemp(attempt.toString());
    try {
      // overwrite: a previous commit of this attempt may have died between write and rename.
      manifest.write(ops, temp, true);
      ops.rename(temp, committed);
    } catch (FileAlreadyExistsException e) {
      // Lost a race with another attempt of the task between the check above and the rename.
      Outcome raced = checkEarlierCommit(committed);
      if (raced == null) {
        deleteAfterFailure(temp, e);
        throw e;
      }
      ops.delete(temp, false);
      return raced;
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    LOG.info("{} committed task {}: {}", context.logPrefix(), attempt.getTaskID(), manifest);
    return Outcome.COMMITTED;
  }

  private Outcome checkEarlierCommit(Path committed) throws IOException {
    TaskManifest existing;
    try {
      existing = TaskManifest.read(context.ops(), committed);
    } catch (FileNotFoundException e) {
      return null;
    }
    if (existing.getAttemptId().equals(attempt.toString())) {
      LOG.info("{} task attempt was already committed; nothing to do", context.logPrefix());
      return Outcome.ALREADY_COMMITTED;
    }
    LOG.warn("{} task {} was already committed by attempt {}; this attempt's output is discarded"
        + " and never published", context.logPrefix(), attempt.getTaskID(),
        existing.getAttemptId());
    context.ops().delete(context.layout().attemptDir(attempt.toString()), true);
    return Outcome.DISCARDED;
  }

  private TaskManifest loadWriterRecord() throws IOException {
    FileOperations ops = context.ops();
    Path dir = context.layout().attemptDir(attempt.toString());
    if (!ops.exists(dir)) {
      LOG.info("{} attempt opened no record writer; committing an empty task",
          context.logPrefix());
      return new TaskManifest(attempt.toString(), Collections.emptyList(), Routing.byRange(), true);
    }
    try {
      return TaskManifest.read(ops, context.layout().writerRecord(attempt.toString()));
    } catch (FileNotFoundException e) {
      throw new IOException(context.logPrefix() + " cannot commit: the attempt's record writer"
          + " was opened but not closed (" + dir + " has no " + CommitLayout.WRITER_RECORD_NAME
          + ")", e);
    }
  }

  private void verifyFiles(TaskManifest manifest) throws IOException {
    Path dir = context.layout().attemptDir(attempt.toString());
    for (PartitionInfo p : manifest.getPartitions()) {
      Path file = new Path(dir, p.getFileName());
      FileStatus status;
      try {
        status = context.ops().getFileStatus(file);
      } catch (FileNotFoundException e) {
        throw new CorruptStoreException(file, "partition file recorded by the attempt's writer is"
            + " missing", e);
      }
      if (status.getLen() != p.getSizeBytes()) {
        throw new CorruptStoreException(file, "partition file is " + status.getLen()
            + " bytes but its writer recorded " + p.getSizeBytes());
      }
    }
  }

  private void deleteAfterFailure(Path temp, Exception primary) {
    try {
      context.ops().delete(temp, false);
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
