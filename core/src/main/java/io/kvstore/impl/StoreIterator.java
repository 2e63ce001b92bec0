package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.fs.Closer;
import io.kvstore.util.MergingIterator;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;

/**
 * Iterates a store in key order. Partitions with disjoint ranges are read one after another,
 * opening each only when reached; overlapping partitions (hash-partitioned job output, merged
 * stores) are read together through a {@link MergingIterator}, each opened only once the
 * merge reaches its first key, so the scans open at once are the ranges that overlap there (the
 * store's overlap depth), not all partitions.
 */
final class StoreIterator implements KeyValueIterator {
  /** Opens the scan of one partition. */
  interface ScanOpener {
    BoundedScan open(int partition) throws IOException;
  }

  private final ScanOpener opener;
  private final Deque<Integer> pending;
  /** First key of each pending partition, by partition index; null unless merging. */
  private final byte[][] firstKeys;
  private final boolean merge;
  /** Partitions of one store hold distinct keys: equal keys need no handler. */
  private final MergingIterator<BoundedScan> merged = new MergingIterator<>(null);
  private BoundedScan sequential;
  private final Runnable onClose;
  private KeyValuePair next;
  private boolean closed;
  private volatile boolean readerClosed;

  /**
   * @param partitions partition indexes in first-key order
   * @param firstKeys the first key of every partition, by partition index, when ranges overlap
   *     and need merging; null to read the partitions one after another
   * @param onClose told once when the iterator closes, so its reader stops tracking it
   */
  StoreIterator(int[] partitions, byte[][] firstKeys, ScanOpener opener, Runnable onClose) {
    this.opener = opener;
    this.onClose = onClose;
    this.merge = firstKeys != null;
    this.firstKeys = firstKeys;
    this.pending = new ArrayDeque<>();
    for (int p : partitions) {
      pending.add(p);
    }
  }

  /**
   * Opens the pending partitions that may hold a key before the smallest key of the open scans:
   * those whose first key is not after it (or the next one, when no scan is open).
   */
  private void openReached() throws IOException {
    while (!pending.isEmpty()) {
      BoundedScan top = merged.peek();
      if (top != null) {
        byte[] first = firstKeys[pending.peek()];
        if (Bytes.compare(first, 0, first.length, top.keyBuffer(), top.keyOffset(),
            top.keyLength()) > 0) {
          return;
        }
      }
      merged.add(opener.open(pending.poll()));
    }
  }

  /** Partition scans open now: the merge keeps this at about the overlap depth. */
  synchronized int openScans() {
    return merged.sourcesLeft() + (sequential == null ? 0 : 1);
  }

  @Override
  public boolean hasNext() throws IOException {
    if (readerClosed) {
      throw new IllegalStateException("The reader of this iterator is closed");
    }
    if (next == null && !closed) {
      next = fetch();
      if (next == null) {
        close();
      }
    }
    return next != null;
  }

  @Override
  public KeyValuePair next() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException("no more pairs");
    }
    KeyValuePair pair = next;
    next = null;
    return pair;
  }

  private KeyValuePair fetch() throws IOException {
    if (merge) {
      openReached();
      BoundedScan top = merged.next();
      return top == null ? null
          : new KeyValuePair(top.current().copyKey(), top.current().copyValue());
    }
    while (true) {
      if (sequential == null) {
        if (pending.isEmpty()) {
          return null;
        }
        sequential = opener.open(pending.poll());
      }
      if (sequential.advance()) {
        return new KeyValuePair(sequential.current().copyKey(), sequential.current().copyValue());
      }
      sequential = null;
    }
  }

  /** Closes this iterator because its reader closed: later calls fail instead of reading on. */
  void closeForReader() throws IOException {
    readerClosed = true;
    close();
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    onClose.run();
    // Every scan is closed and every error kept: the first thrown, the others suppressed on it.
    Closer closer = new Closer();
    closer.close(sequential);
    closer.close(merged);
    closer.finish();
  }
}
