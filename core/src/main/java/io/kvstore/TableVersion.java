package io.kvstore;

import org.apache.hadoop.fs.Path;

/** One version of a table: a complete store, as its manifest describes it. Immutable. */
public final class TableVersion {
  private final long version;
  private final Path path;
  private final long createdMillis;
  private final long sizeBytes;
  private final long pairCount;
  private final boolean current;

  /**
   * @param version the version number (from 1, increasing with every publish)
   * @param path the version's store directory
   * @param createdMillis when its store was completed (the manifest's time), epoch milliseconds
   * @param sizeBytes bytes of its partition files
   * @param pairCount pairs it holds
   * @param current whether the table's pointer names it
   */
  public TableVersion(long version, Path path, long createdMillis, long sizeBytes, long pairCount,
      boolean current) {
    this.version = version;
    this.path = path;
    this.createdMillis = createdMillis;
    this.sizeBytes = sizeBytes;
    this.pairCount = pairCount;
    this.current = current;
  }

  /** The version number. */
  public long getVersion() {
    return version;
  }

  /** The store directory of this version; {@link KeyValueSystem#openStore} opens it. */
  public Path getPath() {
    return path;
  }

  /** When its store was completed, in epoch milliseconds. */
  public long getCreatedMillis() {
    return createdMillis;
  }

  /** Bytes of its partition files. */
  public long getSizeBytes() {
    return sizeBytes;
  }

  /** Pairs it holds. */
  public long getPairCount() {
    return pairCount;
  }

  /** Whether it was the current version when it was listed. */
  public boolean isCurrent() {
    return current;
  }

  @Override
  public String toString() {
    return "version " + version + (current ? " (current)" : "") + " at " + path + ": "
        + pairCount + " pairs, " + sizeBytes + " bytes";
  }
}
