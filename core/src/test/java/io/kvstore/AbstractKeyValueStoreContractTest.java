package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.assertPairs;
import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.bytes;
import static io.kvstore.StoreTestSupport.drain;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Test;

/**
 * What every filesystem must give kvstore users: the store contract, run on the local filesystem
 * by {@link LocalKeyValueStoreContractTest} and on HDFS by the integration tests. Kept small so the
 * run on a mini cluster stays quick; the exhaustive cases live in the local-only tests.
 */
public abstract class AbstractKeyValueStoreContractTest {
  /** A small partition limit so modest stores span several partitions. */
  protected static final long SMALL_PARTITION = 16 * 1024;

  /** The configuration naming the filesystem under test (copied before use). */
  protected abstract Configuration baseConf();

  /** A fresh, empty, fully qualified directory for this test's stores (it may not exist yet). */
  protected abstract Path newTestDir() throws IOException;

  /** A system with the default partition size. */
  protected KeyValueSystem system() {
    return KeyValueSystem.Factory.create(baseConf());
  }

  /** A system whose partitions are at most {@code partitionSizeMax} bytes. */
  protected KeyValueSystem system(long partitionSizeMax) {
    Configuration conf = new Configuration(baseConf());
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, partitionSizeMax);
    return KeyValueSystem.Factory.create(conf);
  }

  /** {@code count} pairs with keys {@code prefix + i} (zero padded) and varied values. */
  protected static NavigableMap<byte[], byte[]> pairs(String prefix, int from, int count,
      int step) {
    NavigableMap<byte[], byte[]> m = model();
    for (int i = 0; i < count; i++) {
      int n = from + i * step;
      m.put(b(String.format("%s%08d", prefix, n)), value(n, n % 97));
    }
    return m;
  }

  private FileSystem fs(Path p) throws IOException {
    return p.getFileSystem(baseConf());
  }

  @Test
  public void putGetIterateAcrossSeveralPartitions() throws Exception {
    Path store = new Path(newTestDir(), "store");
    NavigableMap<byte[], byte[]> content = pairs("k", 0, 1200, 3);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    KeyValueStoreWriter w = kvs.createStore(store);
    writeAll(w, content);
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertTrue("partitions: " + r.partitions().size(), r.partitions().size() >= 3);
      assertStoreContent(content, r);
      assertNull(r.get(b("k00000001")));
      assertNull(r.get(b("a")));
      assertNull(r.get(b("z")));
    }
  }

  @Test
  public void noPartitionFileExceedsTheLimit() throws Exception {
    Path store = new Path(newTestDir(), "store");
    NavigableMap<byte[], byte[]> content = pairs("k", 0, 1000, 1);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(store), content);
    int partitionFiles = 0;
    for (FileStatus st : fs(store).listStatus(store)) {
      if (st.getPath().getName().endsWith(StoreLayout.PARTITION_EXTENSION)) {
        partitionFiles++;
        assertTrue(st.getPath() + " is " + st.getLen() + " bytes",
            st.getLen() <= SMALL_PARTITION);
      }
    }
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertEquals(partitionFiles, r.partitions().size());
      for (PartitionInfo p : r.partitions()) {
        assertNotNull(p.getPath());
        assertEquals(p.getSizeBytes(), fs(store).getFileStatus(p.getPath()).getLen());
      }
    }
    assertTrue(partitionFiles >= 3);
  }

  @Test
  public void emptyStore() throws Exception {
    Path store = new Path(newTestDir(), "empty");
    system().createStore(store).close();
    try (KeyValueStoreReader r = system().openStore(store)) {
      assertEquals(0, r.size());
      assertTrue(r.partitions().isEmpty());
      assertNull(r.get(b("any")));
      assertNull(r.get(new byte[0]));
      assertTrue(drain(r.iterator()).isEmpty());
      assertTrue(drain(r.iterator(b("a"), b("z"))).isEmpty());
    }
  }

  @Test
  public void oneKeyStore() throws Exception {
    Path store = new Path(newTestDir(), "one");
    try (KeyValueStoreWriter w = system().createStore(store)) {
      w.put(b("only"), b("value"));
      assertEquals(1, w.size());
    }
    try (KeyValueStoreReader r = system().openStore(store)) {
      assertEquals(1, r.size());
      assertEquals(1, r.partitions().size());
      assertArrayEquals(b("only"), r.partitions().get(0).getFirstKey());
      assertArrayEquals(b("only"), r.partitions().get(0).getLastKey());
      assertArrayEquals(b("value"), r.get(b("only")));
      assertNull(r.get(b("onl")));
      assertNull(r.get(b("only\0")));
      ByteBuffer v = r.get(ByteBuffer.wrap(b("only")));
      assertEquals(ByteBuffer.wrap(b("value")), v);
      assertEquals(1, drain(r.iterator()).size());
    }
  }

  @Test
  public void rangeIterationAtAndBetweenPartitionBoundaries() throws Exception {
    Path store = new Path(newTestDir(), "ranges");
    NavigableMap<byte[], byte[]> content = pairs("r", 0, 800, 2);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(store), content);
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      List<byte[]> bounds = new ArrayList<>();
      bounds.add(null);
      bounds.add(b("a"));
      bounds.add(b("s"));
      for (PartitionInfo p : r.partitions()) {
        bounds.add(p.getFirstKey());
        bounds.add(p.getLastKey());
        bounds.add(java.util.Arrays.copyOf(p.getLastKey(), p.getLastKey().length + 1));
      }
      for (byte[] from : bounds) {
        for (byte[] to : bounds) {
          if (from != null && to != null && Bytes.compare(from, to) > 0) {
            continue;
          }
          Map<byte[], byte[]> expected = from == null
              ? (to == null ? content : content.headMap(to, false))
              : (to == null ? content.tailMap(from, true) : content.subMap(from, true, to, false));
          assertPairs("[" + Bytes.toPrintable(from) + ", " + Bytes.toPrintable(to) + ")",
              expected, drain(r.iterator(from, to)));
        }
      }
    }
  }

  @Test
  public void mergeInterleavedMultiPartitionStores() throws Exception {
    Path dir = newTestDir();
    Path from = new Path(dir, "from");
    Path to = new Path(dir, "to");
    NavigableMap<byte[], byte[]> odd = pairs("m", 1, 400, 2);
    NavigableMap<byte[], byte[]> even = pairs("m", 0, 400, 2);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(from), odd);
    writeAll(kvs.createStore(to), even);
    kvs.mergeStore(from, to);
    assertFalse(fs(from).exists(from));
    NavigableMap<byte[], byte[]> all = model();
    all.putAll(odd);
    all.putAll(even);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(all, r);
    }
  }

  @Test
  public void mergeRefusesADuplicateKeyAndChangesNothing() throws Exception {
    Path dir = newTestDir();
    Path from = new Path(dir, "from");
    Path to = new Path(dir, "to");
    NavigableMap<byte[], byte[]> a = pairs("d", 0, 300, 2);
    NavigableMap<byte[], byte[]> c = pairs("d", 1, 300, 2);
    c.put(b("d00000100"), b("clash"));
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(from), c);
    writeAll(kvs.createStore(to), a);
    DuplicateKeyException e =
        expect(DuplicateKeyException.class, () -> kvs.mergeStore(from, to));
    assertContains(e.getMessage(), "d00000100");
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      assertStoreContent(c, r);
    }
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(a, r);
    }
  }

  @Test
  public void renameStore() throws Exception {
    Path dir = newTestDir();
    Path a = new Path(dir, "a");
    Path bPath = new Path(dir, "b");
    NavigableMap<byte[], byte[]> content = pairs("n", 0, 500, 1);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(a), content);
    kvs.renameStore(a, bPath);
    assertFalse(fs(a).exists(a));
    expect(StoreNotFoundException.class, () -> kvs.openStore(a));
    try (KeyValueStoreReader r = kvs.openStore(bPath)) {
      assertStoreContent(content, r);
      assertTrue(r.partitions().get(0).getPath().toString().contains("/b/"));
    }
  }

  @Test
  public void renameOntoAnExistingStoreIsRefused() throws Exception {
    Path dir = newTestDir();
    Path a = new Path(dir, "a");
    Path c = new Path(dir, "c");
    NavigableMap<byte[], byte[]> ca = pairs("a", 0, 10, 1);
    NavigableMap<byte[], byte[]> cc = pairs("c", 0, 10, 1);
    writeAll(system().createStore(a), ca);
    writeAll(system().createStore(c), cc);
    expect(FileAlreadyExistsException.class, () -> system().renameStore(a, c));
    try (KeyValueStoreReader r = system().openStore(a)) {
      assertStoreContent(ca, r);
    }
    try (KeyValueStoreReader r = system().openStore(c)) {
      assertStoreContent(cc, r);
    }
  }

  /**
   * Publishers racing for one table each get their own version: a publish that finds its number
   * taken by a concurrent one takes the next, and no store is ever moved inside another's version
   * directory (what a rename onto an existing directory does on HDFS, and on the local
   * filesystem through its copying fallback).
   */
  @Test
  public void concurrentPublishesGetDistinctVersionsAndLoseNoStore() throws Exception {
    Path dir = newTestDir();
    Path table = new Path(dir, "table");
    KeyValueSystem kvs = system();
    kvs.createTable(table);
    int publishers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Path> stores = new ArrayList<>();
      for (int i = 1; i <= publishers; i++) {
        stores.add(TableTestSupport.writeStore(kvs, new Path(dir, "s" + i), i, i));
      }
      java.util.concurrent.CyclicBarrier start =
          new java.util.concurrent.CyclicBarrier(publishers);
      List<Future<TableVersion>> results = new ArrayList<>();
      for (Path store : stores) {
        results.add(pool.submit(() -> {
          start.await();
          return kvs.publishVersion(table, store);
        }));
      }
      java.util.Set<Long> numbers = new java.util.TreeSet<>();
      for (int i = 0; i < publishers; i++) {
        TableVersion v = results.get(i).get();
        assertTrue("version " + v.getVersion() + " given twice", numbers.add(v.getVersion()));
        // Store i + 1 holds i + 1 keys whose values are those of "version" i + 1.
        try (KeyValueStoreReader reader = kvs.openStore(v.getPath())) {
          TableTestSupport.assertServes(reader, i + 1, i + 1);
        }
        for (FileStatus f : fs(dir).listStatus(v.getPath())) {
          assertFalse("a store nested in " + v.getPath() + ": " + f.getPath(),
              f.isDirectory());
        }
      }
      assertEquals(publishers, kvs.listVersions(table).size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void deleteStore() throws Exception {
    Path store = new Path(newTestDir(), "doomed");
    writeAll(system(SMALL_PARTITION).createStore(store), pairs("x", 0, 400, 1));
    system().deleteStore(store);
    assertFalse(fs(store).exists(store));
    expect(StoreNotFoundException.class, () -> system().openStore(store));
  }

  @Test
  public void openReportsMissingIncompleteAndNonStorePaths() throws Exception {
    Path dir = newTestDir();
    expect(StoreNotFoundException.class, () -> system().openStore(new Path(dir, "missing")));
    Path incomplete = new Path(dir, "incomplete");
    KeyValueStoreWriter w = system().createStore(incomplete);
    w.put(b("k"), b("v"));
    expect(IncompleteStoreException.class, () -> system().openStore(incomplete));
    w.cancel();
    Path plain = new Path(dir, "plain");
    fs(plain).mkdirs(plain);
    fs(plain).create(new Path(plain, "data.txt")).close();
    expect(NotAStoreException.class, () -> system().openStore(plain));
  }

  @Test
  public void cancelRemovesEverything() throws Exception {
    Path store = new Path(newTestDir(), "cancelled");
    KeyValueStoreWriter w = system(SMALL_PARTITION).createStore(store);
    NavigableMap<byte[], byte[]> content = pairs("c", 0, 400, 1);
    for (Map.Entry<byte[], byte[]> e : content.entrySet()) {
      w.put(e.getKey(), e.getValue());
    }
    w.cancel();
    assertFalse(fs(store).exists(store));
  }

  @Test
  public void largeValues() throws Exception {
    Path store = new Path(newTestDir(), "large");
    NavigableMap<byte[], byte[]> content = model();
    content.put(b("big1"), value(1, 5 * 1024 * 1024 + 7));
    content.put(b("big2"), value(2, 3 * 1024 * 1024));
    content.put(b("small"), b("s"));
    writeAll(system().createStore(store), content);
    try (KeyValueStoreReader r = system().openStore(store)) {
      assertStoreContent(content, r);
    }
  }

  @Test
  public void binaryKeysInUnsignedOrder() throws Exception {
    Path store = new Path(newTestDir(), "binary");
    NavigableMap<byte[], byte[]> content = model();
    int[] interesting = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
    for (int x : interesting) {
      content.put(bytes(x), bytes(x, 1));
      for (int y : interesting) {
        content.put(bytes(x, y), bytes(x, y, 2));
      }
    }
    content.put(new byte[0], new byte[0]);
    writeAll(system().createStore(store), content);
    try (KeyValueStoreReader r = system().openStore(store)) {
      assertStoreContent(content, r);
      assertArrayEquals(new byte[0], r.get(new byte[0]));
      assertPairs("[0x7F, 0x80\\x00)", content.subMap(bytes(0x7F), true, bytes(0x80, 0x00), false),
          drain(r.iterator(bytes(0x7F), bytes(0x80, 0x00))));
    }
  }

  @Test
  public void eightThreadsReadAtOnce() throws Exception {
    Path store = new Path(newTestDir(), "shared");
    NavigableMap<byte[], byte[]> content = pairs("t", 0, 1000, 2);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(store), content);
    List<byte[]> keys = new ArrayList<>(content.keySet());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        final int thread = t;
        results.add(pool.submit(() -> {
          Random random = new Random(thread);
          int checked = 0;
          for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 400; i++) {
              int n = random.nextInt(2000);
              byte[] key = b(String.format("t%08d", n));
              byte[] expected = content.get(key);
              byte[] actual = r.get(key);
              if (!java.util.Arrays.equals(expected, actual)) {
                throw new AssertionError("thread " + thread + " get " + Bytes.toPrintable(key));
              }
              checked++;
            }
            byte[] lo = keys.get(random.nextInt(keys.size() / 2));
            byte[] hi = keys.get(keys.size() / 2 + random.nextInt(keys.size() / 2));
            assertPairs("thread " + thread, content.subMap(lo, true, hi, false),
                drain(r.iterator(lo, hi)));
            if (thread % 2 == 0) {
              assertPairs("thread " + thread, content, drain(r.iterator()));
            }
          }
          return checked;
        }));
      }
      for (Future<Integer> f : results) {
        assertEquals(800, (int) f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void readerFailsAfterClose() throws Exception {
    Path store = new Path(newTestDir(), "closed");
    writeAll(system().createStore(store), pairs("c", 0, 5, 1));
    KeyValueStoreReader r = system().openStore(store);
    r.close();
    expect(IllegalStateException.class, () -> r.get(b("c00000001")));
  }

  @Test
  public void closingOneReaderLeavesOtherReadersWorking() throws Exception {
    Path store = new Path(newTestDir(), "two-readers");
    NavigableMap<byte[], byte[]> content = pairs("w", 0, 300, 1);
    KeyValueSystem kvs = system(SMALL_PARTITION);
    writeAll(kvs.createStore(store), content);
    KeyValueStoreReader first = kvs.openStore(store);
    try (KeyValueStoreReader second = kvs.openStore(store)) {
      KeyValueIterator open = second.iterator();
      assertTrue(open.hasNext());
      open.next();
      first.close();
      assertStoreContent(content, second);
      open.close();
    }
    try (KeyValueStoreReader third = system().openStore(store)) {
      assertStoreContent(content, third);
    }
    assertTrue(fs(store).exists(store));
  }
  /** Merges into one target; {@link #openDuringMergesSeesOldOrMergedStore} counts them. */
  protected int mergesWhileOpening() {
    return 30;
  }

  /**
   * A reader opening the target of a merge at any moment sees the old or the merged store: never
   * a missing or half-replaced manifest, never a listed partition file that is gone.
   */
  @Test
  public void openDuringMergesSeesOldOrMergedStore() throws Exception {
    Path dir = newTestDir();
    Path to = new Path(dir, "to");
    int merges = mergesWhileOpening();
    int perStore = 40;
    KeyValueSystem kvs = system(SMALL_PARTITION);
    // Store s holds keys s, s + stride, s + 2 * stride...: every merge interleaves with the target.
    List<NavigableMap<byte[], byte[]>> stores = new ArrayList<>();
    for (int s = 0; s <= merges; s++) {
      stores.add(pairs("v", s, perStore, merges + 1));
    }
    writeAll(kvs.createStore(to), stores.get(0));
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // Reads of the manifest alone, many more than full opens, to hit a replacement mid-read.
      Future<Integer> manifestReader = pool.submit(() -> {
        int reads = 0;
        while (!done.get()) {
          StoreManifest m = StoreManifest.read(fs(to), to);
          if (m.getKeyCount() != (long) perStore * m.getPartitions().size()) {
            throw new AssertionError("manifest read " + reads + " lists "
                + m.getPartitions().size() + " partitions of " + m.getKeyCount() + " pairs");
          }
          reads++;
        }
        return reads;
      });
      Future<int[]> opener = pool.submit(() -> {
        int opens = 0;
        int mergedSeen = 0;
        while (!done.get()) {
          try (KeyValueStoreReader r = kvs.openStore(to)) {
            long size = r.size();
            if (size % perStore != 0 || size / perStore < 1 || size / perStore > merges + 1) {
              throw new AssertionError("open " + opens + " sees " + size + " pairs");
            }
            int visible = (int) (size / perStore);
            for (int s = 0; s < visible; s++) {
              Map.Entry<byte[], byte[]> e = stores.get(s).lastEntry();
              assertArrayEquals("open " + opens + ", store " + s, e.getValue(), r.get(e.getKey()));
            }
            if (visible <= merges) {
              byte[] absent = stores.get(visible).firstKey();
              assertNull("open " + opens + " before merge " + visible, r.get(absent));
            }
            mergedSeen = Math.max(mergedSeen, visible - 1);
          }
          opens++;
        }
        return new int[] {opens, mergedSeen};
      });
      for (int s = 1; s <= merges; s++) {
        Path from = new Path(dir, "from" + s);
        writeAll(kvs.createStore(from), stores.get(s));
        kvs.mergeStore(from, to);
      }
      done.set(true);
      int[] result = opener.get();
      assertTrue("manifest reads during the merges: " + manifestReader.get(),
          manifestReader.get() > merges);
      assertTrue("opens during the merges: " + result[0], result[0] > merges);
      assertTrue("merges seen by the opener: " + result[1], result[1] > 0);
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    NavigableMap<byte[], byte[]> all = model();
    stores.forEach(all::putAll);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(all, r);
    }
  }
}
