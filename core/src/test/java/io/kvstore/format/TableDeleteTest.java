package io.kvstore.format;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.TableTestSupport.assertServes;
import static io.kvstore.TableTestSupport.writeStore;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.NotAStoreException;
import io.kvstore.StoreNotFoundException;
import io.kvstore.TableTestSupport;
import io.kvstore.TableVersion;
import io.kvstore.fs.CallFailingFileOperations;
import io.kvstore.fs.CallFailingFileOperations.Mode;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link KeyValueSystem#deleteTable}: what it deletes, what it refuses, every filesystem call of
 * it failed in turn, and a publish interleaved at every call of it (and it at every call of a
 * publish): never a pointer to a missing version, never a version outside a table.
 */
public class TableDeleteTest {
  private static final int KEYS = 5;

  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();
  private final KeyValueSystem system = KeyValueSystem.Factory.create(conf);

  /** A table whose versions 1..{@code versions} are published, the last current. */
  private Path table(int versions) throws IOException {
    return TableTestSupport.tableWithVersions(system, new Path(tmp.newFolder().toURI()), versions,
        KEYS);
  }

  private FileOperations ops(Path path) throws IOException {
    return FileOperations.forPath(path, conf);
  }

  /**
   * The invariant after any failure: the table has no pointer, or a pointer naming a complete
   * version that serves exactly its pairs.
   */
  private void assertIntactOrNoPointer(Path table, String where) throws IOException {
    assertIntact(table, where, false);
  }

  /** After a race: as above, and no version is left in a directory without a pointer. */
  private void assertIntactOrGone(Path table, String where) throws IOException {
    assertIntact(table, where, true);
  }

  private void assertIntact(Path table, String where, boolean noOrphans) throws IOException {
    FileOperations ops = ops(table);
    if (!ops.exists(TableLayout.pointer(table))) {
      if (noOrphans && ops.exists(table)) {
        for (FileStatus entry : ops.listStatus(table)) {
          assertTrue(where + ": version left without a pointer: " + entry.getPath(),
              TableLayout.versionOf(entry.getPath().getName()) < 0);
        }
      }
      return;
    }
    long current = TablePointer.read(ops, table).current();
    assertTrue(where + ": no version current", current > 0);
    assertEquals(where + ": pointer to a missing or incomplete version",
        StoreLayout.State.COMPLETE, StoreLayout.stateOf(ops, TableLayout.versionDir(table,
            current)));
    try (KeyValueStoreReader reader = system.openTable(table)) {
      assertServes(reader, current, KEYS);
    }
  }

  @Test
  public void deleteTableRemovesThePointerEveryVersionAndTheDirectory() throws IOException {
    Path table = table(3);
    // The current version need not be the newest; a job's staging entry is the table's too.
    system.setCurrentVersion(table, 2);
    ops(table).mkdirs(new Path(table, StoreLayout.TEMP_PREFIX + "job-1"));
    system.deleteTable(table);
    assertFalse(ops(table).exists(table));
    assertTrue(ops(table).exists(table.getParent()));
    assertContains(expect(StoreNotFoundException.class, () -> system.openTable(table))
        .getMessage(), table.getName());
    expect(StoreNotFoundException.class, () -> system.deleteTable(table));
  }

  @Test
  public void deleteTableOfATableWithoutVersionsRemovesIt() throws IOException {
    Path table = table(0);
    system.deleteTable(table);
    assertFalse(ops(table).exists(table));
  }

  @Test
  public void deleteTableRefusesAMissingPathAStoreAFileAndADirectoryHoldingOtherData()
      throws IOException {
    Path root = new Path(tmp.newFolder().toURI());
    FileOperations ops = ops(root);
    Path missing = new Path(root, "missing");
    assertContains(expect(StoreNotFoundException.class, () -> system.deleteTable(missing))
        .getMessage(), "missing", "nothing there");

    Path store = writeStore(system, new Path(root, "store"), 1, KEYS);
    assertContains(expect(NotAStoreException.class, () -> system.deleteTable(store))
        .getMessage(), "store", "deleteStore");
    assertEquals(StoreLayout.State.COMPLETE, StoreLayout.stateOf(ops, store));

    Path file = new Path(root, "file");
    ops.create(file, false).close();
    expect(NotAStoreException.class, () -> system.deleteTable(file));
    assertTrue(ops.exists(file));

    Path empty = new Path(root, "empty");
    ops.mkdirs(empty);
    assertContains(expect(NotAStoreException.class, () -> system.deleteTable(empty))
        .getMessage(), "empty directory");
    assertTrue(ops.exists(empty));

    // A table with something else put in it, and a directory holding other data.
    Path table = table(2);
    Path notes = new Path(table, "notes.txt");
    ops.create(notes, false).close();
    assertContains(expect(NotAStoreException.class, () -> system.deleteTable(table))
        .getMessage(), "notes.txt");
    assertTrue(ops.exists(notes));
    assertIntactOrNoPointer(table, "refused");
    assertEquals(2, system.listVersions(table).size());

    Path other = new Path(root, "other");
    ops.mkdirs(new Path(other, "data"));
    assertContains(expect(NotAStoreException.class, () -> system.deleteTable(other))
        .getMessage(), "data");
    assertTrue(ops.exists(new Path(other, "data")));
  }

