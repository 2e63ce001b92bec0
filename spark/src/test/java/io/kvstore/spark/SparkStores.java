package io.kvstore.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The pairs the Spark tests write and check: pair {@code i} has an 8-byte key spread over the
 * whole key space by a bijective mix of {@code i} (so keys never collide and absent keys are easy
 * to make) and a value of varying length that names {@code i}.
 */
final class SparkStores {
  /** Keys checked to be absent after every store check. */
  static final int ABSENT_KEYS = 10_000;

  private SparkStores() {}

  /** The key of pair {@code i}: SplitMix64's finalizer, a bijection on longs. */
  static byte[] key(long i) {
    long z = i + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return ByteBuffer.allocate(Long.BYTES).putLong(z).array();
  }

  /** The value of pair {@code i}. */
  static byte[] value(long i) {
    StringBuilder s = new StringBuilder("value-").append(i);
    for (int r = 0; r < i % 5; r++) {
      s.append('-').append(i);
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Pairs {@code 0..n-1} hash-partitioned into {@code partitions} Spark partitions and sorted
   * within each, as a job would prepare them for any Hadoop output format that needs sorted keys.
   */
  static JavaPairRDD<BytesWritable, BytesWritable> pairs(JavaSparkContext sc, int n,
      int partitions) {
    int slices = 4;
    List<Integer> sliceIds = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      sliceIds.add(s);
    }
    return sc.parallelize(sliceIds, slices)
        .flatMapToPair(s -> {
          List<Tuple2<BytesWritable, BytesWritable>> out = new ArrayList<>();
          for (long i = s; i < n; i += slices) {
            out.add(new Tuple2<>(new BytesWritable(key(i)), new BytesWritable(value(i))));
          }
          return out.iterator();
        })
        .repartitionAndSortWithinPartitions(new HashPartitioner(partitions), new ByteOrder());
  }

  /**
   * Asserts that the store at {@code store} holds exactly pairs {@code 0..n-1}: its size, every
   * pair by lookup, and {@link #ABSENT_KEYS} keys that were never written.
   */
  static void assertExactStore(Configuration conf, Path store, int n) throws IOException {
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      assertEquals("pairs in " + store, n, reader.size());
      for (long i = 0; i < n; i++) {
        assertArrayEquals("value of pair " + i, value(i), reader.get(key(i)));
      }
      for (long i = n; i < n + ABSENT_KEYS; i++) {
        assertNull("absent key " + i, reader.get(key(i)));
      }
    }
  }

  /** Unsigned lexicographic byte order, the order kvstore requires (BytesWritable's own). */
  static final class ByteOrder implements Comparator<BytesWritable>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(BytesWritable a, BytesWritable b) {
      return a.compareTo(b);
    }
  }
}
