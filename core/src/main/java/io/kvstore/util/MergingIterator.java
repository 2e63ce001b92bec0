package io.kvstore.util;

import io.kvstore.Bytes;
import io.kvstore.fs.Closer;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;

/**
 * The k-way merge of {@link SortedSource}s by unsigned byte order of their keys, on a binary heap:
 * each entry costs one sift of depth log2(k), and the entry taken stays in place until the merge
 * moves on, so its key (a view into the source's buffer) needs no copy. Equal keys come out in the
 * order their sources were {@linkplain #add added}, so a merge of runs written in input order is
 * stable; a {@link DuplicateHandler} is told of every key that two sources hold at once, with both
 * sources, before the first of them is returned.
 *
 * <p>Lazy: a source is advanced only when the merge needs its next key, and sources may be added
 * while merging (a store scan opens a partition only once the merge reaches its first key). The
 * merge owns its sources: each is closed once it ends, and {@link #close()} closes the rest.
 *
 * <p>Every call ({@link #add}, {@link #peek}, {@link #next}) first advances the source returned
 * by the previous {@link #next}, so the entry it was on stays valid only until then. Not
 * thread-safe.
 *
 * @param <S> the type of the sources, handed back positioned on the current entry
 */
public final class MergingIterator<S extends SortedSource> implements Closeable {
  /** Told of a key that two sources hold. */
  @FunctionalInterface
  public interface DuplicateHandler<S> {
    /**
     * Called when {@code earlier} and {@code later} are both on {@code key}, before the merge
     * returns {@code earlier}'s entry; throw to stop the merge, return to let both entries out.
     *
     * @param key a copy of the key
     * @param earlier the source added first
     * @param later the source added after it
     */
    void duplicate(byte[] key, S earlier, S later) throws IOException;
  }

  /** A source and the order it was added in, which breaks ties between equal keys. */
  private static final class Node<S> {
    final S source;
    final long order;

    Node(S source, long order) {
      this.source = source;
      this.order = order;
    }
  }

  private final DuplicateHandler<? super S> onDuplicate;
  private Node<S>[] heap;
  private int size;
  private long added;
  /** Whether heap[0] is the source last returned by next(), still to be advanced. */
  private boolean taken;
  private boolean closed;

  /**
   * A merge of no sources yet.
   *
   * @param onDuplicate told of keys two sources hold, or null to let equal keys out in order
   */
  @SuppressWarnings("unchecked")
  public MergingIterator(DuplicateHandler<? super S> onDuplicate) {
    this.onDuplicate = onDuplicate;
    this.heap = (Node<S>[]) new Node<?>[8];
  }

  /**
   * Adds a source and advances it to its first entry; the merge owns it from now on, closing it
   * at once if it is empty or fails.
   *
   * @throws IllegalStateException if the merge is closed (the source is closed too)
   */
  public void add(S source) throws IOException {
    if (closed) {
      IllegalStateException misuse = new IllegalStateException("the merge is closed");
      Closer.closeAfter(misuse, source);
      throw misuse;
    }
    settle();
    boolean has;
    try {
      has = source.advance();
    } catch (IOException | RuntimeException e) {
      Closer.closeAfter(e, source);
      throw e;
    }
    if (!has) {
      source.close();
      return;
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = new Node<>(source, added++);
    siftUp(size++);
  }

  /**
   * The source on the smallest key, without taking its entry: the key the merge reaches next.
   *
   * @return null when every source has ended
   */
  public S peek() throws IOException {
    checkOpen();
    settle();
    return size == 0 ? null : heap[0].source;
  }

  /**
   * Takes the smallest entry, after telling the duplicate handler if another source is on the
   * same key.
   *
   * @return the source positioned on it, or null when every source has ended
   */
  public S next() throws IOException {
    checkOpen();
    settle();
    if (size == 0) {
      return null;
    }
    if (onDuplicate != null && size > 1) {
      Node<S> top = heap[0];
      Node<S> second = heap[size > 2 && less(heap[2], heap[1]) ? 2 : 1];
      if (compareKeys(top.source, second.source) == 0) {
        SortedSource s = top.source;
        onDuplicate.duplicate(Arrays.copyOfRange(s.keyBuffer(), s.keyOffset(),
            s.keyOffset() + s.keyLength()), top.source, second.source);
      }
    }
    taken = true;
    return heap[0].source;
  }

  /**
   * Sources that have not ended, the one last returned by {@link #next} included: when it is 1,
   * the rest of the merge is that source's entries alone.
   */
  public int sourcesLeft() {
    return size;
  }

  /** Closes every source that has not ended; the first failure is thrown, later ones suppressed. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Closer closer = new Closer();
    for (int i = 0; i < size; i++) {
      closer.close(heap[i].source);
      heap[i] = null;
    }
    size = 0;
    closer.finish();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the merge is closed");
    }
  }

  /** Advances the source last returned and restores the heap. */
  private void settle() throws IOException {
    if (!taken) {
      return;
    }
    taken = false;
    Node<S> top = heap[0];
    boolean has;
    try {
      has = top.source.advance();
    } catch (IOException | RuntimeException e) {
      removeTop();
      Closer.closeAfter(e, top.source);
      throw e;
    }
    if (has) {
      siftDown(0);
    } else {
      removeTop();
      top.source.close();
    }
  }

  private void removeTop() {
    size--;
    heap[0] = heap[size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0);
    }
  }

  private void siftUp(int i) {
    Node<S> node = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(node, heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = node;
  }

  private void siftDown(int i) {
    Node<S> node = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && less(heap[right], heap[child])) {
        child = right;
      }
      if (!less(heap[child], node)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = node;
  }

  private boolean less(Node<S> a, Node<S> b) {
    int c = compareKeys(a.source, b.source);
    return c < 0 || (c == 0 && a.order < b.order);
  }

  private static int compareKeys(SortedSource a, SortedSource b) {
    return Bytes.compare(a.keyBuffer(), a.keyOffset(), a.keyLength(),
        b.keyBuffer(), b.keyOffset(), b.keyLength());
  }
}
