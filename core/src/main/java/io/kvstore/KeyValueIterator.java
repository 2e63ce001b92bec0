package io.kvstore;

import java.io.Closeable;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * Iterates pairs in ascending unsigned key order. Unlike {@link java.util.Iterator} its methods
 * may throw {@link IOException}: reading a store is I/O, and errors are not hidden in unchecked
 * wrappers. Not thread-safe; close it to release its streams early (it also closes itself at the
 * end).
 */
public interface KeyValueIterator extends Closeable {

  /** Whether {@link #next()} has another pair. */
  boolean hasNext() throws IOException;

  /**
   * The next pair.
   *
   * @throws NoSuchElementException at the end
   * @throws CorruptStoreException if a record fails its checksum
   */
  KeyValuePair next() throws IOException;
}
