package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The tool's dispatch, help, common options and error reporting. */
public class KvStoreCliTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  @Test
  public void helpListsEveryCommand() throws Exception {
    CliResult r = cli.run("help");
    assertOk(r);
    for (Command c : Commands.all()) {
      assertTrue(c.name(), r.out.contains("  " + c.name() + " "));
    }
    assertTrue(r.out.contains("-D key=value"));
  }

  @Test
  public void dashDashHelpIsHelp() throws Exception {
    assertEquals(cli.run("help").out, cli.run("--help").out);
  }

  @Test
  public void noArgumentsPrintsTheCommandListAsUsageError() throws Exception {
    CliResult r = cli.run();
    assertEquals(KvStoreCli.EXIT_USAGE, r.status);
    assertTrue(r.err.contains("commands:"));
    assertEquals("", r.out);
  }

  @Test
  public void everyCommandHasHelp() throws Exception {
    for (Command c : Commands.all()) {
      CliResult r = cli.run(c.name(), "--help");
      assertOk(r);
      assertTrue(r.out, r.out.startsWith("usage: kvstore " + c.name() + " " + c.synopsis()));
      assertEquals(r.out, cli.run("help", c.name()).out);
    }
  }

  @Test
  public void helpOfUnknownCommandIsUsageError() throws Exception {
    assertFails(cli.run("help", "nope"), 2, "unknown command 'nope'");
  }

  @Test
  public void helpOfATypoSuggestsTheCommandAsTheCommandLineDoes() throws Exception {
    assertFails(cli.run("help", "sacn"), 2,
        "kvstore help: unknown command 'sacn'; did you mean scan? (usage: kvstore help");
    assertFails(cli.run("help", "RUNKVTEST"), 2, "did you mean runKVTest?");
    CliResult far = cli.run("help", "frobnicate");
    assertFails(far, 2, "unknown command 'frobnicate'");
    assertFalse(far.err, far.err.contains("did you mean"));
  }

  @Test
  public void unknownCommandIsUsageError() throws Exception {
    assertFails(cli.run("frobnicate"), 2, "unknown command 'frobnicate'");
  }

  @Test
  public void unknownCommandSuggestsTheClosestCommandIgnoringCase() throws Exception {
    assertFails(cli.run("runkvtest"), 2,
        "kvstore: unknown command 'runkvtest'; did you mean runKVTest?");
    assertFails(cli.run("Verify"), 2, "did you mean verify?");
    assertFails(cli.run("scna", "s"), 2, "did you mean scan?");
    CliResult far = cli.run("frobnicate");
    assertFails(far, 2, "unknown command 'frobnicate'");
    assertFalse(far.err, far.err.contains("did you mean"));
  }

  @Test
  public void defineWithoutValueIsUsageErrorNamingIt() throws Exception {
    CliResult r = cli.run("-Dfoo", "info", "s");
    assertFails(r, 2, "kvstore: -D foo: a setting needs KEY=VALUE");
    assertFalse(r.err, r.err.contains("Commands:"));
    assertFails(cli.run("-D", "foo", "info", "s"), 2, "-D foo: a setting needs KEY=VALUE");
    assertFails(cli.run("-D=1", "info", "s"), 2, "-D =1: a setting needs KEY=VALUE");
    CliResult alone = cli.run("-D");
    assertFails(alone, 2, "kvstore: -D needs KEY=VALUE after it");
    assertFalse(alone.err, alone.err.contains("general options"));
    // After the command name, -D... belongs to the command (e.g. a key after --).
    assertFails(cli.run("get", cli.path("none"), "--", "-Dfoo"), 1, "does not exist");
  }

  @Test
  public void versionPrintsKvstoreAndHadoopVersions() throws Exception {
    CliResult r = cli.run("version");
    assertOk(r);
    String[] lines = r.out.split("\n");
    assertEquals(r.out, 2, lines.length);
    // The project version as Maven filtered it, e.g. 0.1.0-SNAPSHOT.
    assertTrue(r.out, lines[0].matches("kvstore \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"));
    assertEquals("Hadoop " + org.apache.hadoop.util.VersionInfo.getVersion(), lines[1]);
    assertTrue(lines[1], lines[1].matches("Hadoop 3\\.\\d+\\.\\d+.*"));
    assertFails(cli.run("version", "now"), 2, "unexpected argument 'now'");
  }

  @Test
  public void unknownOptionIsUsageErrorWithSynopsis() throws Exception {
    assertFails(cli.run("scan", "s", "--nope"), 2,
        "kvstore scan: unknown option --nope (usage: kvstore scan STORE");
  }

  @Test
  public void optionWithoutValueIsUsageError() throws Exception {
    assertFails(cli.run("scan", "s", "--limit"), 2, "option --limit needs a value");
  }

  @Test
  public void hexAndBase64TogetherIsUsageError() throws Exception {
    assertFails(cli.run("get", "s", "k", "--hex", "--base64"), 2, "exclude each other");
  }

  @Test
  public void genericDefineOptionReachesTheCommand() throws Exception {
    StringBuilder tsv = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      tsv.append(String.format("key%05d\tvalue number %d%n", i, i));
    }
    String input = cli.file("in.tsv", tsv.toString());
    CliResult r = cli.run("-D", "kvstore.partition.size.bytes.max=8k", "create", cli.path("s"),
        "--input", input);
    assertOk(r);
    CliResult info = cli.run("info", cli.path("s"), "--json");
    assertOk(info);
    int partitions = info.out.split("\"file\":").length - 1;
    assertTrue(info.out, partitions > 3);
  }

  @Test
  public void errorsAreOneLineWithoutStackTrace() throws Exception {
    assertFails(cli.run("get", cli.path("missing"), "k"), 1, "kvstore get: ");
  }

  @Test
  public void debugFlagAddsTheStackTrace() throws Exception {
    CliResult r = cli.run("--debug", "get", cli.path("missing"), "k");
    assertEquals(1, r.status);
    assertTrue(r.err, r.err.contains("\tat io.kvstore"));
  }

  @Test
  public void debugFlagWorksAfterTheCommandToo() throws Exception {
    CliResult r = cli.run("get", cli.path("missing"), "k", "--debug");
    assertEquals(1, r.status);
    assertTrue(r.err, r.err.contains("\tat "));
  }

  @Test
  public void doubleDashEndsOptionsSoKeysMayStartWithDashes() throws Exception {
    String input = cli.file("in.tsv", "--odd\tdash\n");
    assertOk(cli.run("create", cli.path("s"), "--input", input));
    CliResult r = cli.run("get", cli.path("s"), "--", "--odd");
    assertOk(r);
    assertEquals("--odd\tdash\n", r.out);
  }
}
