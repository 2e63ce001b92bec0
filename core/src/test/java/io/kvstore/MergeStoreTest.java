package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.bytes;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.NavigableMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** mergeStore refusals: each leaves both stores exactly as they were. */
public final class MergeStoreTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private KeyValueSystem kvs;
  private FileSystem fs;

  @Before
  public void setUp() throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    kvs = KeyValueSystem.Factory.create(conf);
    fs = FileSystem.getLocal(conf);
  }

  private Path path(String name) {
    return new Path(new File(tmp.getRoot(), name).toURI());
  }

  private static NavigableMap<byte[], byte[]> keys(int from, int count, int step) {
    NavigableMap<byte[], byte[]> m = model();
    for (int i = 0; i < count; i++) {
      int n = from + i * step;
      m.put(b(String.format("k%05d", n)), value(n, 12));
    }
    return m;
  }

  private TreeSet<String> listing(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (FileStatus st : fs.listStatus(dir)) {
      names.add(st.getPath().getName() + ":" + st.getLen());
    }
    return names;
  }

  private void assertDuplicateRefused(NavigableMap<byte[], byte[]> fromContent,
      NavigableMap<byte[], byte[]> toContent, byte[] duplicate) throws Exception {
    Path from = path("from");
    Path to = path("to");
    writeAll(kvs.createStore(from), fromContent);
    writeAll(kvs.createStore(to), toContent);
    TreeSet<String> fromFiles = listing(from);
    TreeSet<String> toFiles = listing(to);
    DuplicateKeyException e = expect(DuplicateKeyException.class, () -> kvs.mergeStore(from, to));
    assertContains(e.getMessage(), Bytes.toPrintable(duplicate));
    assertArrayEquals(duplicate, e.getKey());
    assertEquals(fromFiles, listing(from));
    assertEquals(toFiles, listing(to));
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      assertStoreContent(fromContent, r);
    }
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(toContent, r);
    }
  }

  @Test
  public void duplicateKeyInsideOverlappingRangesIsRefused() throws Exception {
    NavigableMap<byte[], byte[]> from = keys(1, 500, 2);
    NavigableMap<byte[], byte[]> to = keys(0, 500, 2);
    from.put(b("k00420"), b("clash"));
    assertDuplicateRefused(from, to, b("k00420"));
  }

  @Test
  public void duplicateKeyWhereRangesOnlyTouchIsRefused() throws Exception {
    NavigableMap<byte[], byte[]> from = keys(0, 100, 1);
    NavigableMap<byte[], byte[]> to = keys(99, 100, 1);
    assertDuplicateRefused(from, to, b("k00099"));
  }

  @Test
  public void duplicateBinaryKeyIsNamedEscaped() throws Exception {
    NavigableMap<byte[], byte[]> from = model();
    from.put(bytes(0x00, 0x80), b("x"));
    from.put(bytes(0xFF, 0x0A), b("y"));
    NavigableMap<byte[], byte[]> to = model();
    to.put(bytes(0x7F), b("z"));
    to.put(bytes(0xFF, 0x0A), b("w"));
    assertDuplicateRefused(from, to, bytes(0xFF, 0x0A));
  }

  @Test
  public void duplicateEmptyKeyIsRefused() throws Exception {
    NavigableMap<byte[], byte[]> from = model();
    from.put(new byte[0], b("x"));
    NavigableMap<byte[], byte[]> to = model();
    to.put(new byte[0], b("y"));
    to.put(b("a"), b("z"));
    assertDuplicateRefused(from, to, new byte[0]);
  }

  @Test
  public void disjointRangesMergeWithoutDuplicates() throws Exception {
    Path from = path("from");
    Path to = path("to");
    NavigableMap<byte[], byte[]> a = keys(1000, 300, 1);
    NavigableMap<byte[], byte[]> c = keys(0, 300, 1);
    writeAll(kvs.createStore(from), a);
    writeAll(kvs.createStore(to), c);
    kvs.mergeStore(from, to);
    NavigableMap<byte[], byte[]> all = model();
    all.putAll(a);
    all.putAll(c);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(all, r);
    }
    assertFalse(fs.exists(from));
  }

  @Test
  public void mergeFromAMissingStoreIsStoreNotFound() throws Exception {
    Path to = path("to");
    NavigableMap<byte[], byte[]> c = keys(0, 10, 1);
    writeAll(kvs.createStore(to), c);
    expect(StoreNotFoundException.class, () -> kvs.mergeStore(path("nope"), to));
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(c, r);
    }
  }

  @Test
  public void mergeIntoANonStoreIsRefused() throws Exception {
    Path from = path("from");
    NavigableMap<byte[], byte[]> c = keys(0, 10, 1);
    writeAll(kvs.createStore(from), c);
    Path dir = path("dir");
    fs.mkdirs(dir);
    fs.create(new Path(dir, "other")).close();
    expect(NotAStoreException.class, () -> kvs.mergeStore(from, dir));
    assertEquals(1, fs.listStatus(dir).length);
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      assertStoreContent(c, r);
    }
  }

  @Test
  public void mergeFromAnIncompleteStoreIsRefused() throws Exception {
    Path from = path("from");
    Path to = path("to");
    NavigableMap<byte[], byte[]> c = keys(0, 10, 1);
    writeAll(kvs.createStore(to), c);
    KeyValueStoreWriter w = kvs.createStore(from);
    w.put(b("z"), b("v"));
    expect(IncompleteStoreException.class, () -> kvs.mergeStore(from, to));
    w.cancel();
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(c, r);
      assertEquals(0, fs.globStatus(new Path(to, "_kvstore_tmp_*")).length);
    }
  }

  @Test
  public void mergeOfAStoreIntoItselfIsRefused() throws Exception {
    Path store = path("self");
    NavigableMap<byte[], byte[]> c = keys(0, 50, 1);
    writeAll(kvs.createStore(store), c);
    TreeSet<String> files = listing(store);
    Exception e = expect(Exception.class, () -> kvs.mergeStore(store, store));
    assertTrue(e.toString(), e instanceof IOException || e instanceof IllegalArgumentException);
    assertEquals(files, listing(store));
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertStoreContent(c, r);
    }
  }

  @Test
  public void mergeWithACorruptOverlappingPartitionChangesNothing() throws Exception {
    Path from = path("from");
    Path to = path("to");
    NavigableMap<byte[], byte[]> odd = keys(1, 200, 2);
    NavigableMap<byte[], byte[]> even = keys(0, 200, 2);
    writeAll(kvs.createStore(from), odd);
    writeAll(kvs.createStore(to), even);
    String damagedName;
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      damagedName = r.partitions().get(0).getFileName();
    }
    File dir = new File(tmp.getRoot(), "from");
    File damaged = new File(dir, damagedName);
    Files.deleteIfExists(new File(dir, "." + damagedName + ".crc").toPath());
    byte[] bytes = Files.readAllBytes(damaged.toPath());
    // Inside the first record (after the header, the compression section and its dictionary of
    // the length at offset 20): the key range and the indexes stay intact.
    int dataStart = 16 + 12 + ByteBuffer.wrap(bytes, 20, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    bytes[dataStart + 14] ^= 0x10;
    Files.write(damaged.toPath(), bytes);
    TreeSet<String> fromFiles = listing(from);
    TreeSet<String> toFiles = listing(to);
    IOException e = expect(IOException.class, () -> kvs.mergeStore(from, to));
    assertContains(e.getMessage(), damagedName);
    assertEquals(fromFiles, listing(from));
    assertEquals(toFiles, listing(to));
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(even, r);
    }
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      assertEquals(odd.size(), r.size());
    }
  }

  @Test
  public void repeatedMergesIntoOneStoreRenameClashingFiles() throws Exception {
    Path target = path("target");
    NavigableMap<byte[], byte[]> all = keys(0, 100, 4);
    writeAll(kvs.createStore(target), all);
    for (int round = 1; round <= 3; round++) {
      Path source = path("source" + round);
      NavigableMap<byte[], byte[]> part = keys(round, 100, 4);
      writeAll(kvs.createStore(source), part);
      kvs.mergeStore(source, target);
      all.putAll(part);
      assertFalse(fs.exists(source));
    }
    try (KeyValueStoreReader r = kvs.openStore(target)) {
      TreeSet<String> names = new TreeSet<>();
      for (PartitionInfo p : r.partitions()) {
        assertTrue("distinct " + p.getFileName(), names.add(p.getFileName()));
      }
      assertStoreContent(all, r);
    }
  }
}
