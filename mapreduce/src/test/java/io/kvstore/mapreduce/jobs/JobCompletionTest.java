package io.kvstore.mapreduce.jobs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The one way kvstore's drivers wait for a job, with both ready-made jobs on the local job
 * runner: progress up to completion, success, and a failure for which the runner reports no
 * information.
 */
public final class JobCompletionTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

  private Configuration conf;
  private Path root;

  @Before
  public void setUp() throws Exception {
    new File("target").mkdirs();
    conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    conf.setInt("mapreduce.client.completion.pollinterval", 100);
    root = FileSystem.getLocal(conf).makeQualified(new Path(tmp.getRoot().getAbsolutePath()));
  }

  private Path text(String name, String content) throws Exception {
    File file = new File(tmp.getRoot(), name);
    Files.write(file.toPath(), content.getBytes(StandardCharsets.UTF_8));
    return new Path(root, name);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void buildThenCopyReportProgressToCompletion() throws Exception {
    Path built = new Path(root, "built");
    List<Double> seen = new ArrayList<>();
    Job build = StoreJobs.buildFromText(conf, text("in.tsv", "b\t2\na\t1\n\nc\t\n"), built);
    assertTrue(JobCompletion.waitFor(build, seen::add, 10));
    assertFalse(seen.isEmpty());
    assertEquals(1.0, seen.get(seen.size() - 1), 0);
    for (int i = 0; i < seen.size(); i++) {
      assertTrue(seen.toString(), seen.get(i) >= 0 && seen.get(i) <= 1);
      assertTrue(seen.toString(), i == 0 || seen.get(i) >= seen.get(i - 1));
    }
    assertEquals(1, build.getCounters().findCounter(TabSeparatedLineMapper.Lines.EMPTY)
        .getValue());

    Path copy = new Path(root, "copy");
    Job clone = StoreJobs.copy(conf, built, copy);
    assertTrue(JobCompletion.waitFor(clone, false));
    assertEquals(3, clone.getCounters().findCounter(TaskCounter.REDUCE_OUTPUT_RECORDS)
        .getValue());
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(copy)) {
      assertArrayEquals(utf8("1"), reader.get(utf8("a")));
      assertArrayEquals(utf8("2"), reader.get(utf8("b")));
      assertArrayEquals(new byte[0], reader.get(utf8("c")));
      assertNull(reader.get(utf8("d")));
    }
  }

  @Test
  public void localRunnerFailureHasNoFailureInfo() throws Exception {
    Logger runner = Logger.getLogger("org.apache.hadoop.mapred.LocalJobRunner");
    Level level = runner.getLevel();
    // The runner logs the task's DuplicateKeyException at WARN: expected here, so kept quiet.
    runner.setLevel(Level.OFF);
    try {
      Job build = StoreJobs.buildFromText(conf, text("dup.tsv", "k\t1\nk\t2\n"),
          new Path(root, "dup"));
      List<Double> seen = new ArrayList<>();
      assertFalse(JobCompletion.waitFor(build, seen::add, 10));
      // The reduce task failed: the last figure shows where the job stopped, short of done.
      assertTrue(seen.toString(), seen.get(seen.size() - 1) < 1);
      assertEquals("NA", build.getStatus().getFailureInfo());
      assertNull(JobCompletion.failureInfo(build));
    } finally {
      runner.setLevel(level);
    }
  }
}
