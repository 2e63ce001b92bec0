package io.kvstore;

/**
 * What an open reader has cost so far: lookups served, record reads they needed, and the heap its
 * indexes hold. A snapshot; counters are exact once concurrent calls have returned.
 */
public class ReaderStatistics {
  private final long lookups;
  private final long recordReads;
  private final long heapBytes;
  private final long keys;

  /**
   * @param lookups calls to get
   * @param recordReads reads of records those calls made (positional reads on remote
   *     filesystems, record accesses of a memory map on the local one)
   * @param heapBytes heap held by the open indexes
   * @param keys keys in the store
   */
  public ReaderStatistics(long lookups, long recordReads, long heapBytes, long keys) {
    this.lookups = lookups;
    this.recordReads = recordReads;
    this.heapBytes = heapBytes;
    this.keys = keys;
  }

  /** Calls to get. */
  public long getLookups() {
    return lookups;
  }

  /** Record reads made by lookups. */
  public long getRecordReads() {
    return recordReads;
  }

  /** Heap bytes held by the open indexes (hash slots and sparse index). */
  public long getHeapBytes() {
    return heapBytes;
  }

  /** Heap bytes held per key, or 0 for an empty store. */
  public double getHeapBytesPerKey() {
    return keys == 0 ? 0 : heapBytes / (double) keys;
  }

  /** Record reads per lookup, or 0 before any lookup. */
  public double getReadsPerLookup() {
    return lookups == 0 ? 0 : recordReads / (double) lookups;
  }

  @Override
  public String toString() {
    return String.format("lookups=%d, reads=%d (%.4f per lookup), heap=%d bytes (%.2f per key)",
        lookups, recordReads, getReadsPerLookup(), heapBytes, getHeapBytesPerKey());
  }
}
