package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.TableTestSupport.assertServes;
import static io.kvstore.TableTestSupport.writeStore;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Local copies (kvstore.read.local.dir), exercised on the local filesystem with
 * kvstore.read.local.copy.all: copied and checked before use, served from the copy, removed when
 * no longer served, bounded, throttled, and refused with the remote file named when damaged.
 */
public class LocalCopyTest {
  private static final int KEYS = 400;

  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private Configuration conf;
  private File local;
  private Path table;
  private Path builds;
  private KeyValueSystem system;

  @Before
  public void setUp() throws IOException {
    conf = new Configuration();
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 0);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    local = tmp.newFolder("local");
    KeyValueConf.LOCAL_COPY_DIR.setString(conf, local.getAbsolutePath());
    KeyValueConf.LOCAL_COPY_ALL.setBoolean(conf, true);
    system = KeyValueSystem.Factory.create(conf);
    table = new Path(tmp.newFolder("remote").toURI().toString() + "/table");
    builds = new Path(tmp.newFolder("builds").toURI());
    system.createTable(table);
    publish(1);
  }

  private TableVersion publish(long version) throws IOException {
    return system.publishVersion(table,
        writeStore(system, new Path(builds, "b" + version), version, KEYS));
  }

  /** Version directories of local copies. */
  private int copies() {
    int n = 0;
    File[] readers = local.listFiles();
    for (File reader : readers == null ? new File[0] : readers) {
      File[] versions = reader.listFiles(File::isDirectory);
      n += versions == null ? 0 : versions.length;
    }
    return n;
  }

  private void awaitCopies(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (copies() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, copies());
  }

  @Test
  public void openStoreServesACopyThatCloseRemoves() throws IOException {
    Path v1 = system.listVersions(table).get(0).getPath();
    try (KeyValueStoreReader reader = system.openStore(v1)) {
      String partition = reader.partitions().get(0).getPath().toUri().getPath();
      assertTrue(partition, partition.startsWith(local.getAbsolutePath() + "/kvstore-"));
      assertServes(reader, 1, KEYS);
    }
    assertEquals("nothing left behind", 0, local.list().length);
  }

  @Test
  public void aTableReaderCopiesEachVersionAndRemovesCopiesNoLongerServed() throws Exception {
    try (TableReader reader = system.openTable(table)) {
      assertEquals(1, copies());
      KeyValueIterator pinned = reader.iterator();
      pinned.next();
      publish(2);
      assertTrue(reader.refresh());
      assertServes(reader, 2, KEYS);
      assertEquals("version 1 is held by an iterator", 2, copies());
      while (pinned.hasNext()) {
        assertEquals(1, TableTestSupport.versionOf(pinned.next().getValue()));
      }
      awaitCopies(1);
    }
    assertEquals(0, local.list().length);
  }

  @Test
  public void retentionDoesNotDisturbALocalReaderServingADeletedVersion() throws IOException {
    try (TableReader reader = system.openTable(table)) {
      publish(2);
      publish(3);
      KeyValueConf.TABLE_VERSIONS_RETAINED.setLong(conf, 1);
      assertEquals(2, KeyValueSystem.Factory.create(conf).deleteOldVersions(table).size());
      // Version 1 is gone from the table; the reader serves its own copy of it.
      assertServes(reader, 1, KEYS);
      assertTrue(reader.refresh());
      assertServes(reader, 3, KEYS);
    }
  }

  @Test
  public void aDamagedRemoteFileIsRefusedWhileCopyingAndTheOldVersionKeepsServing()
      throws Exception {
    try (TableReader reader = system.openTable(table)) {
      TableVersion v2 = publish(2);
      File victim = new File(v2.getPath().toUri().getPath(), "part-00002.kvp");
      try (RandomAccessFile file = new RandomAccessFile(victim, "rw")) {
        file.seek(100);
        int b = file.read();
        file.seek(100);
        file.write(b ^ 0x40);
      }
      CorruptStoreException e = expect(CorruptStoreException.class, reader::refresh);
      assertEquals(new Path(victim.toURI()).toString(), e.getFile());
      assertContains(e.getProblem(), "file CRC32C is");
      assertContains(reader.statistics().getLastRefusal(), "part-00002.kvp");
      assertServes(reader, 1, KEYS);
      assertEquals("the partial copy is removed", 1, copies());
    }
  }

  @Test
  public void aCopyBeyondTheDiskBoundIsRefusedWithAClearError() throws Exception {
    long size = system.listVersions(table).get(0).getSizeBytes();
    KeyValueConf.LOCAL_COPY_MAX_BYTES.setLong(conf, size + size / 2);
    try (TableReader reader = KeyValueSystem.Factory.create(conf).openTable(table)) {
      publish(2);
      IOException e = expect(IOException.class, reader::refresh);
      assertContains(e.getMessage(), "Local copy directory " + "file:" + local.getAbsolutePath()
          + "/kvstore-", " is full: copying ", "v-00000002 needs " + size + " bytes",
          "hold " + size + " of at most " + (size + size / 2),
          "kvstore.read.local.max.bytes");
      assertEquals(1, reader.statistics().getRefusals());
      assertServes(reader, 1, KEYS);
      assertEquals(1, copies());
    }
  }

  @Test
  public void theCopyThroughputLimitHoldsTheCopyBack() throws IOException {
    long size = system.listVersions(table).get(0).getSizeBytes();
    long rate = size * 2; // the copy of one version takes at least half a second
    KeyValueConf.LOCAL_COPY_BYTES_PER_SECOND.setLong(conf, rate);
    long start = System.nanoTime();
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(table)) {
      long took = System.nanoTime() - start;
      assertTrue("copy of " + size + " bytes at " + rate + " B/s took " + took / 1e6 + " ms",
          took >= TimeUnit.MILLISECONDS.toNanos(450));
      assertServes(reader, 1, KEYS);
    }
  }

  @Test
  public void copiesOfAReaderThatDiedAreRemovedByTheNextReaderButNotALiveOnes() throws Exception {
    // What a killed process leaves: a reader directory with a copy and nobody holding its lock.
    File dead = new File(local, "kvstore-dead");
    assertTrue(new File(dead, "v-00000001-1").mkdirs());
    java.nio.file.Files.write(new File(dead, "v-00000001-1/part-00000.kvp").toPath(),
        new byte[1000]);
    try (TableReader live = system.openTable(table)) {
      assertTrue("a fresh directory may be a reader about to lock it", dead.exists());
      File livesDir = new File(live.partitions().get(0).getPath().toUri().getPath())
          .getParentFile().getParentFile();
      // Both past the minute: the next reader deletes the dead one only.
      assertTrue(dead.setLastModified(System.currentTimeMillis() - 120_000));
      assertTrue(livesDir.setLastModified(System.currentTimeMillis() - 120_000));
      try (TableReader next = system.openTable(table)) {
        assertServes(next, 1, KEYS);
      }
      assertTrue(!dead.exists());
      assertTrue("a live reader's copies stay", livesDir.exists());
      assertServes(live, 1, KEYS);
    }
    assertEquals(0, local.list().length);
  }
}
