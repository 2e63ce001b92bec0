package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.TableTestSupport.assertServes;
import static io.kvstore.TableTestSupport.writeStore;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.TableLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tables of versions: create, publish, list, roll back, retention, and the pointer's checks. */
public class TableTest {
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private Configuration conf;
  private KeyValueSystem system;
  private Path table;
  private Path builds;

  @Before
  public void setUp() throws IOException {
    conf = new Configuration();
    system = KeyValueSystem.Factory.create(conf);
    table = new Path(tmp.newFolder("t").toURI().toString() + "/table");
    builds = new Path(tmp.newFolder("builds").toURI());
  }

  private TableVersion publish(long version, int keys) throws IOException {
    return system.publishVersion(table, writeStore(system, new Path(builds, "b" + version),
        version, keys));
  }

  private List<Long> versions() throws IOException {
    List<Long> out = new ArrayList<>();
    for (TableVersion v : system.listVersions(table)) {
      out.add(v.getVersion());
    }
    return out;
  }

  @Test
  public void publishMakesEachStoreTheNextCurrentVersion() throws IOException {
    system.createTable(table);
    assertTrue(system.listVersions(table).isEmpty());
    StoreNotFoundException none = expect(StoreNotFoundException.class,
        () -> system.openStore(table));
    assertContains(none.getMessage(), "no published version yet");

    TableVersion v1 = publish(1, 10);
    assertEquals(1, v1.getVersion());
    assertTrue(v1.isCurrent());
    assertEquals(10, v1.getPairCount());
    TableVersion v2 = publish(2, 20);
    assertEquals(2, v2.getVersion());
    assertFalse("the published store moved into the table",
        new java.io.File(new Path(builds, "b2").toUri()).exists());

    List<TableVersion> listed = system.listVersions(table);
    assertEquals(2, listed.size());
    assertEquals(1, listed.get(0).getVersion());
    assertFalse(listed.get(0).isCurrent());
    assertEquals(10, listed.get(0).getPairCount());
    assertTrue(listed.get(1).isCurrent());
    assertEquals(20, listed.get(1).getPairCount());
    assertTrue(listed.get(1).getSizeBytes() > listed.get(0).getSizeBytes());
    assertTrue(listed.get(1).getCreatedMillis() >= listed.get(0).getCreatedMillis());
    assertTrue(listed.get(1).getCreatedMillis() > 0);

    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertServes(reader, 2, 20);
    }
  }

  @Test
  public void rollbackAndForwardAgainMoveOnlyThePointer() throws IOException {
    system.createTable(table);
    publish(1, 5);
    publish(2, 6);
    publish(3, 7);
    assertEquals(2, system.rollback(table).getVersion());
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertServes(reader, 2, 6);
    }
    assertEquals(1, system.rollback(table).getVersion());
    StoreNotFoundException oldest = expect(StoreNotFoundException.class,
        () -> system.rollback(table));
    assertContains(oldest.getMessage(), "no version older than its current version 1");
    assertEquals(3, system.setCurrentVersion(table, 3).getVersion());
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertServes(reader, 3, 7);
    }
    StoreNotFoundException missing = expect(StoreNotFoundException.class,
        () -> system.setCurrentVersion(table, 9));
    assertContains(missing.getMessage(), "has no version 9");
    // A publish after a rollback still takes a new number: numbers are never reused.
    system.rollback(table);
    assertEquals(4, publish(4, 3).getVersion());
  }

  @Test
  public void retentionKeepsTheCurrentVersionAndTheNewestOthers() throws IOException {
    system.createTable(table);
    for (int v = 1; v <= 4; v++) {
      publish(v, 3);
    }
    List<TableVersion> deleted = system.deleteOldVersions(table);
    assertEquals(2, deleted.size());
    assertEquals(List.of(3L, 4L), versions());
    publish(5, 3);
    system.rollback(table);
    system.rollback(table);
    assertEquals(3, system.listVersions(table).stream().filter(TableVersion::isCurrent)
        .findFirst().get().getVersion());
    // Keep 2: the current (3, now the oldest) and the newest other (5).
    system.deleteOldVersions(table);
    assertEquals(List.of(3L, 5L), versions());
  }

  @Test
  public void retentionOfOneNeverDeletesTheCurrentVersion() throws IOException {
    KeyValueConf.TABLE_VERSIONS_RETAINED.setLong(conf, 1);
    system = KeyValueSystem.Factory.create(conf);
    system.createTable(table);
    publish(1, 3);
    publish(2, 3);
    system.rollback(table);
    system.deleteOldVersions(table);
    assertEquals(List.of(1L), versions());
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertServes(reader, 1, 3);
    }
  }

  @Test
  public void createRefusesAnythingButAnEmptyDirectoryOrNothing() throws IOException {
    system.createTable(table);
    FileAlreadyExistsException twice = expect(FileAlreadyExistsException.class,
        () -> system.createTable(table));
    assertContains(twice.getMessage(), "it is a table already");
    Path store = writeStore(system, new Path(builds, "s"), 1, 1);
    assertContains(expect(FileAlreadyExistsException.class, () -> system.createTable(store))
        .getMessage(), "not an empty directory");
    Path empty = new Path(tmp.newFolder("empty").toURI());
    system.createTable(empty);
    assertTrue(system.listVersions(empty).isEmpty());
  }

  @Test
  public void publishRefusesAPathThatIsNotATableAndAnIncompleteStore() throws IOException {
    Path store = writeStore(system, new Path(builds, "s"), 1, 1);
    StoreNotFoundException notTable = expect(StoreNotFoundException.class,
        () -> system.publishVersion(table, store));
    assertContains(notTable.getMessage(), "it is not a table");
    system.createTable(table);
    KeyValueStoreWriter writer = system.createStore(new Path(builds, "open"));
    writer.put(new byte[] {1}, new byte[] {2});
    expect(IncompleteStoreException.class,
        () -> system.publishVersion(table, new Path(builds, "open")));
    writer.close();
    assertTrue(system.listVersions(table).isEmpty());
  }

  @Test
  public void aDamagedPointerIsReportedNamingTheFile() throws IOException {
    system.createTable(table);
    publish(1, 2);
    java.io.File pointer = new java.io.File(TableLayout.pointer(table).toUri());
    byte[] bytes = Files.readAllBytes(pointer.toPath());
    for (int i = 0; i < bytes.length; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= 0x10;
      Files.write(pointer.toPath(), damaged);
      CorruptStoreException e = expect(CorruptStoreException.class,
          () -> system.openStore(table));
      assertEquals(TableLayout.pointer(table).toString(), e.getFile());
    }
    Files.write(pointer.toPath(), java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertContains(expect(CorruptStoreException.class, () -> system.listVersions(table))
        .getMessage(), "table pointer is 31 bytes, not 32");
    Files.write(pointer.toPath(), bytes);
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertServes(reader, 1, 2);
    }
  }
}
