package io.kvstore.format;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a partition reader fetches single records for lookups: a memory map of a local file, or
 * positional reads of any filesystem's stream. Implementations are thread-safe.
 */
interface RecordSource extends Closeable {

  /**
   * The value of the record at {@code offset} if its key equals {@code key[off, off + len)}, or
   * null if the record holds another key. The record's checksum is checked before its key is
   * compared, so a damaged record fails instead of looking absent.
   */
  byte[] valueIfKeyMatches(long offset, byte[] key, int off, int len) throws IOException;

  /**
   * Reads made so far: every positional read (a record larger than the first read takes two), or
   * every record access of a memory map.
   */
  long reads();
}
