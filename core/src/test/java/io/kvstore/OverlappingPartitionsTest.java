package io.kvstore;

import static io.kvstore.StoreTestSupport.assertPairs;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.drain;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.ToIntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Stores of 100 partitions whose key ranges all overlap, as a job with 100 hash-partitioned
 * reducers writes them, built directly with the format classes: lookups must find every key
 * (the defect of the system we re-create was returning null here) and iteration must merge.
 */
public final class OverlappingPartitionsTest {
  private static final int PARTITIONS = 100;
  private static final int KEYS = 20_000;

  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] key(int i) {
    return b(String.format("o%07d", 3 * i));
  }

  private Path buildStore(NavigableMap<byte[], byte[]> content, ToIntFunction<byte[]> partitionOf,
      Routing routing) throws IOException {
    Path dir = new Path(new File(tmp.getRoot(), "overlap").toURI());
    ManualStores.build(dir, content, PARTITIONS, partitionOf, routing);
    return dir;
  }

  private static NavigableMap<byte[], byte[]> content() {
    NavigableMap<byte[], byte[]> m = model();
    for (int i = 0; i < KEYS; i++) {
      m.put(key(i), value(i, i % 23));
    }
    return m;
  }

  private static void assertServes(NavigableMap<byte[], byte[]> content, Path dir)
      throws IOException {
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(new Configuration())
        .openStore(dir)) {
      assertEquals(PARTITIONS, r.partitions().size());
      assertEquals(KEYS, r.size());
      PartitionInfo first = r.partitions().get(0);
      for (PartitionInfo p : r.partitions()) {
        assertTrue("ranges overlap", p.overlaps(first));
      }
      for (int i = 0; i < KEYS; i++) {
        byte[] k = key(i);
        assertArrayEquals("get " + Bytes.toPrintable(k), content.get(k), r.get(k));
        assertNull(r.get(b(String.format("o%07d", 3 * i + 1))));
      }
      assertNull(r.get(b("o")));
      assertNull(r.get(b("p")));
      assertPairs("iterator()", content, drain(r.iterator()));
      byte[] lo = key(KEYS / 3);
      byte[] hi = key(KEYS / 3 + 777);
      assertPairs("range", content.subMap(lo, true, hi, false), drain(r.iterator(lo, hi)));
    }
  }

  @Test
  public void interleavedPartitionsRoutedByRange() throws Exception {
    NavigableMap<byte[], byte[]> content = content();
    List<byte[]> order = new ArrayList<>(content.keySet());
    Map<byte[], Integer> index = new java.util.IdentityHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      index.put(order.get(i), i);
    }
    Path dir = buildStore(content, k -> index.get(k) % PARTITIONS, Routing.byRange());
    assertServes(content, dir);
  }

  @Test
  public void hadoopHashPartitionedRoutedByBucket() throws Exception {
    NavigableMap<byte[], byte[]> content = content();
    // Exactly what Hadoop's HashPartitioner does with BytesWritable keys.
    ToIntFunction<byte[]> hadoop =
        k -> (new BytesWritable(k).hashCode() & Integer.MAX_VALUE) % PARTITIONS;
    Path dir = buildStore(content, hadoop,
        Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0, PARTITIONS));
    assertServes(content, dir);
  }

  @Test
  public void hashPartitionedRoutedByRange() throws Exception {
    NavigableMap<byte[], byte[]> content = content();
    ToIntFunction<byte[]> hash =
        k -> (new BytesWritable(k).hashCode() & Integer.MAX_VALUE) % PARTITIONS;
    Path dir = buildStore(content, hash, Routing.byRange());
    assertServes(content, dir);
  }

  @Test
  public void kvstoreHashPartitionedRoutedByBucket() throws Exception {
    NavigableMap<byte[], byte[]> content = content();
    long seed = 7;
    ToIntFunction<byte[]> f =
        k -> BucketFunction.KVSTORE_HASH64.bucket(k, 0, k.length, seed, PARTITIONS);
    Path dir = buildStore(content, f,
        Routing.byBucket(BucketFunction.KVSTORE_HASH64, seed, PARTITIONS));
    assertServes(content, dir);
  }
}
