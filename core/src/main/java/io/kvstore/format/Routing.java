package io.kvstore.format;

import java.util.Objects;

/**
 * How a reader finds the partitions that may hold a key. Every store routes by key range; a
 * store written by a job with a recorded partitioner also knows each partition's bucket, so a
 * lookup computes the bucket and considers only that bucket's partitions.
 */
public final class Routing {
  private static final Routing BY_RANGE = new Routing(null, 0L, 0);

  private final BucketFunction function;
  private final long seed;
  private final int bucketCount;

  private Routing(BucketFunction function, long seed, int bucketCount) {
    this.function = function;
    this.seed = seed;
    this.bucketCount = bucketCount;
  }

  /** Routing by key ranges alone (with the in-memory index filtering overlapping ranges). */
  public static Routing byRange() {
    return BY_RANGE;
  }

  /** Routing by bucket: the partitions of bucket {@code function(key) } hold the key. */
  public static Routing byBucket(BucketFunction function, long seed, int bucketCount) {
    Objects.requireNonNull(function, "function");
    if (bucketCount < 1) {
      throw new IllegalArgumentException("bucket count must be positive: " + bucketCount);
    }
    return new Routing(function, seed, bucketCount);
  }

  /** Whether lookups route by bucket. */
  public boolean isByBucket() {
    return function != null;
  }

  /** The bucket function, or null when routing by range. */
  public BucketFunction function() {
    return function;
  }

  /** The bucket function's seed. */
  public long seed() {
    return seed;
  }

  /** Number of buckets, 0 when routing by range. */
  public int bucketCount() {
    return bucketCount;
  }

  /** The key's bucket; only when {@link #isByBucket()}. */
  public int bucketOf(byte[] key, int off, int len) {
    return function.bucket(key, off, len, seed, bucketCount);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Routing)) {
      return false;
    }
    Routing r = (Routing) o;
    return function == r.function && seed == r.seed && bucketCount == r.bucketCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(function, seed, bucketCount);
  }

  @Override
  public String toString() {
    return isByBucket() ? "bucket(" + function + ", seed=" + seed + ", buckets=" + bucketCount + ")"
        : "range";
  }
}
