package io.kvstore;

import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import java.io.File;
import java.util.NavigableMap;
import java.util.function.ToIntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Merges of stores written as hash-partitioned jobs write them (routing by bucket, overlapping
 * ranges): whatever the two routings, the merged store must find every key of both.
 */
public final class MergeRoutedStoresTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final KeyValueSystem kvs = KeyValueSystem.Factory.create(new Configuration());

  private Path path(String name) {
    return new Path(new File(tmp.getRoot(), name).toURI());
  }

  private static NavigableMap<byte[], byte[]> keys(int parity, int count) {
    NavigableMap<byte[], byte[]> m = model();
    for (int i = 0; i < count; i++) {
      int n = 2 * i + parity;
      m.put(b(String.format("h%06d", n)), value(n, n % 11));
    }
    return m;
  }

  private static ToIntFunction<byte[]> hadoopHash(int buckets) {
    return k -> (new BytesWritable(k).hashCode() & Integer.MAX_VALUE) % buckets;
  }

  private static Routing hadoopRouting(int buckets) {
    return Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0, buckets);
  }

  private void assertMerged(Path from, NavigableMap<byte[], byte[]> a, Path to,
      NavigableMap<byte[], byte[]> c) throws Exception {
    kvs.mergeStore(from, to);
    assertFalse(FileSystem.getLocal(new Configuration()).exists(from));
    NavigableMap<byte[], byte[]> all = model();
    all.putAll(a);
    all.putAll(c);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(all, r);
    }
  }

  @Test
  public void sameBucketRoutingOnBothSides() throws Exception {
    NavigableMap<byte[], byte[]> a = keys(1, 2000);
    NavigableMap<byte[], byte[]> c = keys(0, 2000);
    Path from = path("from");
    Path to = path("to");
    ManualStores.build(from, a, 4, hadoopHash(4), hadoopRouting(4));
    ManualStores.build(to, c, 4, hadoopHash(4), hadoopRouting(4));
    assertMerged(from, a, to, c);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertEquals(8, r.partitions().size());
    }
  }

  @Test
  public void bucketRoutedIntoRangeRouted() throws Exception {
    NavigableMap<byte[], byte[]> a = keys(1, 2000);
    NavigableMap<byte[], byte[]> c = keys(0, 2000);
    Path from = path("from");
    Path to = path("to");
    ManualStores.build(from, a, 4, hadoopHash(4), hadoopRouting(4));
    writeAll(kvs.createStore(to), c);
    assertMerged(from, a, to, c);
  }

  @Test
  public void rangeRoutedIntoBucketRouted() throws Exception {
    NavigableMap<byte[], byte[]> a = keys(1, 2000);
    NavigableMap<byte[], byte[]> c = keys(0, 2000);
    Path from = path("from");
    Path to = path("to");
    writeAll(kvs.createStore(from), a);
    ManualStores.build(to, c, 4, hadoopHash(4), hadoopRouting(4));
    assertMerged(from, a, to, c);
  }

  @Test
  public void differentBucketCounts() throws Exception {
    NavigableMap<byte[], byte[]> a = keys(1, 2000);
    NavigableMap<byte[], byte[]> c = keys(0, 2000);
    Path from = path("from");
    Path to = path("to");
    ManualStores.build(from, a, 3, hadoopHash(3), hadoopRouting(3));
    ManualStores.build(to, c, 5, hadoopHash(5), hadoopRouting(5));
    assertMerged(from, a, to, c);
  }

  @Test
  public void differentBucketFunctions() throws Exception {
    NavigableMap<byte[], byte[]> a = keys(1, 2000);
    NavigableMap<byte[], byte[]> c = keys(0, 2000);
    Path from = path("from");
    Path to = path("to");
    long seed = 99;
    ManualStores.build(from, a, 4,
        k -> BucketFunction.KVSTORE_HASH64.bucket(k, 0, k.length, seed, 4),
        Routing.byBucket(BucketFunction.KVSTORE_HASH64, seed, 4));
    ManualStores.build(to, c, 4, hadoopHash(4), hadoopRouting(4));
    assertMerged(from, a, to, c);
  }

  @Test
  public void duplicateAcrossBucketRoutedStoresIsRefused() throws Exception {
    NavigableMap<byte[], byte[]> a = keys(1, 500);
    NavigableMap<byte[], byte[]> c = keys(0, 500);
    a.put(b("h000400"), b("clash"));
    Path from = path("from");
    Path to = path("to");
    ManualStores.build(from, a, 4, hadoopHash(4), hadoopRouting(4));
    ManualStores.build(to, c, 4, hadoopHash(4), hadoopRouting(4));
    DuplicateKeyException e = expect(DuplicateKeyException.class, () -> kvs.mergeStore(from, to));
    assertArrayEquals(b("h000400"), e.getKey());
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(c, r);
    }
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      assertStoreContent(a, r);
      assertTrue(r.partitions().size() == 4);
    }
  }
}
