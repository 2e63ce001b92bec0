package io.kvstore.format;

import static io.kvstore.TableTestSupport.assertServes;
import static io.kvstore.TableTestSupport.writeStore;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.TableTestSupport;
import io.kvstore.TableVersion;
import io.kvstore.fs.CallFailingFileOperations;
import io.kvstore.fs.CallFailingFileOperations.Mode;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every filesystem call of publish, rollback and retention failed in turn, before and after it
 * takes effect: the table's current version is always the old or the new one, complete and
 * serving exactly its pairs, and running the operation again completes it.
 */
public class TableFaultTest {
  private static final int KEYS = 7;

  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();
  private final KeyValueSystem system = KeyValueSystem.Factory.create(conf);

  /** A table whose versions 1..{@code versions} are published, the last current. */
  private Path table(int versions) throws IOException {
    return TableTestSupport.tableWithVersions(system, new Path(tmp.newFolder().toURI()), versions,
        KEYS);
  }

  private CallFailingFileOperations failing(Path table) throws IOException {
    return new CallFailingFileOperations(FileOperations.forPath(table, conf));
  }

  private long current(Path table) throws IOException {
    for (TableVersion v : system.listVersions(table)) {
      if (v.isCurrent()) {
        return v.getVersion();
      }
    }
    throw new AssertionError("no current version listed in " + system.listVersions(table));
  }

  /** The table serves exactly the pairs of the version its pointer names; returns it. */
  private long assertIntact(Path table) throws IOException {
    long current = current(table);
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertServes(reader, current, KEYS);
    }
    return current;
  }

  private int countCalls(IoAction action, CallFailingFileOperations ops) throws IOException {
    ops.failAt(0, Mode.BEFORE);
    action.run();
    return ops.calls().size();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  @Test
  public void publishFailingAtEveryCallLeavesTheOldOrTheNewVersionAndCanBeRepeated()
      throws IOException {
    Path probe = table(1);
    CallFailingFileOperations counter = failing(probe);
    Path probeBuild = writeStore(system, new Path(probe.getParent(), "next"), 2, KEYS);
    int calls = countCalls(() -> new TableOperations(counter, conf).publish(probe, probeBuild),
        counter);
    assertTrue(calls >= 5);
    for (Mode mode : Mode.values()) {
      for (int n = 1; n <= calls; n++) {
        Path table = table(1);
        Path build = writeStore(system, new Path(table.getParent(), "next"), 2, KEYS);
        CallFailingFileOperations ops = failing(table);
        ops.failAt(n, mode);
        String where = mode + " call " + n + " of " + calls;
        try {
          new TableOperations(ops, conf).publish(table, build);
        } catch (IOException e) {
          assertTrue(where + ": " + e, e.getMessage().contains("Injected fault"));
        }
        assertNotNull(where, ops.failed());
        long current = assertIntact(table);
        if (current == 1) {
          // Not published: the build is back where it was, complete, and publishing it works.
          assertEquals(where, StoreLayout.State.COMPLETE,
              StoreLayout.stateOf(FileOperations.forPath(build, conf), build));
          system.publishVersion(table, build);
        }
        assertEquals(where, 2, assertIntact(table));
      }
    }
  }

  @Test
  public void rollbackFailingAtEveryCallLeavesTheOldOrTheNewVersion() throws IOException {
    Path probe = table(2);
    CallFailingFileOperations counter = failing(probe);
    int calls = countCalls(() -> new TableOperations(counter, conf).rollback(probe), counter);
    for (Mode mode : Mode.values()) {
      for (int n = 1; n <= calls; n++) {
        Path table = table(2);
        CallFailingFileOperations ops = failing(table);
        ops.failAt(n, mode);
        try {
          new TableOperations(ops, conf).rollback(table);
        } catch (IOException e) {
          assertTrue(e.getMessage(), e.getMessage().contains("Injected fault"));
        }
        long current = assertIntact(table);
        assertTrue(mode + " " + n, current == 1 || current == 2);
        system.setCurrentVersion(table, 1);
        assertEquals(1, assertIntact(table));
      }
    }
  }

  @Test
  public void retentionFailingAtEveryCallNeverTouchesTheCurrentVersion() throws IOException {
    Path probe = table(4);
    system.setCurrentVersion(probe, 2);
    CallFailingFileOperations counter = failing(probe);
    int calls = countCalls(() -> new TableOperations(counter, conf).deleteOld(probe), counter);
    for (Mode mode : Mode.values()) {
      for (int n = 1; n <= calls; n++) {
        Path table = table(4);
        system.setCurrentVersion(table, 2);
        CallFailingFileOperations ops = failing(table);
        ops.failAt(n, mode);
        try {
          new TableOperations(ops, conf).deleteOld(table);
        } catch (IOException e) {
          assertTrue(e.getMessage(), e.getMessage().contains("Injected fault"));
        }
        assertEquals(2, assertIntact(table));
        system.deleteOldVersions(table);
        List<TableVersion> left = system.listVersions(table);
        assertEquals(mode + " " + n, 2, left.size());
        assertEquals(2, left.get(0).getVersion());
        assertEquals(4, left.get(1).getVersion());
      }
    }
  }
}
