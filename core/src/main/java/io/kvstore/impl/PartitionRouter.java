package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.PartitionInfo;
import io.kvstore.format.Routing;
import io.kvstore.format.ValueHit;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the partitions that may hold a key: the partitions of its bucket when the store
 * records a partitioner, else by key range. Either set is a {@link KeyRangeLayers}, so a lookup
 * costs one binary search per layer of disjoint ranges (one for disjoint stores, two for two
 * interleaved stores merged), never a look at every partition, and allocates nothing; the hash
 * index then filters the candidates in memory, so overlapping partitions cost CPU, not reads.
 */
final class PartitionRouter {
  private final Routing routing;
  /** Partition indexes sorted by first key. */
  private final int[] byFirstKey;
  /** Every partition, layered by key range. */
  private final KeyRangeLayers byRange;
  /** Under bucket routing, each bucket's partitions layered by key range; else null. */
  private final KeyRangeLayers[] byBucket;

  PartitionRouter(Routing routing, List<PartitionInfo> partitionList) {
    this.routing = routing;
    // Plain loops, no streams: a store is opened once per version, so this code runs
    // interpreted, where a stream pipeline costs thousands of bytecodes.
    int n = partitionList.size();
    byte[][] firstKeys = new byte[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      firstKeys[i] = partitionList.get(i).getFirstKey();
    }
    Arrays.sort(order, (a, b) -> Bytes.compare(firstKeys[a], firstKeys[b]));
    byFirstKey = new int[n];
    for (int i = 0; i < n; i++) {
      byFirstKey[i] = order[i];
    }
    byRange = new KeyRangeLayers(partitionList, byFirstKey);
    if (routing.isByBucket()) {
      int[] counts = new int[routing.bucketCount()];
      for (PartitionInfo p : partitionList) {
        counts[p.getBucket()]++;
      }
      int[][] members = new int[counts.length][];
      for (int b = 0; b < counts.length; b++) {
        members[b] = new int[counts[b]];
        counts[b] = 0;
      }
      for (int i = 0; i < n; i++) {
        int b = partitionList.get(i).getBucket();
        members[b][counts[b]++] = i;
      }
      byBucket = new KeyRangeLayers[counts.length];
      for (int b = 0; b < byBucket.length; b++) {
        byBucket[b] = new KeyRangeLayers(partitionList, members[b]);
      }
    } else {
      byBucket = null;
    }
  }

  /** Whether no two partitions' key ranges overlap. */
  boolean isDisjoint() {
    return byRange.layerCount() <= 1;
  }

  /** The most partitions whose key ranges share one key: how many a merged scan keeps open. */
  int overlapDepth() {
    return byRange.layerCount();
  }

  /** {@link #locate} answer: no partition can hold the key. */
  static final int NONE = -1;
  /** {@link #locate} answer: several partitions may hold the key; ask {@link #find}. */
  static final int SEVERAL = -2;

  private KeyRangeLayers layersFor(byte[] key, int off, int len) {
    return byBucket == null ? byRange : byBucket[routing.bucketOf(key, off, len)];
  }

  /**
   * The one partition that may hold {@code key}, {@link #NONE}, or {@link #SEVERAL} when ranges
   * overlap. Allocates nothing: the common case of every lookup.
   */
  int locate(byte[] key, int off, int len) {
    KeyRangeLayers layers = layersFor(key, off, len);
    switch (layers.layerCount()) {
      case 0:
        return NONE;
      case 1:
        int p = layers.inLayer(0, key, off, len);
        return p < 0 ? NONE : p;
      default:
        return SEVERAL;
    }
  }

  /**
   * Asks {@code probe} about the partitions that may hold {@code key} (at most one per layer of
   * disjoint ranges) until one finds it: for the cases where {@link #locate} answers
   * {@link #SEVERAL}. Allocates nothing.
   *
   * @param hash handed to the probe unchanged
   * @param hit handed to the probe, set to the value found
   * @return whether a probe found the key
   */
  boolean find(byte[] key, int off, int len, long hash, KeyRangeLayers.Probe probe, ValueHit hit)
      throws IOException {
    return layersFor(key, off, len).find(key, off, len, hash, probe, hit);
  }

  /** Partition indexes ordered by first key. */
  int[] orderedByFirstKey() {
    return byFirstKey.clone();
  }
}
