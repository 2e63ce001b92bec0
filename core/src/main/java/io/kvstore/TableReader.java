package io.kvstore;

import java.io.IOException;

/**
 * Reads a table and follows it to each new current version. Every call (a lookup, an iterator
 * for its whole life, {@link #size()}, {@link #partitions()}) answers from exactly one version.
 *
 * <p>A new version is noticed by {@link #refresh()} and, every
 * {@link KeyValueConf#TABLE_POLL_INTERVAL_MS}, by a background thread. It is opened and
 * verified (with {@link KeyValueConf#LOCAL_COPY_DIR} set: copied, its checksums checked) while
 * the old version keeps serving; then one atomic switch sends new calls to it. Calls already
 * running finish on the old version, which is closed when its last call ends (an iterator holds
 * its version until it is closed or exhausted). No call ever waits for a switch. A version that
 * fails to open, verify or copy is not switched to: the reader keeps serving, tells its
 * {@link TableListener}s and records why in {@link #statistics()}.
 */
public interface TableReader extends KeyValueStoreReader {

  /** The version that new calls are answered from. */
  long currentVersion();

  /**
   * Checks the table's pointer now and, if it names another version, opens, verifies and
   * switches to it before returning. Runs one at a time with the polling thread.
   *
   * @return whether the reader switched
   * @throws IOException why the new version was refused (the reader keeps serving the old
   *     one), or why the pointer could not be read
   */
  boolean refresh() throws IOException;

  /** Adds a listener told of every later switch and refusal. */
  void addListener(TableListener listener);

  /** Statistics of the version being served, plus switches and refusals. */
  @Override
  TableStatistics statistics();

  /**
   * Stops polling and closes every version still open: lookups in flight finish first, iterators
   * still open fail on their next read, later calls throw {@link IllegalStateException}.
   */
  @Override
  void close() throws IOException;
}
