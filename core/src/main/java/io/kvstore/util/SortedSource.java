package io.kvstore.util;

import java.io.Closeable;
import java.io.IOException;

/**
 * A cursor over entries in non-decreasing unsigned byte order of their keys: what a
 * {@link MergingIterator} merges. A source starts before its first entry; the key view of the
 * current entry stays valid until the next {@link #advance()}.
 */
public interface SortedSource extends Closeable {
  /**
   * Moves to the next entry.
   *
   * @return false at the end, after which the source is not advanced again
   */
  boolean advance() throws IOException;

  /** The array holding the current key. */
  byte[] keyBuffer();

  /** Where the current key starts in {@link #keyBuffer()}. */
  int keyOffset();

  /** The length of the current key. */
  int keyLength();
}
