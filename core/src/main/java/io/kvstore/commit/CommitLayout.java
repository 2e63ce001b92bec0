package io.kvstore.commit;

import io.kvstore.format.StoreLayout;
import org.apache.hadoop.fs.Path;

/**
 * Where a job's files live while it writes a store, for any engine (MapReduce names jobs, tasks
 * and attempts by Hadoop's ids, Spark by ids of its own; here they are opaque strings).
 * Everything is derived from the store path and the job id alone, never from the application attempt, so a committer built anywhere (a
 * task, the application master, a cleanup process, a restarted application master) finds the
 * same places.
 *
 * <pre>
 * store/
 *   _kvstore_incomplete                         marker, content = job id (created exclusively)
 *   _kvstore_tmp_job_X/                          staging, this job's alone
 *     tasks/attempt_X_r_000003_0/                one attempt's work directory
 *       part-r-00003-000.kvp ...                 its partition files
 *       _kvstore_task_output                     what its record writer wrote, on close
 *     committed/task_X_r_000003.task             task manifest: the task's commit
 *     committed/_kvstore_tmp_attempt_X_r_...     a task manifest before its rename
 *   _kvstore_tmp_retired_job_X/                  staging being deleted after commit or abort
 * </pre>
 */
public final class CommitLayout {
  /** Name of the record a closed record writer leaves in its attempt directory. */
  public static final String WRITER_RECORD_NAME = "_kvstore_task_output";
  /** Extension of committed task manifests. */
  public static final String TASK_MANIFEST_EXTENSION = ".task";
  /** Hadoop's name for the empty file marking a successful job. */
  public static final String SUCCESS_NAME = "_SUCCESS";

  private final Path storeDir;
  private final String jobId;

  /**
   * @param storeDir the store the job writes
   * @param jobId the job's id, unique among jobs that may write to the store's parent
   */
  public CommitLayout(Path storeDir, String jobId) {
    this.storeDir = storeDir;
    this.jobId = jobId;
  }

  /** The store directory. */
  public Path storeDir() {
    return storeDir;
  }

  /** The job id as recorded in the marker. */
  public String jobId() {
    return jobId;
  }

  /** The incomplete-store marker. */
  public Path marker() {
    return new Path(storeDir, StoreLayout.INCOMPLETE_MARKER_NAME);
  }

  /** The store manifest. */
  public Path manifest() {
    return new Path(storeDir, StoreLayout.MANIFEST_NAME);
  }

  /** Hadoop's success marker. */
  public Path successMarker() {
    return new Path(storeDir, SUCCESS_NAME);
  }

  /** This job's staging directory; the temp prefix keeps it invisible to readers. */
  public Path stagingDir() {
    return new Path(storeDir, StoreLayout.TEMP_PREFIX + jobId);
  }

  /**
   * Where job commit and abort move the staging directory before deleting it: once it is gone
   * from its own name, an attempt still running can no longer add anything to it (attempts
   * create non-recursively under the staging name), so the delete cannot race with them.
   */
  public Path retiredStagingDir() {
    return new Path(storeDir, StoreLayout.TEMP_PREFIX + "retired_" + jobId);
  }

  /** Parent of all attempt work directories. */
  public Path tasksDir() {
    return new Path(stagingDir(), "tasks");
  }

  /** Parent of committed task manifests. */
  public Path committedDir() {
    return new Path(stagingDir(), "committed");
  }

  /** Work directory of one task attempt, named by the attempt's id. */
  public Path attemptDir(String attempt) {
    return new Path(tasksDir(), attempt);
  }

  /** The record the attempt's writer leaves on close. */
  public Path writerRecord(String attempt) {
    return new Path(attemptDir(attempt), WRITER_RECORD_NAME);
  }

  /** The committed manifest of a task: keyed by task, so only one attempt can own it. */
  public Path taskManifest(String task) {
    return new Path(committedDir(), task + TASK_MANIFEST_EXTENSION);
  }

  /** Where an attempt writes its task manifest before renaming it into place. */
  public Path taskManifestTemp(String attempt) {
    return new Path(committedDir(), StoreLayout.TEMP_PREFIX + attempt);
  }
}
