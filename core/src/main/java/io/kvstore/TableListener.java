package io.kvstore;

import java.io.IOException;

/**
 * Told by a {@link TableReader} what happens to the versions it follows. Called on the thread
 * that refreshed (the reader's polling thread, or the caller of {@link TableReader#refresh()});
 * a listener should return quickly and must not close the reader. An exception thrown by a
 * listener is logged and does not stop the reader.
 */
public interface TableListener {

  /** The reader now serves version {@code to}; calls on {@code from} are finishing. */
  default void switched(long from, long to) {}

  /**
   * The reader did not switch to version {@code version}, which failed to open, verify or copy,
   * and keeps serving its current version.
   *
   * @param reason what failed: a {@link CorruptStoreException} names the damaged file
   */
  default void refused(long version, IOException reason) {}
}
