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
   * Loads the first byte of the record at {@code offset} so that its cache line is on its way
   * while the caller works on other keys (a multi-get's second phase), and returns it so the load
   * is not optimised away. A source with nothing in memory to touch returns 0 without reading.
   */
  int touch(long offset);

  /**
   * Reads made so far: every positional read (a record larger than the first read takes two), or
   * every record access of a memory map.
   */
  long reads();
}
