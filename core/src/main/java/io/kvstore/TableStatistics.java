package io.kvstore;

/**
 * What a {@link TableReader} has done: the {@link ReaderStatistics} of the version it serves, which
 * version that is, how many switches it made, and the last version it refused and why. A snapshot.
 */
public final class TableStatistics extends ReaderStatistics {
  private final long currentVersion;
  private final long switches;
  private final long refusals;
  private final long lastRefusedVersion;
  private final String lastRefusal;

  /**
   * @param serving statistics of the version being served
   * @param keys keys of the version being served
   * @param currentVersion the version being served
   * @param switches switches to a new version since the reader opened
   * @param refusals versions refused (failed to open, verify or copy)
   * @param lastRefusedVersion the last version refused, or 0
   * @param lastRefusal why it was refused (the error's message), or null
   */
  public TableStatistics(ReaderStatistics serving, long keys, long currentVersion, long switches,
      long refusals, long lastRefusedVersion, String lastRefusal) {
    super(serving.getLookups(), serving.getRecordReads(), serving.getHeapBytes(), keys);
    this.currentVersion = currentVersion;
    this.switches = switches;
    this.refusals = refusals;
    this.lastRefusedVersion = lastRefusedVersion;
    this.lastRefusal = lastRefusal;
  }

  /** The version being served. */
  public long getCurrentVersion() {
    return currentVersion;
  }

  /** Switches to another version since the reader opened. */
  public long getSwitches() {
    return switches;
  }

  /** Versions refused since the reader opened. */
  public long getRefusals() {
    return refusals;
  }

  /** The last version refused, or 0 if none was. */
  public long getLastRefusedVersion() {
    return lastRefusedVersion;
  }

  /** Why the last refused version was refused, or null if none was. */
  public String getLastRefusal() {
    return lastRefusal;
  }

  @Override
  public String toString() {
    return "version=" + currentVersion + ", switches=" + switches + ", refusals=" + refusals
        + (lastRefusal == null ? "" : " (last: version " + lastRefusedVersion + ": "
            + lastRefusal + ")") + ", " + super.toString();
  }
}
