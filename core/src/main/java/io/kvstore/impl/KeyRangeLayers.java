package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.PartitionInfo;
import io.kvstore.format.ValueHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Partitions split into layers of pairwise-disjoint key ranges, so that finding the partitions
 * whose {@code [firstKey, lastKey]} holds a key costs one binary search per layer instead of a
 * look at every partition. Built greedily in first-key order, each partition joining the layer
 * that ended earliest if that layer ended before it starts (interval partitioning): the number of
 * layers is the largest number of ranges sharing one key, e.g. 1 for disjoint ranges and 2 for two
 * interleaved stores merged, whatever the partition count. Immutable; lookups allocate nothing.
 */
final class KeyRangeLayers {
  /** Asked about each partition whose range holds the key, until one finds it. */
  interface Probe {
    /**
     * Whether partition {@code partition} holds {@code key}; if so {@code hit} is set to its value.
     *
     * @param hash what the caller passed to {@link #find}, handed through unchanged
     */
    boolean find(int partition, byte[] key, int off, int len, long hash, ValueHit hit)
        throws IOException;
  }

  /** Layer {@code l} is entries {@code [layerStart[l], layerStart[l + 1])}, by first key. */
  private final int[] layerStart;
  /** Partition index of each entry. */
  private final int[] partition;
  private final byte[][] firstKeys;
  private final byte[][] lastKeys;

  /**
   * @param partitions every partition of the store
   * @param members the indexes (into {@code partitions}) of those to layer
   */
  KeyRangeLayers(List<PartitionInfo> partitions, int[] members) {
    int n = members.length;
    byte[][] first = new byte[partitions.size()][];
    byte[][] last = new byte[partitions.size()][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      int p = members[i];
      order[i] = p;
      first[p] = partitions.get(p).getFirstKey();
      last[p] = partitions.get(p).getLastKey();
    }
    Arrays.sort(order, (x, y) -> {
      int c = Bytes.compare(first[x], first[y]);
      return c != 0 ? c : Bytes.compare(last[x], last[y]);
    });
    partition = new int[n];
    firstKeys = new byte[n][];
    lastKeys = new byte[n][];
    boolean disjoint = n > 0;
    for (int i = 0; i < n && disjoint; i++) {
      int p = order[i];
      disjoint = i == 0 || Bytes.compare(last[order[i - 1]], first[p]) < 0;
      partition[i] = p;
      firstKeys[i] = first[p];
      lastKeys[i] = last[p];
    }
    if (disjoint) {
      // The common case (a store written in key order): one layer, which the greedy pass below
      // would build too, without its queue and boxed lists (an open runs this interpreted).
      layerStart = new int[] {0, n};
      return;
    }
    List<List<Integer>> layers = new ArrayList<>();
    // Layers by the last key of their last partition, the earliest-ending first.
    PriorityQueue<Integer> byEnd = new PriorityQueue<>(Comparator.comparing(
        l -> last[lastOf(layers.get(l))], Bytes::compare));
    for (int p : order) {
      Integer earliest = byEnd.peek();
      if (earliest != null && Bytes.compare(last[lastOf(layers.get(earliest))], first[p]) < 0) {
        byEnd.poll();
        layers.get(earliest).add(p);
        byEnd.add(earliest);
      } else {
        List<Integer> layer = new ArrayList<>();
        layer.add(p);
        layers.add(layer);
        byEnd.add(layers.size() - 1);
      }
    }
    layerStart = new int[layers.size() + 1];
    int e = 0;
    for (int l = 0; l < layers.size(); l++) {
      layerStart[l] = e;
      for (int p : layers.get(l)) {
        partition[e] = p;
        firstKeys[e] = first[p];
        lastKeys[e] = last[p];
        e++;
      }
    }
    layerStart[layers.size()] = e;
  }

  private static int lastOf(List<Integer> layer) {
    return layer.get(layer.size() - 1);
  }

  /** The number of layers: the most ranges that share one key. */
  int layerCount() {
    return layerStart.length - 1;
  }

  /** The one partition of layer {@code layer} whose range holds the key, or -1. */
  int inLayer(int layer, byte[] key, int off, int len) {
    int lo = layerStart[layer];
    int hi = layerStart[layer + 1] - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      byte[] f = firstKeys[mid];
      if (Bytes.compare(f, 0, f.length, key, off, len) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) {
      return -1;
    }
    byte[] l = lastKeys[found];
    return Bytes.compare(key, off, len, l, 0, l.length) <= 0 ? partition[found] : -1;
  }

  /**
   * Asks {@code probe} about each partition whose range holds the key, at most one per layer,
   * until one finds it.
   *
   * @param hit handed to the probe, set to the value found
   * @return whether a probe found the key
   */
  boolean find(byte[] key, int off, int len, long hash, Probe probe, ValueHit hit)
      throws IOException {
    for (int layer = 0; layer < layerStart.length - 1; layer++) {
      int p = inLayer(layer, key, off, len);
      if (p >= 0 && probe.find(p, key, off, len, hash, hit)) {
        return true;
      }
    }
    return false;
  }
}
