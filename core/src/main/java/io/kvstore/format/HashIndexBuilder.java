package io.kvstore.format;

import java.io.IOException;
import java.util.Arrays;

/**
 * Builds the hash index section of a partition being written (docs/format.md, section 3.4) in 12
 * bytes of heap per key and writes it slot by slot, never holding the table itself.
 *
 * <p>The format fixes the table as record-order insertion with linear probing. Its layout is
 * produced without the table: the home slot ({@link KeyHash#reduce}) grows with the hash's high
 * word, so entries sorted by that word come in slot order. The set of occupied slots of linear
 * probing does not depend on insertion order, so the sorted entries split into clusters (maximal
 * runs of occupied slots), each holding exactly the entries whose probes end in it; inside a
 * cluster the entries are placed again in record order (offset order) in a buffer of the
 * cluster's length. The cluster that runs past the last slot wraps to slot 0 and joins the
 * clusters at the start of the table: it is laid out first, its head written at the start and its
 * tail at the end.
 *
 * <p>Entries live in fixed-size chunks, so growing never copies (no doubling peak).
 */
final class HashIndexBuilder {
  /** Receives the slots of the table in slot order. */
  interface SlotSink {
    /** The next slot's 8-byte value (0 for empty). */
    void put(long slot) throws IOException;
  }

  /** Entries per chunk by default: 128 KB of slots, 64 KB of hash words, below G1's humongous size. */
  static final int DEFAULT_CHUNK_BITS = 14;

  private final int chunkBits;
  private final int chunkMask;
  private long[][] slotChunks = new long[8][];
  private int[][] highChunks = new int[8][];
  private int count;
  private int slots;

  // Buffers of one cluster's layout, reused and grown to the longest cluster.
  private long[] clusterSlots = new long[64];
  private int[] clusterHomes = new int[64];
  private long[] cells = new long[64];

  /** @param chunkBits log2 of the entries per chunk (small in tests, to cross chunk ends) */
  HashIndexBuilder(int chunkBits) {
    this.chunkBits = chunkBits;
    this.chunkMask = (1 << chunkBits) - 1;
  }

  /** Entries added. */
  int count() {
    return count;
  }

  /** Adds the entry of the next record: its key's hash and its slot value (never 0). */
  void add(long hash, long slot) {
    int chunk = count >>> chunkBits;
    if (chunk == slotChunks.length) {
      slotChunks = Arrays.copyOf(slotChunks, chunk * 2);
      highChunks = Arrays.copyOf(highChunks, chunk * 2);
    }
    if (slotChunks[chunk] == null) {
      slotChunks[chunk] = new long[1 << chunkBits];
      highChunks[chunk] = new int[1 << chunkBits];
    }
    slotChunks[chunk][count & chunkMask] = slot;
    highChunks[chunk][count & chunkMask] = (int) (hash >>> 32);
    count++;
  }

  private long slotAt(int i) {
    return slotChunks[i >>> chunkBits][i & chunkMask];
  }

  private int highAt(int i) {
    return highChunks[i >>> chunkBits][i & chunkMask];
  }

  private int home(int i) {
    return KeyHash.reduce((long) highAt(i) << 32, slots);
  }

  /**
   * Writes the table of {@code slotCount} slots to {@code sink} in slot order, exactly as
   * inserting the entries in record order with linear probing would lay it out. The builder
   * releases its entries and is spent afterwards.
   *
   * @param slotCount more than {@link #count()}
   */
  void writeTo(int slotCount, SlotSink sink) throws IOException {
    if (slotCount <= count) {
      throw new IllegalArgumentException(count + " entries need more than " + slotCount + " slots");
    }
    try {
      writeSlots(slotCount, sink);
    } finally {
      slotChunks = null;
      highChunks = null;
      clusterSlots = null;
      clusterHomes = null;
      cells = null;
    }
  }

  private void writeSlots(int slotCount, SlotSink sink) throws IOException {
    this.slots = slotCount;
    sortByHigh();
    // Clusters of a table without wrap-around: the last may run past the last slot.
    long end = 0;
    int lastStart = 0;
    for (int i = 0; i < count; i++) {
      int h = home(i);
      if (h > end) {
        lastStart = i;
      }
      end = Math.max(end, h) + 1;
    }
    if (end <= slots) {
      writeLinear(0, count, 0, slots, sink);
      return;
    }
    // The last cluster's overflow takes slots 0, 1, ... first; the start entries that touch it
    // join the wrapped cluster up to the first empty slot g.
    int a = lastStart;
    int c = home(a);
    long g = end - slots;
    int b = 0;
    while (b < a && home(b) <= g) {
      g = Math.max(g, home(b)) + 1;
      b++;
    }
    if (g >= c) {
      throw new IllegalStateException("hash index without an empty slot: " + count + " entries, "
          + slots + " slots");
    }
    int tail = slots - c;
    int length = tail + (int) g;
    int n = 0;
    ensureCluster(length);
    for (int i = a; i < count; i++) {
      clusterSlots[n] = slotAt(i);
      clusterHomes[n++] = home(i) - c;
    }
    for (int i = 0; i < b; i++) {
      clusterSlots[n] = slotAt(i);
      clusterHomes[n++] = home(i) + tail;
    }
    layOut(n, length);
    for (int p = tail; p < length; p++) {
      sink.put(cells[p]);
    }
    // The clusters in between reuse the layout buffers: keep the tail apart.
    long[] tailCells = Arrays.copyOf(cells, tail);
    writeLinear(b, a, (int) g, c, sink);
    for (long slot : tailCells) {
      sink.put(slot);
    }
  }

