package io.kvstore.examples;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.LocalJobRunner;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;
import org.apache.log4j.WriterAppender;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Both example tools end to end on the local job runner and the local filesystem. */
public final class ExampleJobsTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

  private Configuration conf;
  private FileSystem fs;
  private KeyValueSystem kvs;

  @Before
  public void setUp() throws IOException {
    new File("target").mkdirs();
    conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set("mapreduce.framework.name", "local");
    fs = FileSystem.getLocal(conf);
    kvs = KeyValueSystem.Factory.create(conf);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private int run(Tool tool, String... args) throws Exception {
    return ToolRunner.run(new Configuration(conf), tool, args);
  }

  private File textFile(String content) throws IOException {
    File dir = tmp.newFolder("text");
    File file = new File(dir, "input.tsv");
    Files.write(file.toPath(), utf8(content));
    return dir;
  }

  @Test
  public void buildThenCloneWithTwoReducers() throws Exception {
    File text = textFile("b\tbee\tand more\na\tant\n\nc\t\n\u00e9t\u00e9\tsummer\n");
    String store = new File(tmp.getRoot(), "store").toURI().toString();
    String copy = new File(tmp.getRoot(), "copy").toURI().toString();
    ByteArrayOutputStream summary = new ByteArrayOutputStream();

    assertEquals(0, run(new BuildStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        text.toURI().toString(), store));
    assertEquals(0, run(new CloneStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        "-D", "mapreduce.job.reduces=2", store, copy));

    String printed = summary.toString("UTF-8");
    assertTrue(printed, printed.contains("BuildStoreMapReduce: stored 4 pairs"));
    assertTrue(printed, printed.contains("1 empty lines skipped"));
    assertTrue(printed, printed.contains("CloneStoreMapReduce: copied 4 pairs"));
    assertTrue(printed, printed.contains("2 reducers"));
    for (String s : new String[] {store, copy}) {
      try (KeyValueStoreReader reader = kvs.openStore(new Path(s))) {
        assertEquals(4, reader.size());
        assertArrayEquals(utf8("ant"), reader.get(utf8("a")));
        assertArrayEquals(utf8("bee\tand more"), reader.get(utf8("b")));
        assertArrayEquals(new byte[0], reader.get(utf8("c")));
        assertArrayEquals(utf8("summer"), reader.get(utf8("\u00e9t\u00e9")));
        assertNull(reader.get(utf8("")));
      }
    }
  }

  @Test
  public void duplicateKeyFailsTheBuildAndLeavesNoStore() throws Exception {
    File text = textFile("k1\tfirst\nk2\tx\nk1\tsecond\n");
    Path store = new Path(new File(tmp.getRoot(), "dup").toURI());
    Job job = BuildStoreMapReduce.createJob(new Configuration(conf),
        new Path(text.toURI()), store);
    // The local job runner reports a task's error only in its log: capture that log.
    Logger runnerLog = Logger.getLogger(LocalJobRunner.class);
    Level level = runnerLog.getLevel();
    StringWriter log = new StringWriter();
    WriterAppender appender = new WriterAppender(new PatternLayout("%m%n"), log);
    runnerLog.addAppender(appender);
    runnerLog.setLevel(Level.WARN);
    try {
      assertFalse(job.waitForCompletion(false));
    } finally {
      runnerLog.removeAppender(appender);
      runnerLog.setLevel(level);
    }

    assertEquals(StoreLayout.State.ABSENT, StoreLayout.stateOf(FileOperations.of(fs), store));
    assertTrue(log.toString(), log.toString().contains("DuplicateKeyException: The key \"k1\""));
    assertTrue(log.toString(), log.toString().contains("\"first\""));
    assertTrue(log.toString(), log.toString().contains("\"second\""));
  }

  @Test
  public void cloneOfAPathThatIsNotAStoreFailsBeforeAnyTask() throws Exception {
    File text = textFile("a\t1\n");
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    try {
      run(new CloneStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
          text.toURI().toString(), new File(tmp.getRoot(), "out").toURI().toString());
    } catch (io.kvstore.NotAStoreException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("text"));
      return;
    }
    throw new AssertionError("clone of a plain directory succeeded");
  }

  @Test
  public void wrongArgumentCountIsAUsageError() throws Exception {
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    assertEquals(2, run(new CloneStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        "only-one"));
    assertEquals(2, run(new BuildStoreMapReduce(new PrintStream(summary, true, "UTF-8"))));
    assertEquals("", summary.toString("UTF-8"));
  }

  @Test
  public void buildPrintsItsOwnProgressAndNotHadoopsJobMonitor() throws Exception {
    File text = textFile("a\t1\nb\t2\n");
    String store = new File(tmp.getRoot(), "store").toURI().toString();
    Logger jobLog = Logger.getLogger(Job.class);
    Level level = jobLog.getLevel();
    StringWriter log = new StringWriter();
    WriterAppender appender = new WriterAppender(new PatternLayout("%m%n"), log);
    jobLog.addAppender(appender);
    // At the level bin/hadoop-jar's logging gives Hadoop's job monitor.
    java.util.Properties launcherLogging = new java.util.Properties();
    try (java.io.InputStream in = Files.newInputStream(
        new File("../bin/hadoop-jar-log4j.properties").toPath())) {
      launcherLogging.load(in);
    }
    jobLog.setLevel(Level.toLevel(launcherLogging.getProperty(
        "log4j.logger.org.apache.hadoop.mapreduce.Job", launcherLogging.getProperty(
            "log4j.rootLogger").split(",")[0].trim())));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream systemErr = System.err;
    System.setErr(new PrintStream(err, true, "UTF-8"));
    try {
      assertEquals(0, run(new BuildStoreMapReduce(new PrintStream(new ByteArrayOutputStream(),
          true, "UTF-8")), text.toURI().toString(), store));
    } finally {
      System.setErr(systemErr);
      jobLog.removeAppender(appender);
      jobLog.setLevel(level);
    }
    // Hadoop's job monitor logs the tracking URL, "map 30% reduce 0%" and counters ("Bytes
    // Written=0") through the Job logger; the driver's own lines replace them.
    assertEquals("", log.toString());
    String progress = err.toString("UTF-8");
    assertTrue(progress, progress.startsWith("BuildStoreMapReduce: running job job_local"));
    assertTrue(progress, progress.contains(" (local)\n"));
    assertTrue(progress, progress.endsWith("BuildStoreMapReduce: 100% done\n"));
  }
}