  @Test
  public void deleteTableFailingAtEveryCallLeavesTheTableIntactOrNoPointerAndCanBeRepeated()
      throws IOException {
    Path probe = table(2);
    CallFailingFileOperations counter = new CallFailingFileOperations(ops(probe));
    counter.failAt(0, Mode.BEFORE);
    new TableOperations(counter, conf).delete(probe);
    int calls = counter.calls().size();
    assertTrue(counter.calls().toString(), calls >= 6);
    for (Mode mode : Mode.values()) {
      for (int n = 1; n <= calls; n++) {
        Path table = table(2);
        CallFailingFileOperations ops = new CallFailingFileOperations(ops(table));
        ops.failAt(n, mode);
        String where = mode + " call " + n + " of " + calls;
        String failure = "";
        try {
          new TableOperations(ops, conf).delete(table);
        } catch (IOException e) {
          failure = e.toString();
          assertContains(failure, table.toString());
          if (!ops(table).exists(TableLayout.pointer(table))) {
            // Failed after removing something: the message says what is left.
            assertContains(failure, "left: ");
          }
        }
        assertNotNull(where, ops.failed());
        assertIntactOrNoPointer(table, where);
        if (ops(table).exists(table) && ops(table).listStatus(table).length == 0) {
          // Failed at the last step: the message says so; an empty directory is no table.
          assertContains(failure, "left: the empty directory");
          ops(table).delete(table, false);
        } else if (ops(table).exists(table)) {
          system.deleteTable(table);
        }
        assertFalse(where, ops(table).exists(table));
      }
    }
  }

  @Test
  public void aPublishRacingTheDeleteNeverLeavesAVersionOutsideATable() throws IOException {
    // The delete run before each call of a publish.
    Path probe = table(1);
    Path probeBuild = writeStore(system, new Path(probe.getParent(), "next"), 2, KEYS);
    CallFailingFileOperations counter = new CallFailingFileOperations(ops(probe));
    counter.failAt(0, Mode.BEFORE);
    new TableOperations(counter, conf).publish(probe, probeBuild);
    int publishCalls = counter.calls().size();
    for (int n = 1; n <= publishCalls; n++) {
      Path table = table(1);
      Path build = writeStore(system, new Path(table.getParent(), "next"), 2, KEYS);
      CallFailingFileOperations ops = new CallFailingFileOperations(ops(table));
      ops.runAt(n, () -> deleteRacing(table));
      String where = "delete before publish call " + n + " of " + publishCalls;
      try {
        TableVersion published = new TableOperations(ops, conf).publish(table, build);
        // Published after the delete failed on the arriving version: the table's only one.
        assertEquals(where, Arrays.asList(published.getVersion()), versions(table));
      } catch (StoreNotFoundException | NotAStoreException e) {
        // Refused, or its store became a version and went with the table: nothing hidden.
        assertTrue(where + ": " + e, ops(build).exists(build) || !ops(table).exists(table));
      } catch (IOException e) {
        assertTrue(where + ": " + e, ops(build).exists(build)
            || Arrays.toString(e.getSuppressed()).contains("deleted with the table"));
      }
      if (ops(build).exists(build)) {
        assertEquals(where, StoreLayout.State.COMPLETE, StoreLayout.stateOf(ops(build), build));
      }
      assertIntactOrGone(table, where);
    }

    // A publish run before each call of the delete.
    Path probe2 = table(1);
    CallFailingFileOperations counter2 = new CallFailingFileOperations(ops(probe2));
    counter2.failAt(0, Mode.BEFORE);
    new TableOperations(counter2, conf).delete(probe2);
    int deleteCalls = counter2.calls().size();
    for (int n = 1; n <= deleteCalls; n++) {
      Path table = table(1);
      Path build = writeStore(system, new Path(table.getParent(), "next"), 2, KEYS);
      CallFailingFileOperations ops = new CallFailingFileOperations(ops(table));
      ops.runAt(n, () -> {
        try {
          system.publishVersion(table, build);
        } catch (StoreNotFoundException refused) {
          // The pointer was removed already: refused before anything moved.
          assertTrue(ops(build).exists(build));
        }
      });
      String where = "publish before delete call " + n + " of " + deleteCalls;
      new TableOperations(ops, conf).delete(table);
      assertFalse(where, ops(table).exists(table));
    }
  }

  /** deleteTable as another process runs it: its failure is that process's, not the test's. */
  private void deleteRacing(Path table) {
    try {
      system.deleteTable(table);
    } catch (IOException e) {
      assertContains(e.toString(), table.toString());
    }
  }

  private java.util.List<Long> versions(Path table) throws IOException {
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (TableVersion v : system.listVersions(table)) {
      out.add(v.getVersion());
    }
    return out;
  }
}
