package io.kvstore.commit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures of one job commit, recorded in the store manifest's properties under
 * {@value #PREFIX} and logged, so a slow or surprising commit can be explained afterwards.
 */
public final class CommitStatistics {
  /** Prefix of the manifest properties. */
  public static final String PREFIX = "kvstore.commit.";

  private int tasks;
  private int emptyTasks;
  private int partitions;
  private long keys;
  private long bytes;
  private int duplicateCheckPartitions;
  private long duplicateCheckRecords;
  private long loadMillis;
  private long checkMillis;
  private long moveMillis;

  /** Counts one committed task and its output. */
  public void addTask(TaskManifest manifest) {
    tasks++;
    if (manifest.getPartitions().isEmpty()) {
      emptyTasks++;
    }
    partitions += manifest.getPartitions().size();
    keys += manifest.keyCount();
    bytes += manifest.sizeBytes();
  }

  /** Records what the duplicate key check read. */
  public void setDuplicateCheck(int checkedPartitions, long records) {
    this.duplicateCheckPartitions = checkedPartitions;
    this.duplicateCheckRecords = records;
  }

  /** Records the time taken to load and verify task output. */
  public void setLoadMillis(long millis) {
    this.loadMillis = millis;
  }

  /** Records the time the duplicate key check took. */
  public void setCheckMillis(long millis) {
    this.checkMillis = millis;
  }

  /** Records the time moving the files into the store took. */
  public void setMoveMillis(long millis) {
    this.moveMillis = millis;
  }

  /** Committed tasks. */
  public int tasks() {
    return tasks;
  }

  /** Partition files published. */
  public int partitions() {
    return partitions;
  }

  /** Pairs published. */
  public long keys() {
    return keys;
  }

  /** Bytes of partition files published. */
  public long bytes() {
    return bytes;
  }

  /** The figures as manifest properties. */
  public Map<String, String> toProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(PREFIX + "tasks", Integer.toString(tasks));
    p.put(PREFIX + "tasks.empty", Integer.toString(emptyTasks));
    p.put(PREFIX + "partitions", Integer.toString(partitions));
    p.put(PREFIX + "keys", Long.toString(keys));
    p.put(PREFIX + "bytes", Long.toString(bytes));
    p.put(PREFIX + "duplicate.check.partitions", Integer.toString(duplicateCheckPartitions));
    p.put(PREFIX + "duplicate.check.records", Long.toString(duplicateCheckRecords));
    p.put(PREFIX + "load.millis", Long.toString(loadMillis));
    p.put(PREFIX + "check.millis", Long.toString(checkMillis));
    p.put(PREFIX + "move.millis", Long.toString(moveMillis));
    return p;
  }

  @Override
  public String toString() {
    return tasks + " tasks (" + emptyTasks + " empty), " + partitions + " partitions, " + keys
        + " keys, " + bytes + " bytes; duplicate check read " + duplicateCheckRecords
        + " records of " + duplicateCheckPartitions + " partitions; load " + loadMillis
        + " ms, check " + checkMillis + " ms, move " + moveMillis + " ms";
  }
}
