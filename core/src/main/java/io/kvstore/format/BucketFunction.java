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
  },
  /**
   * Spark's hash partitioning of one binary or string column ({@code HashPartitioning}, which a
   * repartition or a clustered distribution on that column uses):
   * {@code pmod(Murmur3_x86_32.hashUnsafeBytes(key, seed), buckets)}, with Spark's seed 42
   * recorded as the seed (see {@link #sparkMurmur3}). Computed from the key bytes alone, so
   * core needs no Spark class.
   */
  SPARK_MURMUR3(3) {
    @Override
    public int bucket(byte[] key, int off, int len, long seed, int buckets) {
      return Math.floorMod(sparkMurmur3(key, off, len, (int) seed), buckets);
    }
  };

  /** The seed of Spark's {@code Murmur3Hash} expression, which hash partitioning uses. */
  public static final int SPARK_HASH_SEED = 42;

  /**
   * Spark's 32-bit Murmur3 of a byte string ({@code Murmur3_x86_32.hashUnsafeBytes}): the
   * x86_32 variant of MurmurHash3 over the whole little-endian 4-byte words, then, unlike the
   * reference algorithm, each remaining byte (sign-extended) mixed in as a word of its own,
   * then the finalizer with the length in bytes.
   */
  public static int sparkMurmur3(byte[] key, int off, int len, int seed) {
    int h = seed;
    int aligned = len - len % 4;
    for (int i = off; i < off + aligned; i += 4) {
      int word = (key[i] & 0xFF) | (key[i + 1] & 0xFF) << 8 | (key[i + 2] & 0xFF) << 16
          | key[i + 3] << 24;
      h = murmurMixH(h, murmurMixK(word));
    }
    for (int i = off + aligned; i < off + len; i++) {
      h = murmurMixH(h, murmurMixK(key[i]));
    }
    h ^= len;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int murmurMixK(int k) {
    return Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
  }

  private static int murmurMixH(int h, int k) {
    return Integer.rotateLeft(h ^ k, 13) * 5 + 0xe6546b64;
  }

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
