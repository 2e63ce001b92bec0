package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code clone}, {@code build} and {@code runKVTest}: MapReduce jobs in the local job runner. */
public class JobCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;
  private String hadoopTmp;

  @Before
  public void setUp() throws Exception {
    cli = new CliFixture(folder);
    hadoopTmp = "hadoop.tmp.dir=" + folder.newFolder("hadoop-tmp").getPath();
  }

  @Test
  public void cloneCopiesEveryPair() throws Exception {
    String in = cli.store("in", 500);
    CliResult r = cli.run("-D", hadoopTmp, "clone", in, cli.path("out"));
    assertOk(r);
    assertEquals("cloned file:" + in + " to file:" + cli.path("out") + ": 500 pairs, 1 partition, ",
        r.out.substring(0, r.out.lastIndexOf(", ") + 2));
    assertEquals("same: 500 pairs\n", cli.run("compare", in, cli.path("out")).out);
  }

  @Test
  public void cloneWithReducersFromGenericOptions() throws Exception {
    String in = cli.store("in", 500);
    assertOk(cli.run("-D", hadoopTmp, "-D", "mapreduce.job.reduces=3", "clone", in,
        cli.path("out")));
    CliResult info = cli.run("info", cli.path("out"));
    assertTrue(info.out, info.out.contains("routing:     bucket("));
    assertEquals("k0123\tv123\n", cli.run("get", cli.path("out"), "k0123").out);
  }

  @Test
  public void cloneOntoExistingStoreFails() throws Exception {
    String in = cli.store("in", 5);
    String out = cli.store("out", 2);
    CliResult r = cli.run("-D", hadoopTmp, "clone", in, out);
    assertFails(r, 1, "kvstore clone: ");
    // The CLI names its own command, not the Java API call, as the remedy.
    assertTrue(r.err, r.err.contains("(kvstore rm)"));
    assertFalse(r.err, r.err.contains("KeyValueSystem"));
    assertEquals("same: 2 pairs\n", cli.run("compare", out, out).out);
  }

  @Test
  public void cloneOfMissingStoreFails() throws Exception {
    assertFails(cli.run("-D", hadoopTmp, "clone", cli.path("none"), cli.path("out")), 1,
        "does not exist");
    assertFalse(new File(cli.path("out")).exists());
  }

  @Test
  public void cloneNeedsTwoPaths() throws Exception {
    assertFails(cli.run("clone", cli.path("in")), 2, "missing argument");
  }

  @Test
  public void buildSortsTextIntoAStore() throws Exception {
    String text = cli.file("in.txt", "pear\tgreen\napple\tred\nfig\tpurple\n");
    CliResult r = cli.run("-D", hadoopTmp, "build", text, cli.path("out"));
    assertOk(r);
    assertTrue(r.out, r.out.startsWith("built file:" + cli.path("out") + " from file:" + text
        + ": 3 pairs, 1 partition, "));
    assertEquals("apple\tred\nfig\tpurple\npear\tgreen\n", cli.run("scan", cli.path("out")).out);
  }

  @Test
  public void buildWithRepeatedKeyFailsNamingItInOneLine() throws Exception {
    String text = cli.file("in.txt", "b\t1\na\t2\nb\t3\n");
    CliResult r = cli.run("-D", hadoopTmp, "build", text, cli.path("out"));
    assertFails(r, 1, "kvstore build: job job_local");
    assertTrue(r.err, r.err.contains("\"b\""));
    assertFalse(new File(cli.path("out"), io.kvstore.format.StoreLayout.MANIFEST_NAME).exists());
  }

  @Test
  public void buildOfMissingInputFails() throws Exception {
    assertFails(cli.run("-D", hadoopTmp, "build", cli.path("none.txt"), cli.path("out")), 1,
        "kvstore build: ");
  }

  @Test
  public void runKVTestPrintsEveryStepAndPassedLast() throws Exception {
    File dir = folder.newFolder("kvtest");
    CliResult r = cli.run("runKVTest", "--dir", dir.getPath(), "--pairs", "600");
    assertOk(r);
    String[] lines = r.out.split("\n");
    assertTrue(lines[0], lines[0].startsWith("kvstore self-test in file:" + dir.getPath()
        + "/kvtest-"));
    assertEquals(SelfTest.STEPS + 2, lines.length);
    assertEquals("Passed the test!", lines[lines.length - 1]);
    assertEquals(0, dir.list().length);
  }

  @Test
  public void runKVTestFailureNamesTheStepAndExitsOne() throws Exception {
    String notADirectory = cli.file("plain-file", "x");
    CliResult r = cli.run("runKVTest", "--dir", notADirectory);
    assertFails(r, 1, "kvstore runKVTest: failed at step 1 (create a store of 2000 pairs");
    assertTrue(r.out, r.out.endsWith(" ... FAILED\n"));
    assertFalse(r.out, r.out.contains("Passed the test!"));
  }

  @Test
  public void runKVTestWithTooFewPairsIsUsageError() throws Exception {
    assertFails(cli.run("runKVTest", "--pairs", "10"), 2, "--pairs must be between 400");
  }

  @Test
  public void runKVTestTakesNoArguments() throws Exception {
    assertFails(cli.run("runKVTest", "now"), 2, "unexpected argument 'now'");
  }
}
