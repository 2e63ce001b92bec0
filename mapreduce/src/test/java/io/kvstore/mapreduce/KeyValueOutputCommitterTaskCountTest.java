package io.kvstore.mapreduce;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskType;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Job commit publishes exactly the committed tasks: where the framework states how many tasks
 * there are (MapReduce) a missing one or one beyond them fails the job naming the setting;
 * where it states nothing (Spark's commit protocol, which sets neither
 * {@code mapreduce.job.maps} nor {@code mapreduce.job.reduces}) every committed task is published.
 */
public class KeyValueOutputCommitterTaskCountTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private int storeCounter;

  private Path newStore() {
    return new Path(new Path(tmp.getRoot().toURI()), "store-" + (++storeCounter));
  }

  /** A job as Spark's commit protocol presents it: no task count set. */
  private CommitterHarness sparkLikeJob(Path store) throws IOException {
    CommitterHarness h = new CommitterHarness(store, 1, 1);
    h.conf.unset(MRJobConfig.NUM_REDUCES);
    h.conf.unset(MRJobConfig.NUM_MAPS);
    return h;
  }

  private static TreeMap<String, String> pairs(String... keys) {
    TreeMap<String, String> m = new TreeMap<>();
    for (String k : keys) {
      m.put(k, "v" + k);
    }
    return m;
  }

  private static void writeAndCommit(CommitterHarness h, TaskAttemptContext attempt,
      String... keys) throws Exception {
    h.write(attempt, "v", keys);
    KeyValueOutputCommitter committer = h.committer();
    assertTrue("an attempt that wrote output must commit", committer.needsTaskCommit(attempt));
    committer.commitTask(attempt);
  }

  /** Spark's new API: reduce-type attempts 0..3, reduces unset (default 1). */
  @Test
  public void reduceAttemptsWithNoStatedCountArePublishedAll() throws Exception {
    CommitterHarness h = sparkLikeJob(newStore());
    h.committer().setupJob(h.jobContext());
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 0, 0), "a", "b");
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 1, 0), "c");
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 2, 0), "d", "e");
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 3, 0), "f");
    h.committer().commitJob(h.jobContext());
    assertEquals(pairs("a", "b", "c", "d", "e", "f"), h.readAll());
    assertEquals(4, StoreManifest.read(h.fs, h.store).getPartitions().size());
  }

  /** Spark's old API: map-type attempts while reduces keeps its default of 1. */
  @Test
  public void mapAttemptsWithNoStatedCountCommitAndArePublishedAll() throws Exception {
    CommitterHarness h = sparkLikeJob(newStore());
    h.committer().setupJob(h.jobContext());
    writeAndCommit(h, h.attempt(TaskType.MAP, 0, 0), "a");
    writeAndCommit(h, h.attempt(TaskType.MAP, 1, 0), "b");
    writeAndCommit(h, h.attempt(TaskType.MAP, 2, 0), "c");
    h.committer().commitJob(h.jobContext());
    assertEquals(pairs("a", "b", "c"), h.readAll());
  }

  /** Spark's old API with reduces=0: maps defaults to 2, which says nothing about 3 tasks. */
  @Test
  public void mapOnlyJobWithoutStatedMapCountPublishesEveryCommittedTask() throws Exception {
    CommitterHarness h = sparkLikeJob(newStore());
    h.conf.setInt(MRJobConfig.NUM_REDUCES, 0);
    h.committer().setupJob(h.jobContext());
    writeAndCommit(h, h.attempt(TaskType.MAP, 0, 0), "a");
    writeAndCommit(h, h.attempt(TaskType.MAP, 1, 0), "b");
    writeAndCommit(h, h.attempt(TaskType.MAP, 2, 0), "c");
    h.committer().commitJob(h.jobContext());
    assertEquals(pairs("a", "b", "c"), h.readAll());
  }

  /** A task beyond mapreduce.job.reduces committed output: the job fails and names both. */
  @Test
  public void committedTaskBeyondTheStatedReducesFailsNamingTheSetting() throws Exception {
    CommitterHarness h = new CommitterHarness(newStore(), 2, 3);
    h.committer().setupJob(h.jobContext());
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 0, 0), "a");
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 1, 0), "b");
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 2, 0), "c");
    try {
      h.committer().commitJob(h.jobContext());
      fail("a committed task outside the stated reducers must fail the job");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("_r_000002"));
      assertThat(e.getMessage(), containsString("mapreduce.job.reduces=2"));
    }
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(h.fs), h.store));
    assertFalse(h.fs.exists(new Path(h.store, StoreLayout.MANIFEST_NAME)));
  }

  /** A map task committed in a job whose output tasks are its reducers: fails loudly too. */
  @Test
  public void committedTaskOfTheOtherTypeFailsNamingTheSetting() throws Exception {
    CommitterHarness h = new CommitterHarness(newStore(), 1, 2);
    h.committer().setupJob(h.jobContext());
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 0, 0), "a");
    writeAndCommit(h, h.attempt(TaskType.MAP, 0, 0), "b");
    try {
      h.committer().commitJob(h.jobContext());
      fail("a committed map task of a job with reducers must fail the job");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("_m_000000"));
      assertThat(e.getMessage(), containsString("mapreduce.job.reduces=1"));
    }
  }

  /** Map-only MapReduce job: mapreduce.job.maps is the stated count, both ways. */
  @Test
  public void mapOnlyJobStatesItsMapsAndAMissingOneStillFails() throws Exception {
    CommitterHarness h = new CommitterHarness(newStore(), 0, 3);
    h.committer().setupJob(h.jobContext());
    writeAndCommit(h, h.attempt(TaskType.MAP, 0, 0), "a");
    writeAndCommit(h, h.attempt(TaskType.MAP, 2, 0), "c");
    try {
      h.committer().commitJob(h.jobContext());
      fail("a stated map task that never committed must fail the job");
    } catch (IOException e) {
      assertThat(e.getMessage(), containsString("1 of 3 tasks never committed"));
      assertThat(e.getMessage(), containsString("mapreduce.job.maps=3"));
    }
  }

  /**
   * A map of a job with reducers writes no kvstore output and needs no commit; an attempt that
   * opened a kvstore writer always does, whatever its type.
   */
  @Test
  public void needsTaskCommitIsTrueForEveryAttemptThatOpenedAWriter() throws Exception {
    CommitterHarness h = sparkLikeJob(newStore());
    KeyValueOutputCommitter committer = h.committer();
    committer.setupJob(h.jobContext());
    TaskAttemptContext map = h.attempt(TaskType.MAP, 0, 0);
    assertFalse(committer.needsTaskCommit(map));
    RecordWriter<BytesWritable, BytesWritable> writer = h.openWriter(map);
    writer.close(map);
    assertTrue(committer.needsTaskCommit(map));
    assertTrue(committer.needsTaskCommit(h.attempt(TaskType.REDUCE, 0, 0)));
  }

  /**
   * reduces=3 comes from a cluster's site file, so it states nothing about a Spark job that
   * committed 2 tasks: both are published, and the bucket routing the value suggests is not
   * recorded, because task indexes are not that partitioner's buckets.
   */
  @Test
  public void reducesFromASiteFileStatesNothingAndBucketRoutingIsNotRecorded() throws Exception {
    Path site = new Path(new Path(tmp.getRoot().toURI()), "test-mapred-site.xml");
    // Written as an administrator writes one: no <source> elements, unlike Configuration.writeXml.
    try (java.io.OutputStream out = FileSystem.getLocal(new Configuration()).create(site)) {
      out.write(("<configuration><property><name>" + MRJobConfig.NUM_REDUCES + "</name>"
          + "<value>3</value></property></configuration>")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    CommitterHarness h = sparkLikeJob(newStore());
    h.conf.addResource(site);
    assertEquals(3, h.conf.getInt(MRJobConfig.NUM_REDUCES, 1));
    h.committer().setupJob(h.jobContext());
    // Keys in Hadoop-hash buckets 0 and 1 of 3, written by tasks 0 and 1.
    String[] bucket0 = keysInBucket(0, 3, 3);
    String[] bucket1 = keysInBucket(1, 3, 3);
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 0, 0), bucket0);
    writeAndCommit(h, h.attempt(TaskType.REDUCE, 1, 0), bucket1);
    h.committer().commitJob(h.jobContext());
    StoreManifest published = StoreManifest.read(h.fs, h.store);
    assertFalse(published.getRouting().isByBucket());
    TreeMap<String, String> expected = pairs(bucket0);
    expected.putAll(pairs(bucket1));
    assertEquals(expected, h.readAll());
  }

  /** {@code count} sorted keys that Hadoop's HashPartitioner puts in {@code bucket} of n. */
  private static String[] keysInBucket(int bucket, int buckets, int count) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    for (int i = 0; keys.size() < count; i++) {
      String k = "k" + i;
      int b = (CommitterHarness.bytes(k).hashCode() & Integer.MAX_VALUE) % buckets;
      if (b == bucket) {
        keys.add(k);
      }
    }
    return keys.toArray(new String[0]);
  }
}
