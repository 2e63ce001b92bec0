package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Store-level operations and their refusals on the local filesystem. */
public final class KeyValueSystemTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private KeyValueSystem kvs;
  private FileSystem fs;

  @Before
  public void setUp() throws IOException {
    kvs = KeyValueSystem.Factory.create(new Configuration());
    fs = FileSystem.getLocal(new Configuration());
  }

  private Path path(String name) {
    return new Path(new File(tmp.getRoot(), name).toURI());
  }

  private NavigableMap<byte[], byte[]> content(String prefix, int n) {
    NavigableMap<byte[], byte[]> m = model();
    for (int i = 0; i < n; i++) {
      m.put(b(prefix + String.format("%04d", i)), value(i, i % 13));
    }
    return m;
  }

  private Path completeStore(String name, NavigableMap<byte[], byte[]> content)
      throws IOException {
    Path p = path(name);
    writeAll(kvs.createStore(p), content);
    return p;
  }

  @Test
  public void createStoreOnAnExistingStoreFails() throws Exception {
    Path p = completeStore("s", content("a", 3));
    expect(FileAlreadyExistsException.class, () -> kvs.createStore(p));
    try (KeyValueStoreReader r = kvs.openStore(p)) {
      assertEquals(3, r.size());
    }
  }

  @Test
  public void createStoreOnAnExistingFileFails() throws Exception {
    Path p = path("file");
    Files.write(new File(tmp.getRoot(), "file").toPath(), b("precious"));
    expect(FileAlreadyExistsException.class, () -> kvs.createStore(p));
    assertArrayEquals(b("precious"), Files.readAllBytes(new File(tmp.getRoot(), "file").toPath()));
  }

  @Test
  public void createStoreOnAnExistingDirectoryFails() throws Exception {
    Path p = path("dir");
    fs.mkdirs(p);
    expect(FileAlreadyExistsException.class, () -> kvs.createStore(p));
  }

  @Test
  public void createStoreWhileAnotherWriterIsActiveFails() throws Exception {
    Path p = path("busy");
    KeyValueStoreWriter first = kvs.createStore(p);
    expect(FileAlreadyExistsException.class, () -> kvs.createStore(p));
    first.put(b("k"), b("v"));
    first.close();
    try (KeyValueStoreReader r = kvs.openStore(p)) {
      assertArrayEquals(b("v"), r.get(b("k")));
    }
  }

  @Test
  public void createAndOpenByUri() throws Exception {
    URI uri = new File(tmp.getRoot(), "by-uri").toURI();
    try (KeyValueStoreWriter w = kvs.createStore(uri)) {
      w.put(b("k"), b("v"));
    }
    try (KeyValueStoreReader r = kvs.openStore(uri)) {
      assertArrayEquals(b("v"), r.get(b("k")));
    }
  }

  @Test
  public void openMissingPathIsStoreNotFound() throws Exception {
    StoreNotFoundException e =
        expect(StoreNotFoundException.class, () -> kvs.openStore(path("nothing")));
    assertContains(e.getMessage(), "nothing");
  }

  @Test
  public void openIncompleteStoreIsIncompleteStore() throws Exception {
    Path p = path("half");
    KeyValueStoreWriter w = kvs.createStore(p);
    w.put(b("k"), b("v"));
    IncompleteStoreException e =
        expect(IncompleteStoreException.class, () -> kvs.openStore(p));
    assertContains(e.getMessage(), "half");
    w.cancel();
  }

  @Test
  public void openDirectoryThatIsNotAStoreIsNotAStore() throws Exception {
    Path p = path("photos");
    fs.mkdirs(p);
    fs.create(new Path(p, "cat.jpg")).close();
    NotAStoreException e = expect(NotAStoreException.class, () -> kvs.openStore(p));
    assertContains(e.getMessage(), "photos");
  }

  @Test
  public void openPlainFileIsNotAStore() throws Exception {
    Path p = path("notes.txt");
    fs.create(p).close();
    expect(NotAStoreException.class, () -> kvs.openStore(p));
  }

  @Test
  public void openExceptionsAreDistinct() {
    assertFalse(IncompleteStoreException.class.isAssignableFrom(NotAStoreException.class));
    assertFalse(NotAStoreException.class.isAssignableFrom(IncompleteStoreException.class));
    assertFalse(StoreNotFoundException.class.isAssignableFrom(NotAStoreException.class));
    assertFalse(StoreNotFoundException.class.isAssignableFrom(IncompleteStoreException.class));
    assertTrue(IOException.class.isAssignableFrom(StoreNotFoundException.class));
  }

  @Test
  public void writerThatDiesLeavesAnIncompleteStoreThatDeleteRemoves() throws Exception {
    Path p = path("crashed");
    KeyValueStoreWriter w = kvs.createStore(p);
    for (int i = 0; i < 100; i++) {
      w.put(b(String.format("k%03d", i)), value(i, 100));
    }
    // The writer is abandoned without close or cancel, as if its process died.
    assertTrue(fs.exists(p));
    expect(IncompleteStoreException.class, () -> kvs.openStore(p));
    kvs.deleteStore(p);
    assertFalse(fs.exists(p));
    writeAll(kvs.createStore(p), content("n", 2));
    try (KeyValueStoreReader r = kvs.openStore(p)) {
      assertEquals(2, r.size());
    }
  }

  @Test
  public void deleteCompleteStore() throws Exception {
    Path p = completeStore("gone", content("g", 50));
    kvs.deleteStore(p);
    assertFalse(fs.exists(p));
  }

  @Test
  public void deleteOfADirectoryThatIsNotAStoreIsRefused() throws Exception {
    Path p = path("home");
    fs.mkdirs(p);
    Path file = new Path(p, "thesis.tex");
    fs.create(file).close();
    expect(NotAStoreException.class, () -> kvs.deleteStore(p));
    assertTrue(fs.exists(file));
  }

  /**
   * What a failed job leaves after its marker is gone (a staging tree whose attempts outlived the
   * abort, partition files, checksum side files) is an incomplete store: deletable, and reported
   * as incomplete, not "not a store".
   */
  @Test
  public void deleteOfTheLeftoversOfAFailedJobRemovesThem() throws Exception {
    Path p = path("failed-job");
    Path attempt = new Path(p, StoreLayout.TEMP_PREFIX + "job_1_0001/tasks/attempt_1_0001_r_000000_0");
    fs.mkdirs(attempt);
    fs.create(new Path(attempt, "part-r-00000-000" + StoreLayout.PARTITION_EXTENSION)).close();
    fs.create(new Path(p, "part-r-00001-000" + StoreLayout.PARTITION_EXTENSION)).close();
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(fs), p));
    expect(IncompleteStoreException.class, () -> kvs.openStore(p));
    kvs.deleteStore(p);
    assertFalse(fs.exists(p));
  }

  @Test
  public void deleteOfLeftoversMixedWithForeignFilesIsRefused() throws Exception {
    Path p = path("mixed");
    fs.mkdirs(new Path(p, StoreLayout.TEMP_PREFIX + "job_1_0001/tasks"));
    Path file = new Path(p, "notes.txt");
    fs.create(file).close();
    assertEquals(StoreLayout.State.NOT_A_STORE, StoreLayout.stateOf(FileOperations.of(fs), p));
    expect(NotAStoreException.class, () -> kvs.deleteStore(p));
    assertTrue(fs.exists(file));
  }

  @Test
  public void deleteOfAPlainFileIsRefused() throws Exception {
    Path p = path("plain.txt");
    fs.create(p).close();
    expect(NotAStoreException.class, () -> kvs.deleteStore(p));
    assertTrue(fs.exists(p));
  }

  @Test
  public void deleteOfAMissingStoreIsStoreNotFound() throws Exception {
    expect(StoreNotFoundException.class, () -> kvs.deleteStore(path("never")));
  }

  @Test
  public void renameMovesTheStore() throws Exception {
    NavigableMap<byte[], byte[]> c = content("r", 20);
    Path from = completeStore("old", c);
    Path to = path("new");
    kvs.renameStore(from, to);
    assertFalse(fs.exists(from));
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertStoreContent(c, r);
    }
  }

  @Test
  public void renameOntoAnExistingPathIsRefused() throws Exception {
    NavigableMap<byte[], byte[]> c = content("r", 20);
    Path from = completeStore("old", c);
    Path to = path("taken");
    fs.mkdirs(to);
    expect(FileAlreadyExistsException.class, () -> kvs.renameStore(from, to));
    assertTrue(fs.exists(to));
    try (KeyValueStoreReader r = kvs.openStore(from)) {
      assertStoreContent(c, r);
    }
  }

  @Test
  public void renameOfAMissingStoreIsStoreNotFound() throws Exception {
    expect(StoreNotFoundException.class, () -> kvs.renameStore(path("no"), path("yes")));
    assertFalse(fs.exists(path("yes")));
  }

  @Test
  public void renameOfAnIncompleteStoreIsRefused() throws Exception {
    Path p = path("wip");
    KeyValueStoreWriter w = kvs.createStore(p);
    w.put(b("k"), b("v"));
    expect(IncompleteStoreException.class, () -> kvs.renameStore(p, path("elsewhere")));
    assertFalse(fs.exists(path("elsewhere")));
    w.close();
  }

  @Test
  public void getOfNullKeyIsRefused() throws Exception {
    Path p = completeStore("s", content("a", 3));
    try (KeyValueStoreReader r = kvs.openStore(p)) {
      expect(NullPointerException.class, () -> r.get((byte[]) null));
      expect(NullPointerException.class, () -> r.get((ByteBuffer) null));
    }
  }

  @Test
  public void getAfterCloseIsIllegalState() throws Exception {
    Path p = completeStore("s", content("a", 3));
    KeyValueStoreReader r = kvs.openStore(p);
    r.close();
    expect(IllegalStateException.class, () -> r.get(b("a0001")));
    expect(IllegalStateException.class, () -> r.get(ByteBuffer.wrap(b("a0001"))));
  }

  @Test
  public void partitionsViewDescribesEachFile() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 2048);
    KeyValueSystem small = KeyValueSystem.Factory.create(conf);
    NavigableMap<byte[], byte[]> c = content("p", 300);
    Path p = path("parts");
    writeAll(small.createStore(p), c);
    try (KeyValueStoreReader r = small.openStore(p)) {
      assertTrue(r.partitions().size() > 3);
      byte[] previousLast = null;
      long keys = 0;
      for (PartitionInfo info : r.partitions()) {
        assertEquals(new Path(p, info.getFileName()), info.getPath());
        assertEquals(fs.getFileStatus(info.getPath()).getLen(), info.getSizeBytes());
        assertTrue(info.getFileName().endsWith(StoreLayout.PARTITION_EXTENSION));
        assertEquals(PartitionInfo.NO_BUCKET, info.getBucket());
        NavigableMap<byte[], byte[]> inRange =
            c.subMap(info.getFirstKey(), true, info.getLastKey(), true);
        assertEquals(info.getKeyCount(), inRange.size());
        if (previousLast != null) {
          assertTrue(Bytes.compare(previousLast, info.getFirstKey()) < 0);
        }
        previousLast = info.getLastKey();
        keys += info.getKeyCount();
      }
      assertEquals(c.size(), keys);
      assertNotEquals(r.partitions().get(0).getChecksum(), r.partitions().get(1).getChecksum());
    }
  }

  @Test
  public void storePathWithSpacesAndNonAsciiCharacters() throws Exception {
    NavigableMap<byte[], byte[]> c = content("s", 30);
    Path p = new Path(new Path(tmp.getRoot().toURI()), "my store \u00fc #1");
    writeAll(kvs.createStore(p), c);
    try (KeyValueStoreReader r = kvs.openStore(p)) {
      assertStoreContent(c, r);
    }
    Path renamed = new Path(new Path(tmp.getRoot().toURI()), "renamed \u00e9");
    kvs.renameStore(p, renamed);
    try (KeyValueStoreReader r = kvs.openStore(renamed)) {
      assertStoreContent(c, r);
    }
    kvs.deleteStore(renamed);
    assertFalse(fs.exists(renamed));
  }

  private static long openDescriptors() {
    return ((com.sun.management.UnixOperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getOpenFileDescriptorCount();
  }

  private Path storeOfSeveralPartitions() throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 1024);
    Path p = path("fds");
    writeAll(KeyValueSystem.Factory.create(conf).createStore(p), content("f", 200));
    return p;
  }

  private static KeyValueSystem withMmap(boolean mmap) {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
    return KeyValueSystem.Factory.create(conf);
  }

  @Test
  public void openGetIterateCloseDoNotLeakFileDescriptors() throws Exception {
    Path p = storeOfSeveralPartitions();
    for (boolean mmap : new boolean[] {true, false}) {
      KeyValueSystem kv = withMmap(mmap);
      try (KeyValueStoreReader r = kv.openStore(p)) {
        assertTrue(r.partitions().size() > 3);
        StoreTestSupport.drain(r.iterator());
      }
      long before = openDescriptors();
      for (int i = 0; i < 100; i++) {
        try (KeyValueStoreReader r = kv.openStore(p)) {
          r.get(b("f0007"));
          StoreTestSupport.drain(r.iterator(b("f0010"), b("f0150")));
          StoreTestSupport.drain(r.iterator());
          KeyValueIterator early = r.iterator();
          early.next();
          early.close();
        }
      }
      long after = openDescriptors();
      assertTrue("mmap=" + mmap + ": open descriptors " + before + " -> " + after,
          after - before < 20);
    }
  }

  @Test
  public void closingAReaderReleasesTheFilesOfItsOpenIterators() throws Exception {
    Path p = storeOfSeveralPartitions();
    for (boolean mmap : new boolean[] {true, false}) {
      KeyValueSystem kv = withMmap(mmap);
      List<KeyValueIterator> abandoned = new ArrayList<>();
      long before = openDescriptors();
      for (int i = 0; i < 100; i++) {
        try (KeyValueStoreReader r = kv.openStore(p)) {
          KeyValueIterator it = r.iterator();
          it.next();
          abandoned.add(it);
        }
      }
      long after = openDescriptors();
      // The reader's contract: close releases files; iterators still open fail on their next
      // read (here: at the latest when they reach the next partition), never return wrong data.
      for (KeyValueIterator it : abandoned) {
        expect(Exception.class, () -> {
          while (it.hasNext()) {
            it.next();
          }
        });
      }
      assertTrue("mmap=" + mmap + ": open descriptors " + before + " -> " + after
          + " after closing 100 readers, each with one open iterator", after - before < 20);
    }
  }
}
