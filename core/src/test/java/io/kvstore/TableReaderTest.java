package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.TableTestSupport.assertServes;
import static io.kvstore.TableTestSupport.key;
import static io.kvstore.TableTestSupport.value;
import static io.kvstore.TableTestSupport.versionOf;
import static io.kvstore.TableTestSupport.writeStore;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A reader that follows a table: refresh, polling, iterators across a switch, refusals. */
public class TableReaderTest {
  private static final int KEYS = 300;

  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private Configuration conf;
  private KeyValueSystem system;
  private Path table;
  private Path builds;

  @Before
  public void setUp() throws IOException {
    conf = new Configuration();
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 0);
    // Several partitions, so a scan crosses files.
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    system = KeyValueSystem.Factory.create(conf);
    table = new Path(tmp.newFolder("t").toURI().toString() + "/table");
    builds = new Path(tmp.newFolder("builds").toURI());
    system.createTable(table);
    publish(1);
  }

  private TableVersion publish(long version) throws IOException {
    return system.publishVersion(table,
        writeStore(system, new Path(builds, "b" + version), version, KEYS));
  }

  /** Records what a reader reports. */
  private static final class Recorder implements TableListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<IOException> reasons = new CopyOnWriteArrayList<>();

    @Override
    public void switched(long from, long to) {
      events.add("switched " + from + " -> " + to);
    }

    @Override
    public void refused(long version, IOException reason) {
      events.add("refused " + version);
      reasons.add(reason);
    }
  }

  @Test
  public void refreshSwitchesToTheNewCurrentVersionAndTellsListeners() throws IOException {
    try (TableReader reader = system.openTable(table)) {
      Recorder recorder = new Recorder();
      reader.addListener(recorder);
      assertEquals(1, reader.currentVersion());
      assertFalse("nothing new", reader.refresh());
      publish(2);
      assertServes(reader, 1, KEYS);
      assertTrue(reader.refresh());
      assertEquals(2, reader.currentVersion());
      assertServes(reader, 2, KEYS);
      assertEquals(List.of("switched 1 -> 2"), recorder.events);
      TableStatistics stats = reader.statistics();
      assertEquals(2, stats.getCurrentVersion());
      assertEquals(1, stats.getSwitches());
      assertEquals(0, stats.getRefusals());
      assertEquals(KEYS, reader.size());
    }
  }

  @Test
  public void anIteratorFinishesOnTheVersionItStartedOn() throws IOException {
    try (TableReader reader = system.openTable(table)) {
      KeyValueIterator before = reader.iterator();
      for (int i = 0; i < KEYS / 2; i++) {
        assertArrayEquals(value(1, i), before.next().getValue());
      }
      publish(2);
      assertTrue(reader.refresh());
      assertArrayEquals(value(2, 7), reader.get(key(7)));
      KeyValueIterator after = reader.iterator();
      for (int i = KEYS / 2; i < KEYS; i++) {
        assertTrue(before.hasNext());
        assertArrayEquals("old iterator, pair " + i, value(1, i), before.next().getValue());
      }
      assertFalse(before.hasNext());
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(2, i), after.next().getValue());
      }
      after.close();
      // A later switch with an iterator closed early leaves nothing pinned.
      KeyValueIterator abandoned = reader.iterator();
      abandoned.next();
      abandoned.close();
      publish(3);
      assertTrue(reader.refresh());
      assertServes(reader, 3, KEYS);
    }
  }

  @Test
  public void pollingNoticesANewVersionWithoutARefreshCall() throws Exception {
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 20);
    try (TableReader reader = KeyValueSystem.Factory.create(conf).openTable(table)) {
      publish(2);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (versionOf(reader.get(key(3))) != 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(2, reader.currentVersion());
      assertServes(reader, 2, KEYS);
    }
  }

  @Test
  public void aNewVersionWithACorruptPartitionIsRefusedAndTheOldKeepsServing()
      throws IOException {
    try (TableReader reader = system.openTable(table)) {
      Recorder recorder = new Recorder();
      reader.addListener(recorder);
      TableVersion v2 = publish(2);
      // Damage one byte in the records of a partition after the publish (a bad disk, a bad copy).
      PartitionInfo damaged;
      try (KeyValueStoreReader direct = system.openStore(v2.getPath())) {
        damaged = direct.partitions().get(1);
      }
      try (RandomAccessFile file = new RandomAccessFile(damaged.getPath().toUri().getPath(),
          "rw")) {
        file.seek(40);
        int b = file.read();
        file.seek(40);
        file.write(b ^ 0x01);
      }
      CorruptStoreException e = expect(CorruptStoreException.class, reader::refresh);
      assertEquals(damaged.getPath().toString(), e.getFile());
      assertContains(e.getProblem(), "file CRC32C is");
      assertEquals(1, reader.currentVersion());
      assertServes(reader, 1, KEYS);
      assertEquals(List.of("refused 2"), recorder.events);
      assertEquals(e, recorder.reasons.get(0));
      TableStatistics stats = reader.statistics();
      assertEquals(1, stats.getRefusals());
      assertEquals(2, stats.getLastRefusedVersion());
      assertContains(stats.getLastRefusal(), damaged.getPath().toString(), "CRC32C");
      assertContains(stats.toString(), "refusals=1");
      // The next good version is taken.
      publish(3);
      assertTrue(reader.refresh());
      assertServes(reader, 3, KEYS);
    }
  }

  @Test
  public void rollbackWhileServingIsFollowedAndRetentionSparesTheCurrentVersion()
      throws IOException {
    publish(2);
    try (TableReader reader = system.openTable(table)) {
      assertEquals(2, reader.currentVersion());
      KeyValueIterator during = reader.iterator();
      system.rollback(table);
      assertTrue(reader.refresh());
      assertServes(reader, 1, KEYS);
      for (int i = 0; i < KEYS; i++) {
        assertEquals(2, versionOf(during.next().getValue()));
      }
      during.close();
      publish(3);
      system.setCurrentVersion(table, 1);
      KeyValueConf.TABLE_VERSIONS_RETAINED.setLong(conf, 1);
      KeyValueSystem.Factory.create(conf).deleteOldVersions(table);
      assertFalse(reader.refresh());
      assertServes(reader, 1, KEYS);
      assertEquals(1, system.listVersions(table).size());
    }
  }

  @Test
  public void aClosedReaderRefusesCalls() throws IOException {
    TableReader reader = system.openTable(table);
    KeyValueIterator open = reader.iterator();
    reader.close();
    reader.close();
    expect(IllegalStateException.class, () -> reader.get(key(1)));
    expect(IllegalStateException.class, reader::iterator);
    expect(IllegalStateException.class, reader::refresh);
    expect(IllegalStateException.class, () -> {
      while (open.hasNext()) {
        open.next();
      }
    });
    open.close();
  }

  @Test
  public void openTableRefusesAPathThatIsNotATable() throws IOException {
    Path store = writeStore(system, new Path(builds, "plain"), 1, 3);
    assertContains(expect(StoreNotFoundException.class, () -> system.openTable(store))
        .getMessage(), "it is not a table");
    Path empty = new Path(tmp.newFolder().toURI().toString() + "/empty");
    system.createTable(empty);
    assertContains(expect(StoreNotFoundException.class, () -> system.openTable(empty))
        .getMessage(), "no published version yet");
  }

  /**
   * 8 threads of gets, scans, ByteBuffer gets and multi-gets while a version is published every 100 ms:
   * every answer from exactly one version, no error. Seconds per phase from the system property
   * {@code kvstore.table.stress.seconds} (5 in the unit suite; TableSwapStressIT runs 60).
   */
  @Test
  public void eightThreadsReadWhileVersionsArePublishedEvery100Ms() throws Exception {
    int seconds = Integer.getInteger("kvstore.table.stress.seconds", 5);
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 20);
    KeyValueConf.TABLE_VERSIONS_RETAINED.setLong(conf, 50);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 16 * 1024);
    KeyValueSystem stressSystem = KeyValueSystem.Factory.create(conf);
    Path stressTable = new Path(tmp.newFolder().toURI().toString() + "/stress");
    stressSystem.createTable(stressTable);
    stressSystem.publishVersion(stressTable, writeStore(stressSystem,
        new Path(builds, "s1"), 1, TableSwapStress.KEYS));
    TableSwapStress.Result r = TableSwapStress.run(stressSystem, stressTable, builds, 8, seconds,
        100);
    System.out.printf("Table swap stress, 8 threads, %d s per phase:%n  no publishes: %s%n"
        + "  publishing every 100 ms (%d versions, %d switches): %s%n", seconds, r.quiet,
        r.published, r.switches, r.swapping);
    assertEquals(r.errors.toString(), List.of(), r.errors);
    assertTrue(r.published > 0);
    assertTrue(r.switches > 0);
    assertTrue(r.swapping.highestVersion > r.swapping.lowestVersion);
  }
}
