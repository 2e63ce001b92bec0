package io.kvstore.mapreduce;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import io.kvstore.format.StoreLayout;
import io.kvstore.mapreduce.FaultInjectingFileOperations.Op;
import io.kvstore.commit.CommitLayout;
import io.kvstore.mapreduce.commit.TaskOutputWriter;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Attempts that outlive their job (Spark calls abortJob without waiting for running attempts; a
 * speculative copy can outlive a job commit) never recreate what the job's end deleted. Each
 * race is made deterministic: the job ends exactly between an attempt's decision to create and
 * its create reaching the filesystem.
 */
public class KeyValueOutputCommitterLateAttemptTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path parent() {
    return new Path(new Path(tmp.getRoot().toURI()), "parent");
  }

  private static TaskOutputWriter open(CommitterHarness h, TaskAttemptContext attempt)
      throws IOException {
    return TaskOutputWriter.open(h.ops, new CommitLayout(h.fs.makeQualified(h.store), h.jobId.toString()),
        attempt.getTaskAttemptID(), attempt.getConfiguration());
  }

  /** abortJob lands between the attempt's check of the staging directory and its mkdir. */
  @Test
  public void attemptOpeningAsTheJobAbortsDoesNotResurrectTheStore() throws Exception {
    CommitterHarness h = new CommitterHarness(new Path(parent(), "store"), 2, 2);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a");
    h.ops.beforeCall(Op.MKDIRS, 1,
        () -> committer.abortJob(h.jobContext(), JobStatus.State.FAILED));
    try {
      open(h, h.attempt(1, 0));
      fail("an attempt of an aborted job cannot open a writer");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("no staging directory"));
    }
    assertEquals(Arrays.asList(), h.list(parent()));
    // The path is free for the next job.
    CommitterHarness rerun = new CommitterHarness(h.store, 1, 1);
    rerun.committer().setupJob(rerun.jobContext());
    rerun.writeAndCommit(0, 0, "w", "b");
    rerun.committer().commitJob(rerun.jobContext());
    TreeMap<String, String> expected = new TreeMap<>();
    expected.put("b", "wb");
    assertEquals(expected, rerun.readAll());
  }

  /** abortJob lands between an open writer's decision to start a partition file and its create. */
  @Test
  public void writerCreatingAPartitionAsTheJobAbortsDoesNotResurrectTheStore() throws Exception {
    CommitterHarness h = new CommitterHarness(new Path(parent(), "store"), 1, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    TaskOutputWriter writer = open(h, h.attempt(0, 0));
    h.ops.beforeCall(Op.CREATE, 1,
        () -> committer.abortJob(h.jobContext(), JobStatus.State.KILLED));
    try {
      writer.write(CommitterHarness.bytes("a"), CommitterHarness.bytes("v"));
      fail("a writer of an aborted job cannot create a partition file");
    } catch (java.io.FileNotFoundException e) {
      assertThat(e.getMessage(), containsString("is gone"));
    }
    assertEquals(Arrays.asList(), h.list(parent()));
  }

  /**
   * A speculative attempt opens its writer while job commit's cleanup removes the staging
   * directory: the published store keeps no staging litter.
   */
  @Test
  public void lateSpeculativeAttemptLeavesNothingInThePublishedStore() throws Exception {
    CommitterHarness h = new CommitterHarness(new Path(parent(), "store"), 1, 1);
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a", "b");
    h.ops.beforeCall(Op.MKDIRS, 1, () -> committer.commitJob(h.jobContext()));
    try {
      open(h, h.attempt(0, 1));
      fail("an attempt of a committed job cannot open a writer");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("no staging directory"));
    }
    assertEquals(Arrays.asList("_SUCCESS", StoreLayout.MANIFEST_NAME, "part-r-00000-000.kvp"),
        h.list(h.store));
  }
}
