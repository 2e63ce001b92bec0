package io.kvstore.format;

/**
 * How a job's partitioner assigned keys to reducers, recorded in the manifest so that a lookup
 * goes straight to the partitions of one bucket. Ids are part of the manifest format.
 */
public enum BucketFunction {
  /** kvstore's own: {@link KeyHash#hash64} under the recorded seed, reduced to the count. */
  KVSTORE_HASH64(1) {
    @Override
    public int bucket(byte[] key, int off, int len, long seed, int buckets) {
      return KeyHash.reduce(KeyHash.hash64(key, off, len, seed), buckets);
    }
  },
  /**
   * Hadoop's default {@code HashPartitioner} over {@code BytesWritable} or {@code Text} keys:
   * {@code (hashBytes(key) & Integer.MAX_VALUE) % buckets}, with {@code hashBytes} the
   * {@code WritableComparator.hashBytes} of the key's bytes ({@code BinaryComparable.hashCode}).
   * The seed is unused.
   */
  HADOOP_HASH_PARTITIONER(2) {
    @Override
    public int bucket(byte[] key, int off, int len, long seed, int buckets) {
      int hash = 1;
      for (int i = off; i < off + len; i++) {
        hash = 31 * hash + key[i];
      }
      return (hash & Integer.MAX_VALUE) % buckets;
    }
  };

  private final int id;

  BucketFunction(int id) {
    this.id = id;
  }

  /** The id recorded in manifests. */
  public int id() {
    return id;
  }

  /** The bucket in {@code [0, buckets)} of {@code key[off, off + len)}. */
  public abstract int bucket(byte[] key, int off, int len, long seed, int buckets);

  /** The function with id {@code id}, or null if unknown. */
  public static BucketFunction byId(int id) {
    for (BucketFunction f : values()) {
      if (f.id == id) {
        return f;
      }
    }
    return null;
  }
}
