package io.kvstore.mapreduce;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueSystem;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.TableVersion;
import io.kvstore.mapreduce.FaultInjectingFileOperations.Mode;
import io.kvstore.mapreduce.FaultInjectingFileOperations.Op;
import io.kvstore.commit.TableOutput;
import java.io.IOException;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobStatus;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Job commit publishing into a table, with every rename, mkdirs, delete and create of the commit
 * failed in turn: the table's current version is the old one (and abort removes the unpublished
 * store) or the new one, complete; never missing or broken.
 */
public class TableOutputCommitTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private Path table;
  private KeyValueSystem system;

  /** A table whose version 1 holds "a" -> "old-a", and a harness whose job writes "new-" pairs. */
  private CommitterHarness harness() throws Exception {
    table = new Path(new Path(tmp.newFolder().toURI()), "table");
    Configuration base = new Configuration();
    system = KeyValueSystem.Factory.create(base);
    system.createTable(table);
    Path first = new Path(table.getParent(), "first");
    try (KeyValueStoreWriter w = system.createStore(first)) {
      w.put(b("a"), b("old-a"));
    }
    system.publishVersion(table, first);
    Path store = TableOutput.configure(base, table);
    CommitterHarness h = new CommitterHarness(store, 1, 1, base);
    h.committer().setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "new-", "a", "b");
    return h;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The value of {@code key} in the table's current version. */
  private String get(String key) throws IOException {
    try (KeyValueStoreReader reader = system.openStore(table)) {
      return new String(reader.get(b(key)), StandardCharsets.UTF_8);
    }
  }

  private long current() throws IOException {
    for (TableVersion v : system.listVersions(table)) {
      if (v.isCurrent()) {
        return v.getVersion();
      }
    }
    throw new AssertionError("no current version");
  }

  @Test
  public void aCommitThatPublishesIntoTheTableMakesTheNewVersionCurrent() throws Exception {
    CommitterHarness h = harness();
    h.committer().commitJob(h.jobContext());
    assertEquals(2, current());
    assertFalse(h.fs.exists(h.store));
    assertEquals("new-b", get("b"));
  }

  @Test
  public void everyFailingCallOfTheCommitLeavesTheOldVersionOrTheNewOneComplete()
      throws Exception {
    for (Op op : Op.values()) {
      CommitterHarness probe = harness();
      probe.ops.failOn(op, -1, Mode.THROW); // counts calls, fails none
      probe.committer().commitJob(probe.jobContext());
      int calls = probe.ops.calls(op);
      for (int n = 1; n <= calls; n++) {
        CommitterHarness h = harness();
        h.ops.failOn(op, n, Mode.THROW);
        String where = op + " #" + n + " of " + calls;
        boolean committed = false;
        try {
          h.committer().commitJob(h.jobContext());
          // A cleanup step after the publish failed: that never un-publishes (commit fault 16).
          committed = true;
        } catch (IOException e) {
          assertTrue(where + ": " + e, e.getMessage().contains("Injected fault"));
          h.ops.failOn(op, -1, Mode.THROW);
          h.committer().abortJob(h.jobContext(), JobStatus.State.FAILED);
        }
        List<TableVersion> versions = system.listVersions(table);
        long current = current();
        assertTrue(where + ": " + versions, committed ? current == 2 : current == 1 || current == 2);
        assertEquals(where, current == 1 ? "old-a" : "new-a", get("a"));
        assertFalse(where + ": the job's store is left", h.fs.exists(h.store));
      }
    }
  }
}
