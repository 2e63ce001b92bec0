package io.kvstore.format;

/**
 * Bytes of a partition file read by one positional read for the lookups of several records in
 * them (a multi-get coalescing the reads of records that lie close together). Given to a lookup
 * through {@link ValueHit#use}, its source answers from these bytes instead of reading each
 * record; a record that starts outside them, or runs past their end, is read as usual.
 * Immutable.
 */
public final class RecordRange {
  final RecordSource source;
  final long start;
  final byte[] bytes;

  RecordRange(RecordSource source, long start, byte[] bytes) {
    this.source = source;
    this.start = start;
    this.bytes = bytes;
  }

  /** Offset in the file of the first byte read. */
  public long start() {
    return start;
  }

  /** Number of bytes read. */
  public int length() {
    return bytes.length;
  }
}
