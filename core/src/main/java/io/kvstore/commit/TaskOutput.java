package io.kvstore.commit;

import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * The committed output of one task, as the engine vouches for it: the task's manifest of the
 * partition files its winning attempt finished, and the directory that holds them. MapReduce
 * reads it from the committed task manifest, Spark from the task's commit message; job commit
 * ({@link PublishStage}) publishes nothing else, so files that no committed attempt recorded
 * never reach the store.
 */
public final class TaskOutput {
  private final String task;
  private final int index;
  private final TaskManifest manifest;
  private final Path dir;

  /**
   * @param task the task's id, for messages
   * @param index the task's number among the job's output tasks (its bucket under bucket
   *     routing)
   * @param manifest what the winning attempt wrote
   * @param dir the directory holding the manifest's partition files
   */
  public TaskOutput(String task, int index, TaskManifest manifest, Path dir) {
    this.task = Objects.requireNonNull(task, "task");
    this.index = index;
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** The task's id. */
  public String task() {
    return task;
  }

  /** The task's number among the job's output tasks. */
  public int index() {
    return index;
  }

  /** What the winning attempt wrote. */
  public TaskManifest manifest() {
    return manifest;
  }

  /** The directory holding the partition files. */
  public Path dir() {
    return dir;
  }

  @Override
  public String toString() {
    return task + ": " + manifest;
  }
}
