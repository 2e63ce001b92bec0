package io.kvstore.mapreduce;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.CorruptStoreException;
import io.kvstore.IncompleteStoreException;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionScanner;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.FaultInjectingFileOperations.Mode;
import io.kvstore.mapreduce.FaultInjectingFileOperations.Op;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.CommitStatistics;
import io.kvstore.mapreduce.commit.CommitTaskStage.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * One test per fault case of ../shared/commit-faults.md (numbered as there), driving the
 * committer directly with hand-made job and task attempt contexts on the local filesystem.
 */
public class KeyValueOutputCommitterFaultTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private int storeCounter;

  private Path newStore() throws IOException {
    return new Path(new Path(tmp.getRoot().toURI()), "store-" + (++storeCounter));
  }

  /** Three reducers, committed, job not yet committed. */
  private CommitterHarness threeCommittedTasks(Path store) throws Exception {
    CommitterHarness h = new CommitterHarness(store, 3, 4);
    h.committer().setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a", "b", "c");
    h.writeAndCommit(1, 0, "v", "d", "e");
    h.writeAndCommit(2, 0, "v", "f");
    return h;
  }

  private static TreeMap<String, String> pairs(String valuePrefix, String... keys) {
    TreeMap<String, String> m = new TreeMap<>();
    for (String k : keys) {
      m.put(k, valuePrefix + k);
    }
    return m;
  }

  private Path committedManifest(CommitterHarness h, TaskAttemptContext attempt) {
    return new CommitLayout(h.fs.makeQualified(h.store), h.jobId.toString())
        .taskManifest(attempt.getTaskAttemptID().getTaskID().toString());
  }

  private Path attemptDir(CommitterHarness h, TaskAttemptContext attempt) {
    return h.committer().getWorkPath(attempt);
  }

  // 1
  @Test
  public void case01HappyPathPublishesExactlyTheCommittedPartitions() throws Exception {
    Path store = newStore();
    CommitterHarness h = threeCommittedTasks(store);
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(h.fs), store));
    try {
      KeyValueSystem.Factory.create(h.conf).openStore(store).close();
      fail("a store must not be readable before commitJob");
    } catch (IncompleteStoreException expected) {
      // the marker without a manifest
    }

    h.committer().commitJob(h.jobContext());

    StoreManifest manifest = StoreManifest.read(h.fs, store);
    List<String> names = new ArrayList<>();
    for (PartitionInfo p : manifest.getPartitions()) {
      names.add(p.getFileName());
      Path file = new Path(store, p.getFileName());
      byte[] bytes = new byte[(int) h.fs.getFileStatus(file).getLen()];
      try (org.apache.hadoop.fs.FSDataInputStream in = h.fs.open(file)) {
        in.readFully(0, bytes);
      }
      assertEquals(p.getSizeBytes(), bytes.length);
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      assertEquals(p.getFileName(), p.getChecksum(), (int) crc.getValue());
      long count = 0;
      byte[] first = null;
      byte[] last = null;
      try (PartitionScanner scanner = PartitionScanner.open(FileOperations.of(h.fs), file, h.conf)) {
        while (scanner.next()) {
          count++;
          last = scanner.copyKey();
          if (first == null) {
            first = last;
          }
        }
      }
      assertEquals(p.getKeyCount(), count);
      assertArrayEquals(p.getFirstKey(), first);
      assertArrayEquals(p.getLastKey(), last);
    }
    assertEquals(Arrays.asList("part-r-00000-000.kvp", "part-r-00001-000.kvp",
        "part-r-00002-000.kvp"), names);
    assertEquals(Arrays.asList("_SUCCESS", "_kvstore_manifest", "part-r-00000-000.kvp",
        "part-r-00001-000.kvp", "part-r-00002-000.kvp"), h.list(store));
    assertEquals(pairs("v", "a", "b", "c", "d", "e", "f"), h.readAll());
    assertEquals(h.jobId.toString(), manifest.getProperties().get("kvstore.job.id"));
    // Part of what the manifest records: the same whether the job ran on the old or new API.
    assertEquals("io.kvstore.mapreduce.KeyValueOutputCommitter",
        manifest.getProperties().get("kvstore.committer"));
  }

  // 2
  @Test
  public void case02TaskRetryPublishesOnlyTheRetriedAttempt() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 2, 2);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    // Attempt 0 of task 0 writes, then dies without committing (and without an abortTask).
    TaskAttemptContext failed = h.attempt(0, 0);
    h.write(failed, "old-", "a", "b", "x");
    Path failedDir = attemptDir(h, failed);
    assertTrue(h.fs.exists(failedDir));
    h.writeAndCommit(0, 1, "new-", "a", "b");
    h.writeAndCommit(1, 0, "new-", "c");

    committer.commitJob(h.jobContext());

    assertEquals(pairs("new-", "a", "b", "c"), h.readAll());
    assertFalse("attempt 0's files must be gone after job commit", h.fs.exists(failedDir));
    assertEquals(Arrays.asList("_SUCCESS", "_kvstore_manifest", "part-r-00000-000.kvp",
        "part-r-00001-000.kvp"), h.list(store));
  }

  // 3
  @Test
  public void case03TwoAttemptsBothCommitAndTheFirstCommitWins() throws Exception {
    for (int winner : new int[] {0, 1}) {
      Path store = newStore();
      CommitterHarness h = new CommitterHarness(store, 1, 1);
      KeyValueOutputCommitter committer = h.committer();
      committer.setupJob(h.jobContext());
      TaskAttemptContext original = h.attempt(0, 0);
      TaskAttemptContext speculative = h.attempt(0, 1);
      h.write(original, "original-", "a", "b");
      h.write(speculative, "speculative-", "a", "b", "c");
      TaskAttemptContext first = winner == 0 ? original : speculative;
      TaskAttemptContext second = winner == 0 ? speculative : original;

      assertEquals(Outcome.COMMITTED, committer.commitTaskWithOutcome(first));
      assertEquals(Outcome.DISCARDED, committer.commitTaskWithOutcome(second));
      assertFalse("the loser's files are deleted at once", h.fs.exists(attemptDir(h, second)));
      committer.commitJob(h.jobContext());

      TreeMap<String, String> expected = winner == 0 ? pairs("original-", "a", "b")
          : pairs("speculative-", "a", "b", "c");
      assertEquals(expected, h.readAll());
      assertEquals(Arrays.asList("_SUCCESS", "_kvstore_manifest", "part-r-00000-000.kvp"),
          h.list(store));
    }
  }

  // 3 (the two commits race: the other attempt renames between this one's check and rename)
  @Test
  public void case03TwoAttemptsRacingToCommitStillHaveOneWinner() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 1, 1);
    h.committer().setupJob(h.jobContext());
    TaskAttemptContext slow = h.attempt(0, 0);
    TaskAttemptContext fast = h.attempt(0, 1);
    h.write(slow, "slow-", "a");
    h.write(fast, "fast-", "a", "b");
    KeyValueOutputCommitter other = new KeyValueOutputCommitter(store,
        io.kvstore.fs.FileOperations.of(h.fs));
    h.ops.beforeCall(Op.RENAME, 1, () -> assertEquals(Outcome.COMMITTED,
        other.commitTaskWithOutcome(fast)));

    assertEquals(Outcome.DISCARDED, h.committer().commitTaskWithOutcome(slow));
    assertEquals(Arrays.asList(committedManifest(h, fast).getName()),
        h.list(committedManifest(h, fast).getParent()));
    h.committer().commitJob(h.jobContext());
    assertEquals(pairs("fast-", "a", "b"), h.readAll());
  }

  // 4
  @Test
  public void case04ZombieAttemptWritingAfterAbortNeverReachesTheStore() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 1, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    TaskAttemptContext winner = h.attempt(0, 0);
    TaskAttemptContext zombie = h.attempt(0, 1);
    RecordWriter<BytesWritable, BytesWritable> zombieWriter = h.openWriter(zombie);
    zombieWriter.write(CommitterHarness.bytes("z1"), CommitterHarness.bytes("zombie"));
    h.write(winner, "v", "a", "b");
    committer.commitTask(winner);
    committer.abortTask(zombie);
    // The zombie keeps going after its abort, and even tries to commit.
    zombieWriter.write(CommitterHarness.bytes("z2"), CommitterHarness.bytes("zombie"));
    try {
      zombieWriter.close(zombie);
      fail("a writer whose attempt directory was deleted cannot record its files");
    } catch (java.io.FileNotFoundException e) {
      assertThat(e.getMessage(), containsString("aborted"));
    }
    assertFalse("the zombie must not recreate its directory", h.fs.exists(attemptDir(h, zombie)));
    assertEquals(Outcome.DISCARDED, committer.commitTaskWithOutcome(zombie));
    // A stray partition file appears in the winner's directory after its commit.
    Path stray = new Path(attemptDir(h, winner), "part-r-00000-001.kvp");
    h.fs.copyToLocalFile(false, new Path(attemptDir(h, winner), "part-r-00000-000.kvp"), stray,
        true);

    committer.commitJob(h.jobContext());

    StoreManifest manifest = StoreManifest.read(h.fs, store);
    assertEquals(1, manifest.getPartitions().size());
    assertEquals("part-r-00000-000.kvp", manifest.getPartitions().get(0).getFileName());
    assertEquals(pairs("v", "a", "b"), h.readAll());
    assertEquals(Arrays.asList("_SUCCESS", "_kvstore_manifest", "part-r-00000-000.kvp"),
        h.list(store));
  }

  // 5
  @Test
  public void case05CommitTaskTwiceForOneAttemptIsANoOp() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 1, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    TaskAttemptContext attempt = h.attempt(0, 0);
    h.write(attempt, "v", "a", "b");
    assertEquals(Outcome.COMMITTED, committer.commitTaskWithOutcome(attempt));
    byte[] before = readBytes(h, committedManifest(h, attempt));
    assertEquals(Outcome.ALREADY_COMMITTED, committer.commitTaskWithOutcome(attempt));
    assertArrayEquals(before, readBytes(h, committedManifest(h, attempt)));
    committer.commitJob(h.jobContext());
    assertEquals(pairs("v", "a", "b"), h.readAll());
  }

  // 5
  @Test
  public void case05CommitTaskWithNoOutputDirectoryCommitsAnEmptyTask() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 2, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a");
    TaskAttemptContext empty = h.attempt(1, 0);
    assertFalse(h.fs.exists(attemptDir(h, empty)));
    assertTrue(committer.needsTaskCommit(empty));
    assertEquals(Outcome.COMMITTED, committer.commitTaskWithOutcome(empty));
    committer.commitJob(h.jobContext());
    assertEquals(pairs("v", "a"), h.readAll());
    assertEquals("1", StoreManifest.read(h.fs, store).getProperties()
        .get(CommitStatistics.PREFIX + "tasks.empty"));
  }

  // 6
  @Test
  public void case06TaskWithNoRecordsCommitsCleanly() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 2, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v");
    h.writeAndCommit(1, 0, "v");
    committer.commitJob(h.jobContext());
    StoreManifest manifest = StoreManifest.read(h.fs, store);
    assertEquals(0, manifest.getPartitions().size());
    assertEquals("2", manifest.getProperties().get(CommitStatistics.PREFIX + "tasks.empty"));
    assertEquals(new TreeMap<String, String>(), h.readAll());
    assertEquals(Arrays.asList("_SUCCESS", "_kvstore_manifest"), h.list(store));
  }

  // 7
  @Test
  public void case07CommitJobWithATaskNeverCommittedPublishesNothing() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 3, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a");
    h.writeAndCommit(1, 0, "v", "b");
    h.write(h.attempt(2, 0), "v", "c");
    try {
      committer.commitJob(h.jobContext());
      fail("a job with an uncommitted task must not commit");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("r_000002"));
      assertThat(e.getMessage(), containsString("never committed"));
    }
    assertFalse(h.fs.exists(new Path(store, StoreLayout.MANIFEST_NAME)));
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(h.fs), store));
    committer.abortJob(h.jobContext(), JobStatus.State.FAILED);
    assertFalse(h.fs.exists(store));
  }

  // 8
  @Test
  public void case08RenameFailingAtEachStepOfJobCommitPublishesNothing() throws Exception {
    // Three partition moves and the manifest's rename: fail each one, both ways.
    for (Mode mode : Mode.values()) {
      for (int n = 1; n <= 4; n++) {
        Path store = newStore();
        CommitterHarness h = threeCommittedTasks(store);
        h.ops.failOn(Op.RENAME, n, mode);
        try {
          h.committer().commitJob(h.jobContext());
          fail("commitJob must fail when rename #" + n + " fails (" + mode + ")");
        } catch (IOException e) {
          assertEquals(1, h.ops.injected());
        }
        assertFalse("no manifest after rename #" + n + " failed (" + mode + ")",
            h.fs.exists(new Path(store, StoreLayout.MANIFEST_NAME)));
        assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(h.fs), store));
        h.ops.failOn(Op.RENAME, -1, Mode.THROW);
        h.committer().abortJob(h.jobContext(), JobStatus.State.FAILED);
        assertFalse(h.fs.exists(store));
      }
    }
  }

  // 8
  @Test
  public void case08MkdirsFailingDuringSetupFailsTheJobAndAbortCleansUp() throws Exception {
    // setupJob calls mkdirs for the store, the attempts' parent and the task manifests' parent.
    for (Mode mode : Mode.values()) {
      for (int n = 1; n <= 3; n++) {
        Path store = newStore();
        CommitterHarness h = new CommitterHarness(store, 1, 1);
        h.ops.failOn(Op.MKDIRS, n, mode);
        try {
          h.committer().setupJob(h.jobContext());
          fail("setupJob must fail when mkdirs #" + n + " fails (" + mode + ")");
        } catch (IOException e) {
          assertEquals(1, h.ops.injected());
        }
        h.committer().abortJob(h.jobContext(), JobStatus.State.FAILED);
        assertFalse(h.fs.exists(store));
      }
    }
  }

  // 8
  @Test
  public void case08RenameFailingDuringTaskCommitLeavesTheTaskUncommitted() throws Exception {
    for (Mode mode : Mode.values()) {
      Path store = newStore();
      CommitterHarness h = new CommitterHarness(store, 1, 1);
      KeyValueOutputCommitter committer = h.committer();
      committer.setupJob(h.jobContext());
      TaskAttemptContext attempt = h.attempt(0, 0);
      h.write(attempt, "v", "a");
      h.ops.failOn(Op.RENAME, 1, mode);
      try {
        committer.commitTask(attempt);
        fail("commitTask must fail when its rename fails (" + mode + ")");
      } catch (IOException e) {
        assertEquals(1, h.ops.injected());
      }
      assertFalse(h.fs.exists(committedManifest(h, attempt)));
      assertEquals(Arrays.asList(), h.list(committedManifest(h, attempt).getParent()));
      // The framework retries the commit (or the task); now it goes through.
      assertEquals(Outcome.COMMITTED, committer.commitTaskWithOutcome(attempt));
      committer.commitJob(h.jobContext());
      assertEquals(pairs("v", "a"), h.readAll());
    }
  }

  // 9
  @Test
  public void case09SecondCommitJobFailsAndTheStoreIsUnchanged() throws Exception {
    Path store = newStore();
    CommitterHarness h = threeCommittedTasks(store);
    h.committer().commitJob(h.jobContext());
    byte[] manifest = readBytes(h, new Path(store, StoreLayout.MANIFEST_NAME));
    try {
      h.committer().commitJob(h.jobContext());
      fail("a store is write-once");
    } catch (FileAlreadyExistsException e) {
      assertThat(e.getMessage(), containsString("write-once"));
    }
    assertArrayEquals(manifest, readBytes(h, new Path(store, StoreLayout.MANIFEST_NAME)));
    assertEquals(pairs("v", "a", "b", "c", "d", "e", "f"), h.readAll());
  }

  // 10
  @Test
  @SuppressWarnings("deprecation") // isRecoverySupported() is declared, so it is tested
  public void case10ApplicationMasterRestartRecoversCommittedTasks() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 3, 1);
    KeyValueOutputCommitter first = h.committer();
    assertTrue(first.isRecoverySupported());
    assertTrue(first.isRecoverySupported(h.jobContext()));
    first.setupJob(h.jobContext());
    TaskAttemptContext committed0 = h.attempt(0, 0);
    TaskAttemptContext committed1 = h.attempt(1, 0);
    h.write(committed0, "v", "a");
    first.commitTask(committed0);
    h.write(committed1, "v", "b");
    first.commitTask(committed1);
    h.write(h.attempt(2, 0), "lost-", "c"); // running when the first AM died

    // Application attempt 2: a new committer from the output format, same job id.
    h.conf.setInt(MRJobConfig.APPLICATION_ATTEMPT_ID, 1);
    KeyValueOutputCommitter second = new KeyValueOutputFormat<BytesWritable, BytesWritable>()
        .getOutputCommitter(h.attempt(0, 0));
    second.setupJob(h.jobContext());
    second.recoverTask(committed0);
    second.recoverTask(committed1);
    try {
      second.recoverTask(h.attempt(2, 0));
      fail("a task that never committed cannot be recovered");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("must run again"));
    }
    TaskAttemptContext rerun = h.attempt(2, 1000);
    h.write(rerun, "v", "c");
    second.commitTask(rerun);
    second.commitJob(h.jobContext());
    assertEquals(pairs("v", "a", "b", "c"), h.readAll());
  }

  // 11
  @Test
  public void case11AbortTaskFromAnotherProcessWithAReflectedCommitter() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 2, 1);
    h.committer().setupJob(h.jobContext());
    TaskAttemptContext attempt = h.attempt(0, 0);
    TaskAttemptContext oldApiAttempt = h.attempt(1, 0);
    h.write(attempt, "v", "a");
    h.write(oldApiAttempt, "v", "b");
    assertTrue(h.fs.exists(attemptDir(h, attempt)));

    // Another process: only the job configuration and the attempt id travel.
    Configuration remote = new Configuration(false);
    remote.addResource(writeConf(h.conf));
    String id = attempt.getTaskAttemptID().toString();
    TaskAttemptContext remoteContext = new TaskAttemptContextImpl(remote, TaskAttemptID.forName(id));
    @SuppressWarnings("unchecked")
    KeyValueOutputFormat<BytesWritable, BytesWritable> format =
        ReflectionUtils.newInstance(KeyValueOutputFormat.class, remote);
    format.getOutputCommitter(remoteContext).abortTask(remoteContext);
    assertFalse(h.fs.exists(attemptDir(h, attempt)));

    // The same through the old API, as the MR application master does for JobConf jobs.
    JobConf jobConf = new JobConf(remote);
    org.apache.hadoop.mapred.OutputCommitter oldCommitter = ReflectionUtils.newInstance(
        io.kvstore.mapred.KeyValueOutputCommitter.class, jobConf);
    oldCommitter.abortTask(new org.apache.hadoop.mapred.TaskAttemptContextImpl(jobConf,
        org.apache.hadoop.mapred.TaskAttemptID.forName(
            oldApiAttempt.getTaskAttemptID().toString())));
    assertFalse(h.fs.exists(attemptDir(h, oldApiAttempt)));
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(h.fs), store));
  }

  // 11 (HADOOP-17258: a commit that completed but was never reported, then aborted)
  @Test
  public void case11AbortTaskOfACommittedAttemptWithdrawsItsCommit() throws Exception {
    Path store = newStore();
    CommitterHarness h = new CommitterHarness(store, 1, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    TaskAttemptContext unreported = h.attempt(0, 0);
    h.write(unreported, "old-", "a");
    committer.commitTask(unreported);
    committer.abortTask(unreported);
    assertFalse(h.fs.exists(committedManifest(h, unreported)));
    TaskAttemptContext retry = h.attempt(0, 1);
    h.write(retry, "new-", "a");
    assertEquals(Outcome.COMMITTED, committer.commitTaskWithOutcome(retry));
    committer.commitJob(h.jobContext());
    assertEquals(pairs("new-", "a"), h.readAll());
  }

  // 12
  @Test
  public void case12AbortJobAfterSomeTasksCommittedLeavesNothing() throws Exception {
    Path parent = new Path(new Path(tmp.getRoot().toURI()), "parent");
    Path store = new Path(parent, "store");
    CommitterHarness h = new CommitterHarness(store, 3, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a");
    h.writeAndCommit(1, 0, "v", "b");
    TaskAttemptContext zombie = h.attempt(2, 0);
    RecordWriter<BytesWritable, BytesWritable> zombieWriter = h.openWriter(zombie);
    zombieWriter.write(CommitterHarness.bytes("c"), CommitterHarness.bytes("v"));

    committer.abortJob(h.jobContext(), JobStatus.State.FAILED);
    assertFalse(h.fs.exists(store));
    assertEquals(Arrays.asList(), h.list(parent));
    // An attempt still running after the abort neither recreates the store nor commits.
    try {
      zombieWriter.close(zombie);
      fail("a writer of an aborted job cannot record its files");
    } catch (java.io.FileNotFoundException expected) {
      // its directory is gone
    }
    try {
      committer.commitTask(zombie);
      fail("an attempt of an aborted job cannot commit");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("does not own"));
    }
    assertFalse(h.fs.exists(store));
    committer.abortJob(h.jobContext(), JobStatus.State.KILLED);
    assertFalse(h.fs.exists(store));
    try {
      committer.commitJob(h.jobContext());
      fail("an aborted job cannot commit");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("does not own"));
    }
    assertFalse(h.fs.exists(store));
  }

  // 13
  @Test
  public void case13SetupJobOntoAnExistingStoreIsRefused() throws Exception {
    Path store = newStore();
    Configuration conf = new Configuration();
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(store)) {
      w.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
    }
    CommitterHarness h = new CommitterHarness(store, 1, 1);
    try {
      h.committer().setupJob(h.jobContext());
      fail("setupJob onto a complete store must be refused");
    } catch (FileAlreadyExistsException e) {
      assertThat(e.getMessage(), containsString("already holds a complete key-value store"));
    }
    // Even the refused job's abort leaves the existing store alone.
    h.committer().abortJob(h.jobContext(), JobStatus.State.FAILED);
    assertEquals(pairs("", "k").keySet(), h.readAll().keySet());

    // An incomplete store of another job, a file, a non-empty and an empty directory.
    CommitterHarness owner = new CommitterHarness(newStore(), 1, 1);
    owner.committer().setupJob(owner.jobContext());
    Path file = newStore();
    h.fs.create(file).close();
    Path full = newStore();
    h.fs.create(new Path(full, "data.txt")).close();
    Path empty = newStore();
    h.fs.mkdirs(empty);
    String[][] cases = {
        {owner.store.toString(), "incomplete key-value store"},
        {file.toString(), "is not a key-value store (it is a file of 0 bytes)"},
        {full.toString(), "is not a key-value store (it is a directory of 1 entries"},
        {empty.toString(), "is not a key-value store (it is an empty directory)"}};
    for (String[] c : cases) {
      CommitterHarness refused = new CommitterHarness(new Path(c[0]), 1, 1);
      try {
        refused.committer().setupJob(refused.jobContext());
        fail("setupJob onto " + c[0] + " must be refused");
      } catch (FileAlreadyExistsException e) {
        assertThat(e.getMessage(), containsString(c[1]));
      }
      refused.committer().abortJob(refused.jobContext(), JobStatus.State.FAILED);
      assertTrue(refused.fs.exists(new Path(c[0])));
    }
    assertEquals(owner.jobId.toString(), readString(h, new Path(owner.store,
        StoreLayout.INCOMPLETE_MARKER_NAME)));
  }

  // 14
  @Test
  public void case14SiblingJobsNeverTouchEachOthersFiles() throws Exception {
    Path parent = new Path(new Path(tmp.getRoot().toURI()), "siblings");
    CommitterHarness a = new CommitterHarness(new Path(parent, "a"), 2, 1);
    CommitterHarness b = new CommitterHarness(new Path(parent, "b"), 2, 1);
    a.committer().setupJob(a.jobContext());
    b.committer().setupJob(b.jobContext());
    a.writeAndCommit(0, 0, "a-", "k1");
    b.writeAndCommit(0, 0, "b-", "k1");
    a.writeAndCommit(1, 0, "a-", "k2");
    b.writeAndCommit(1, 0, "b-", "k2");

    a.committer().abortJob(a.jobContext(), JobStatus.State.FAILED);
    b.committer().commitJob(b.jobContext());
    assertFalse(a.fs.exists(a.store));
    assertEquals(pairs("b-", "k1", "k2"), b.readAll());

    // A third job aimed at b's store is refused, and its abort and cleanup leave b alone.
    CommitterHarness c = new CommitterHarness(b.store, 2, 1);
    try {
      c.committer().setupJob(c.jobContext());
      fail("a second job on a store must be refused");
    } catch (FileAlreadyExistsException expected) {
      // refused before any task
    }
    c.committer().abortTask(c.attempt(0, 0));
    c.committer().abortJob(c.jobContext(), JobStatus.State.FAILED);
    assertEquals(pairs("b-", "k1", "k2"), b.readAll());
    assertEquals(Arrays.asList("b"), b.list(parent));
  }

  // 15
  @Test
  public void case15CorruptOrForeignManifestGivesAClearErrorOnOpen() throws Exception {
    byte[][] damages = {
        "this is not a kvstore manifest, just some text".getBytes(StandardCharsets.UTF_8),
        new byte[0],
        null}; // null: the real manifest truncated by one byte
    for (byte[] damage : damages) {
      Path store = newStore();
      CommitterHarness h = threeCommittedTasks(store);
      h.committer().commitJob(h.jobContext());
      Path manifest = new Path(store, StoreLayout.MANIFEST_NAME);
      byte[] bytes = damage != null ? damage
          : Arrays.copyOf(readBytes(h, manifest), readBytes(h, manifest).length - 1);
      try (FSDataOutputStream out = h.fs.create(manifest, true)) {
        out.write(bytes);
      }
      try {
        KeyValueSystem.Factory.create(h.conf).openStore(store).close();
        fail("a damaged manifest must not open");
      } catch (CorruptStoreException e) {
        assertThat(e.getMessage(), containsString(StoreLayout.MANIFEST_NAME));
      }
    }
  }

  // 15 (the committer's own records)
  @Test
  public void case15CorruptTaskManifestFailsJobCommitClearly() throws Exception {
    Path store = newStore();
    CommitterHarness h = threeCommittedTasks(store);
    Path taskManifest = committedManifest(h, h.attempt(1, 0));
    byte[] bytes = readBytes(h, taskManifest);
    bytes[bytes.length / 2] ^= 0x55;
    try (FSDataOutputStream out = h.fs.create(taskManifest, true)) {
      out.write(bytes);
    }
    try {
      h.committer().commitJob(h.jobContext());
      fail("a damaged task manifest must fail the job commit");
    } catch (CorruptStoreException e) {
      assertThat(e.getMessage(), containsString(taskManifest.getName()));
      assertThat(e.getMessage(), containsString("checksum"));
    }
    assertFalse(h.fs.exists(new Path(store, StoreLayout.MANIFEST_NAME)));
  }

  // 16
  @Test
  public void case16CleanupFailingAfterPublishNeverUnpublishes() throws Exception {
    for (Mode mode : Mode.values()) {
      Path store = newStore();
      CommitterHarness h = threeCommittedTasks(store);
      h.ops.failOn(Op.DELETE, 0, mode);
      h.committer().commitJob(h.jobContext());
      assertTrue("cleanup deletes were attempted", h.ops.injected() > 0);
      assertEquals(StoreLayout.State.COMPLETE, StoreLayout.stateOf(FileOperations.of(h.fs), store));
      assertEquals(pairs("v", "a", "b", "c", "d", "e", "f"), h.readAll());
      // If the framework then aborts the job, the published store still stays.
      h.ops.failOn(Op.DELETE, -1, Mode.THROW);
      h.committer().abortJob(h.jobContext(), JobStatus.State.FAILED);
      assertEquals(pairs("v", "a", "b", "c", "d", "e", "f"), h.readAll());
      assertFalse(h.list(store).toString(),
          h.list(store).stream().anyMatch(n -> n.startsWith(StoreLayout.TEMP_PREFIX)));
    }
    // _SUCCESS failing to be written (the second create of the commit) does not either.
    Path store = newStore();
    CommitterHarness h = threeCommittedTasks(store);
    h.ops.failOn(Op.CREATE, 2, Mode.THROW);
    h.committer().commitJob(h.jobContext());
    assertEquals(1, h.ops.injected());
    assertFalse(h.fs.exists(new Path(store, CommitLayout.SUCCESS_NAME)));
    assertEquals(pairs("v", "a", "b", "c", "d", "e", "f"), h.readAll());
  }

  // 17
  @Test
  public void case17ProgressIsReportedAndStatisticsAreRecorded() throws Exception {
    Path store = newStore();
    Configuration base = new Configuration();
    io.kvstore.KeyValueConf.PARTITION_SIZE_MAX.setLong(base, 4096);
    CommitterHarness h = new CommitterHarness(store, 3, 1, base);
    h.committer().setupJob(h.jobContext());
    int keysPerTask = 300;
    for (int t = 0; t < 3; t++) {
      String[] keys = new String[keysPerTask];
      for (int i = 0; i < keysPerTask; i++) {
        keys[i] = String.format("t%d-key-%06d", t, i);
      }
      h.writeAndCommit(t, 0, "a value long enough to fill a few small partitions ", keys);
    }
    h.progressCalls.set(0);
    h.committer().commitJob(h.jobContext());

    StoreManifest manifest = StoreManifest.read(h.fs, store);
    int files = manifest.getPartitions().size();
    assertTrue("the small partition size rolls files: " + files, files > 6);
    assertTrue("progress per task and per file: " + h.progressCalls.get(),
        h.progressCalls.get() >= files + 3);
    Map<String, String> p = manifest.getProperties();
    long bytes = 0;
    for (PartitionInfo info : manifest.getPartitions()) {
      bytes += h.fs.getFileStatus(new Path(store, info.getFileName())).getLen();
    }
    assertEquals("3", p.get(CommitStatistics.PREFIX + "tasks"));
    assertEquals(Integer.toString(files), p.get(CommitStatistics.PREFIX + "partitions"));
    assertEquals(Integer.toString(3 * keysPerTask), p.get(CommitStatistics.PREFIX + "keys"));
    assertEquals(Long.toString(bytes), p.get(CommitStatistics.PREFIX + "bytes"));
    for (String timing : new String[] {"load.millis", "check.millis", "move.millis"}) {
      assertTrue(timing, Long.parseLong(p.get(CommitStatistics.PREFIX + timing)) >= 0);
    }
    assertEquals(3 * keysPerTask, h.readAll().size());
  }

  private static byte[] readBytes(CommitterHarness h, Path file) throws IOException {
    byte[] bytes = new byte[(int) h.fs.getFileStatus(file).getLen()];
    try (org.apache.hadoop.fs.FSDataInputStream in = h.fs.open(file)) {
      in.readFully(0, bytes);
    }
    return bytes;
  }

  private static String readString(CommitterHarness h, Path file) throws IOException {
    return new String(readBytes(h, file), StandardCharsets.UTF_8);
  }

  private Path writeConf(Configuration conf) throws IOException {
    java.io.File file = tmp.newFile();
    try (java.io.OutputStream out = new java.io.FileOutputStream(file)) {
      conf.writeXml(out);
    }
    return new Path(file.toURI());
  }
}
