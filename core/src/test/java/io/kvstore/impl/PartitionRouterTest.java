package io.kvstore.impl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.Bytes;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import io.kvstore.format.ValueHit;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Routing by layers of disjoint key ranges: the same candidates as a look at every partition,
 * as many layers as ranges share a key, and no allocation per lookup.
 */
public class PartitionRouterTest {
  /** Stores of the allocation test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** Keys from a small alphabet that includes 0x00 and 0xFF, lengths 0 to 3. */
  private static byte[] randomKey(Random random) {
    byte[] alphabet = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
    byte[] key = new byte[random.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return key;
  }

  private static List<PartitionInfo> randomLayout(Random random, int count, int buckets) {
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] a = randomKey(random);
      byte[] b = randomKey(random);
      boolean ordered = Bytes.compare(a, b) <= 0;
      partitions.add(new PartitionInfo("p" + i + ".kvp", 1, 100, ordered ? a : b, ordered ? b : a,
          0, buckets == 0 ? PartitionInfo.NO_BUCKET : random.nextInt(buckets)));
    }
    return partitions;
  }

  /** What the router should answer: every partition of the key's bucket whose range holds it. */
  private static TreeSet<Integer> bruteForce(Routing routing, List<PartitionInfo> partitions,
      byte[] key) {
    TreeSet<Integer> expected = new TreeSet<>();
    for (int i = 0; i < partitions.size(); i++) {
      PartitionInfo p = partitions.get(i);
      boolean inBucket = !routing.isByBucket()
          || p.getBucket() == routing.bucketOf(key, 0, key.length);
      if (inBucket && p.mayContain(key, 0, key.length)) {
        expected.add(i);
      }
    }
    return expected;
  }

  /** The most ranges that share one key, found by trying every range's first key. */
  private static int depth(List<PartitionInfo> partitions) {
    int most = 0;
    for (PartitionInfo p : partitions) {
      byte[] k = p.getFirstKey();
      int n = 0;
      for (PartitionInfo q : partitions) {
        n += q.mayContain(k, 0, k.length) ? 1 : 0;
      }
      most = Math.max(most, n);
    }
    return most;
  }

  @Test
  public void candidatesEqualABruteForceScanOfRandomOverlappingLayouts() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int buckets = round % 3 == 0 ? 1 + random.nextInt(4) : 0;
      Routing routing = buckets == 0 ? Routing.byRange()
          : Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0, buckets);
      List<PartitionInfo> partitions = randomLayout(random, random.nextInt(40), buckets);
      PartitionRouter router = new PartitionRouter(routing, partitions);
      assertEquals("round " + round, depth(partitions), router.overlapDepth());
      List<byte[]> keys = new ArrayList<>();
      for (PartitionInfo p : partitions) {
        keys.add(p.getFirstKey());
        keys.add(p.getLastKey());
      }
      for (int i = 0; i < 60; i++) {
        keys.add(randomKey(random));
      }
      keys.add(new byte[0]);
      keys.add(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
      for (byte[] key : keys) {
        TreeSet<Integer> expected = bruteForce(routing, partitions, key);
        TreeSet<Integer> found = new TreeSet<>();
        byte[] padded = new byte[key.length + 2];
        System.arraycopy(key, 0, padded, 1, key.length);
        assertFalse(router.find(padded, 1, key.length, 7L, (p, k, off, len, hash, hit) -> {
          assertEquals(7L, hash);
          assertTrue("probed twice: " + p, found.add(p));
          return false;
        }, new ValueHit()));
        String what = "round " + round + ", key " + Bytes.toPrintable(key);
        assertEquals(what, expected, found);
        int only = router.locate(padded, 1, key.length);
        if (only == PartitionRouter.NONE) {
          assertTrue(what, expected.isEmpty());
        } else if (only != PartitionRouter.SEVERAL) {
          assertEquals(what, new TreeSet<>(List.of(only)), expected);
        }
      }
    }
  }

  @Test
  public void twoInterleavedStoresOfThousandsOfPartitionsAreTwoLayers() {
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // Store s holds keys 2k + s; each partition holds 10 consecutive keys of its store.
      int s = i % 2;
      int first = 20 * (i / 2) + s;
      partitions.add(new PartitionInfo("p" + i + ".kvp", 10, 100, key(first), key(first + 18), 0,
          PartitionInfo.NO_BUCKET));
    }
    PartitionRouter router = new PartitionRouter(Routing.byRange(), partitions);
    assertEquals(2, router.overlapDepth());
    assertEquals(PartitionRouter.SEVERAL, router.locate(key(5), 0, 4));
  }

  private static byte[] key(int i) {
    return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
  }

  @Test
  public void lookupInAnOverlappingStoreAllocatesNothing() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path to = new Path(tmp.newFolder().toURI());
    to = new Path(to, "to");
    Path from = new Path(to.getParent(), "from");
    for (int s = 0; s < 2; s++) {
      try (KeyValueStoreWriter w = kvs.createStore(s == 0 ? to : from)) {
        for (int i = s; i < 6000; i += 2) {
          w.put(text(i), text(i));
        }
      }
    }
    kvs.mergeStore(from, to);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertTrue(r.partitions().size() > 40);
      // Absent keys inside the ranges: every lookup has candidates, none a value to copy.
      byte[][] absent = new byte[6000][];
      for (int i = 0; i < absent.length; i++) {
        absent[i] = (new String(text(i), StandardCharsets.UTF_8) + "x")
            .getBytes(StandardCharsets.UTF_8);
      }
      for (byte[] k : absent) {
        assertNull(r.get(k));
      }
      assertTrue(Arrays.equals(text(77), r.get(text(77))));
      long tid = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(tid);
      for (int round = 0; round < 5; round++) {
        for (byte[] k : absent) {
          r.get(k);
        }
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      // 30,000 lookups; a rare fingerprint collision reads a record, nothing else allocates.
      assertTrue("allocated " + allocated + " bytes in 30,000 lookups", allocated < 30_000);
    }
  }

  private static byte[] text(int i) {
    return String.format("k%06d", i).getBytes(StandardCharsets.UTF_8);
  }
}
