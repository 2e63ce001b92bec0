package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.PartitionInfo;
import io.kvstore.format.Routing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the partitions that may hold a key: the partitions of its bucket when the store
 * records a partitioner, else by key range: one binary search when ranges are disjoint, a range
 * check of each partition when they overlap (the hash index then filters the candidates in
 * memory, so overlapping partitions cost CPU, not reads).
 */
final class PartitionRouter {
  private final Routing routing;
  private final PartitionInfo[] partitions;
  private final int[][] byBucket;
  /** Partition indexes sorted by first key. */
  private final int[] byFirstKey;
  private final boolean disjoint;
  /** First keys in {@link #byFirstKey} order, for the binary search. */
  private final byte[][] sortedFirstKeys;

  PartitionRouter(Routing routing, List<PartitionInfo> partitionList) {
    this.routing = routing;
    this.partitions = partitionList.toArray(new PartitionInfo[0]);
    Integer[] order = new Integer[partitions.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> partitions[i].getFirstKey(), Bytes::compare));
    byFirstKey = new int[order.length];
    boolean noOverlap = true;
    for (int i = 0; i < order.length; i++) {
      byFirstKey[i] = order[i];
      if (i > 0 && partitions[order[i - 1]].overlaps(partitions[order[i]])) {
        noOverlap = false;
      }
    }
    disjoint = noOverlap;
    sortedFirstKeys = new byte[order.length][];
    for (int i = 0; i < order.length; i++) {
      sortedFirstKeys[i] = partitions[order[i]].getFirstKey();
    }
    if (routing.isByBucket()) {
      List<List<Integer>> lists = new ArrayList<>();
      for (int b = 0; b < routing.bucketCount(); b++) {
        lists.add(new ArrayList<>());
      }
      for (int i = 0; i < partitions.length; i++) {
        lists.get(partitions[i].getBucket()).add(i);
      }
      byBucket = new int[lists.size()][];
      for (int b = 0; b < byBucket.length; b++) {
        byBucket[b] = lists.get(b).stream().mapToInt(Integer::intValue).toArray();
      }
    } else {
      byBucket = null;
    }
  }

  /** Whether no two partitions' key ranges overlap. */
  boolean isDisjoint() {
    return disjoint;
  }

  /** {@link #locate} answer: no partition can hold the key. */
  static final int NONE = -1;
  /** {@link #locate} answer: several partitions may hold the key; ask {@link #candidates}. */
  static final int SEVERAL = -2;

  /**
   * The one partition that may hold {@code key}, {@link #NONE}, or {@link #SEVERAL} when ranges
   * overlap. Allocates nothing: the common case of every lookup.
   */
  int locate(byte[] key, int off, int len) {
    if (byBucket != null) {
      int[] bucket = byBucket[routing.bucketOf(key, off, len)];
      if (bucket.length == 1) {
        return partitions[bucket[0]].mayContain(key, off, len) ? bucket[0] : NONE;
      }
      return bucket.length == 0 ? NONE : SEVERAL;
    }
    if (!disjoint) {
      return SEVERAL;
    }
    int lo = 0;
    int hi = byFirstKey.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      byte[] first = sortedFirstKeys[mid];
      if (Bytes.compare(first, 0, first.length, key, off, len) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && partitions[byFirstKey[found]].mayContain(key, off, len)
        ? byFirstKey[found] : NONE;
  }

  /**
   * The partitions that may hold {@code key}, written into {@code out}: for the cases where
   * {@link #locate} answers {@link #SEVERAL} (a bucket of several partitions, overlapping ranges).
   *
   * @return how many were written
   */
  int candidates(byte[] key, int off, int len, int[] out) {
    int n = 0;
    if (byBucket != null) {
      for (int i : byBucket[routing.bucketOf(key, off, len)]) {
        if (partitions[i].mayContain(key, off, len)) {
          out[n++] = i;
        }
      }
      return n;
    }
    for (int i = 0; i < partitions.length; i++) {
      if (partitions[i].mayContain(key, off, len)) {
        out[n++] = i;
      }
    }
    return n;
  }

  /** Partition indexes ordered by first key. */
  int[] orderedByFirstKey() {
    return byFirstKey.clone();
  }
}