  /**
   * Writes slots {@code [fromCell, toCell)}, holding exactly entries {@code [from, to)}, none of
   * whose clusters crosses either bound.
   */
  private void writeLinear(int from, int to, int fromCell, int toCell, SlotSink sink)
      throws IOException {
    int cell = fromCell;
    int i = from;
    while (i < to) {
      int base = home(i);
      for (; cell < base; cell++) {
        sink.put(0);
      }
      long end = base;
      int j = i;
      while (j < to && home(j) <= end) {
        end = Math.max(end, home(j)) + 1;
        j++;
      }
      int length = (int) (end - base);
      ensureCluster(length);
      for (int k = i; k < j; k++) {
        clusterSlots[k - i] = slotAt(k);
        clusterHomes[k - i] = home(k) - base;
      }
      layOut(j - i, length);
      for (int p = 0; p < length; p++) {
        sink.put(cells[p]);
      }
      cell += length;
      i = j;
    }
    for (; cell < toCell; cell++) {
      sink.put(0);
    }
  }

  private void ensureCluster(int length) {
    if (clusterSlots.length < length) {
      int size = Math.max(length, clusterSlots.length * 2);
      clusterSlots = new long[size];
      clusterHomes = new int[size];
      cells = new long[size];
    }
  }

  /** Inserts the {@code n} cluster entries in record (offset) order into {@code cells}. */
  private void layOut(int n, int length) {
    sortByOffset(n);
    Arrays.fill(cells, 0, length, 0L);
    for (int k = 0; k < n; k++) {
      int p = clusterHomes[k];
      while (cells[p] != 0) {
        p++;
      }
      cells[p] = clusterSlots[k];
    }
  }

  private void sortByOffset(int n) {
    // Insertion sort for the short clusters of a load factor <= 0.95, a shell sort past that.
    for (int gap = n < 64 ? 1 : n / 3; gap >= 1; gap = gap == 1 ? 0 : Math.max(1, gap / 3)) {
      for (int i = gap; i < n; i++) {
        long s = clusterSlots[i];
        int h = clusterHomes[i];
        long key = s & PartitionFormat.OFFSET_MASK;
        int j = i;
        while (j >= gap && (clusterSlots[j - gap] & PartitionFormat.OFFSET_MASK) > key) {
          clusterSlots[j] = clusterSlots[j - gap];
          clusterHomes[j] = clusterHomes[j - gap];
          j -= gap;
        }
        clusterSlots[j] = s;
        clusterHomes[j] = h;
      }
    }
  }

  /**
   * Sorts the entries by the unsigned high hash word: in-place distribution passes on 8 bits at a
   * time from the top (American flag sort, each pass writing into at most 256 places, which the
   * caches hold), down to buckets small enough for quicksort.
   */
  private void sortByHigh() {
    radixSort(0, count, 24, new int[4][256], new int[4][256]);
  }

  private void radixSort(int from, int to, int shift, int[][] nexts, int[][] ends) {
    if (to - from <= 64 || shift < 0) {
      sort(from, to - 1);
      return;
    }
    int level = 3 - shift / 8;
    int[] next = nexts[level];
    int[] end = ends[level];
    Arrays.fill(end, 0);
    for (int i = from; i < to; i++) {
      end[(highAt(i) >>> shift) & 0xFF]++;
    }
    int sum = from;
    for (int d = 0; d < 256; d++) {
      next[d] = sum;
      sum += end[d];
      end[d] = sum;
    }
    // Each swap puts one entry into its bucket for good.
    for (int d = 0; d < 256; d++) {
      while (next[d] < end[d]) {
        int digit = (highAt(next[d]) >>> shift) & 0xFF;
        if (digit == d) {
          next[d]++;
        } else {
          swap(next[d], next[digit]++);
        }
      }
    }
    int start = from;
    for (int d = 0; d < 256; d++) {
      int stop = end[d];
      radixSort(start, stop, shift - 8, nexts, ends);
      start = stop;
    }
  }

  /** Quicksort of entries {@code [lo, hi]} by the unsigned high hash word. */
  private void sort(int lo, int hi) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      int pivot = median(highAt(lo), highAt(mid), highAt(hi));
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (Integer.compareUnsigned(highAt(i), pivot) < 0) {
          i++;
        }
        while (Integer.compareUnsigned(highAt(j), pivot) > 0) {
          j--;
        }
        if (i <= j) {
          swap(i++, j--);
        }
      }
      // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
      if (j - lo < hi - i) {
        sort(lo, j);
        lo = i;
      } else {
        sort(i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      for (int j = i; j > lo && Integer.compareUnsigned(highAt(j - 1), highAt(j)) > 0; j--) {
        swap(j - 1, j);
      }
    }
  }

  private static int median(int x, int y, int z) {
    if (Integer.compareUnsigned(x, y) > 0) {
      int t = x;
      x = y;
      y = t;
    }
    if (Integer.compareUnsigned(y, z) > 0) {
      y = z;
    }
    return Integer.compareUnsigned(x, y) > 0 ? x : y;
  }

  private void swap(int i, int j) {
    long[] si = slotChunks[i >>> chunkBits];
    long[] sj = slotChunks[j >>> chunkBits];
    int[] hi = highChunks[i >>> chunkBits];
    int[] hj = highChunks[j >>> chunkBits];
    int pi = i & chunkMask;
    int pj = j & chunkMask;
    long s = si[pi];
    si[pi] = sj[pj];
    sj[pj] = s;
    int h = hi[pi];
    hi[pi] = hj[pj];
    hj[pj] = h;
  }
}
