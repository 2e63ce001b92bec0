package io.kvstore.format;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a partition reader fetches single records for lookups: a memory map of a local file, or
 * positional reads of any filesystem's stream. Implementations are thread-safe.
 */
interface RecordSource extends Closeable {

  /**
   * Whether the record at {@code offset} holds the key {@code key[off, off + len)}; if so,
   * {@code hit} is set to its value. The record's checksum is checked before its key is compared,
   * so a damaged record fails instead of looking absent. The one per-record routine of every
   * lookup: single gets, multi-gets and copies into caller buffers all go through it.
   */
  boolean find(long offset, byte[] key, int off, int len, ValueHit hit) throws IOException;

  /**
   * Adds to {@code loads} a load of each cache line of the record at {@code offset} (up to a few
   * hundred bytes), so that a multi-get brings the records of a group in at once before it checks
   * them. A source with nothing in memory adds nothing.
   */
  void addLoads(long offset, BatchLoads loads);

  /**
   * End of the bytes the first read of the record at {@code offset} covers: a positional read
   * takes up to the lookup read size; a memory map reads nothing ({@code offset}).
   */
  default long readEnd(long offset) {
    return offset;
  }

  /** Filesystem block size of the file; positional reads within one block are one block read. */
  default long blockSize() {
    return Long.MAX_VALUE;
  }

  /**
   * Reads {@code [start, end)} of the file at once, for the lookups of several records in it
   * (see {@link ValueHit#use}). Only sources of positional reads read ranges.
   */
  default RecordRange readRange(long start, long end) throws IOException {
    throw new UnsupportedOperationException("records are not read by positional reads");
  }

  /**
   * Reads made so far: every positional read (a record larger than the first read takes two), or
   * every record access of a memory map.
   */
  long reads();
}
