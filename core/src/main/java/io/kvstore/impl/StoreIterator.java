package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.format.PartitionScanner;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Iterates a store in key order. Partitions with disjoint ranges are read one after another,
 * opening each only when reached; overlapping partitions (hash-partitioned job output) are read
 * together through a k-way merge on a priority queue.
 */
final class StoreIterator implements KeyValueIterator {
  /** Opens the scan of one partition. */
  interface ScanOpener {
    BoundedScan open(int partition) throws IOException;
  }

  private final ScanOpener opener;
  private final Deque<Integer> pending;
  private final boolean merge;
  private final PriorityQueue<BoundedScan> heap = new PriorityQueue<>((a, b) -> {
    PartitionScanner x = a.current();
    PartitionScanner y = b.current();
    return Bytes.compare(x.keyBuffer(), x.keyOffset(), x.keyLength(),
        y.keyBuffer(), y.keyOffset(), y.keyLength());
  });
  private BoundedScan sequential;
  private KeyValuePair next;
  private boolean closed;

  /**
   * @param partitions partition indexes in first-key order
   * @param merge whether ranges overlap and need merging
   */
  StoreIterator(int[] partitions, boolean merge, ScanOpener opener) throws IOException {
    this.opener = opener;
    this.merge = merge;
    this.pending = new ArrayDeque<>();
    for (int p : partitions) {
      pending.add(p);
    }
    if (merge) {
      try {
        while (!pending.isEmpty()) {
          BoundedScan scan = opener.open(pending.poll());
          if (scan.advance()) {
            heap.add(scan);
          }
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }
  }

  @Override
  public boolean hasNext() throws IOException {
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
      BoundedScan top = heap.poll();
      if (top == null) {
        return null;
      }
      KeyValuePair pair = new KeyValuePair(top.current().copyKey(), top.current().copyValue());
      if (top.advance()) {
        heap.add(top);
      }
      return pair;
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

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    if (sequential != null) {
      try {
        sequential.close();
      } catch (IOException e) {
        first = e;
      }
    }
    for (BoundedScan scan : heap) {
      try {
        scan.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    heap.clear();
    if (first != null) {
      throw first;
    }
  }
}
