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

/** {@code publish}, {@code versions}, {@code rollback}, and get/scan/info of a table. */
public class TableCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  @Test
  public void publishCreatesTheTableThenEachStoreBecomesTheCurrentVersion() throws Exception {
    String table = cli.path("table");
    CliResult first = cli.run("publish", table, cli.store("day1", 3));
    assertOk(first);
    assertTrue(first.out, first.out.startsWith("created table file:" + table + "\n"));
    assertTrue(first.out, first.out.contains(" as version 1 of file:" + table
        + " (3 pairs, "));
    assertFalse("the store moved into the table", new File(cli.path("day1")).exists());
    CliResult second = cli.run("publish", table, cli.store("day2", 5));
    assertOk(second);
    assertTrue(second.out, second.out.contains(" as version 2 of "));
    assertFalse(second.out, second.out.contains("created table"));
    CliResult third = cli.run("publish", table, cli.store("day3", 7));
    assertTrue(third.out, third.out.endsWith("now current\ndeleted old version 1\n"));

    CliResult versions = cli.run("versions", table);
    assertOk(versions);
    String[] lines = versions.out.split("\n");
    assertEquals(versions.out, 3, lines.length);
    assertTrue(versions.out, lines[1].matches("  +2  \\S+Z +5 .*"));
    assertTrue(versions.out, lines[2].matches("\\* +3  \\S+Z +7 .*"));

    CliResult get = cli.run("get", table, "k0006");
    assertOk(get);
    assertEquals("k0006\tv6\n", get.out);
    CliResult scan = cli.run("scan", table, "--from", "k0005");
    assertEquals("k0005\tv5\nk0006\tv6\n", scan.out);
    CliResult info = cli.run("info", table);
    assertOk(info);
    assertTrue(info.out, info.out.contains("store:       file:" + table + "/v-00000003\n"));
    assertTrue(info.out, info.out.contains("pairs:       7\n"));
  }

  @Test
  public void rollbackGoesToThePreviousOrTheNamedVersion() throws Exception {
    String table = cli.path("table");
    cli.run("publish", table, cli.store("a", 1));
    cli.run("publish", table, cli.store("b", 2));
    CliResult back = cli.run("rollback", table);
    assertOk(back);
    assertEquals("file:" + table + ": version 1 is current (was 2)\n", back.out);
    assertFails(cli.run("get", table, "k0001"), KvStoreCli.EXIT_FAILURE, "k0001 not found");
    assertFails(cli.run("rollback", table), KvStoreCli.EXIT_FAILURE,
        "no version older than its current version 1");
    CliResult forward = cli.run("rollback", table, "2");
    assertOk(forward);
    assertEquals("file:" + table + ": version 2 is current (was 1)\n", forward.out);
    assertEquals("k0001\tv1\n", cli.run("get", table, "k0001").out);
    assertFails(cli.run("rollback", table, "7"), KvStoreCli.EXIT_FAILURE, "has no version 7");
    assertFails(cli.run("rollback", table, "two"), KvStoreCli.EXIT_USAGE,
        "VERSION must be a version number, not 'two'");
  }

  @Test
  public void tableCommandsOnAStoreSayItIsNotATable() throws Exception {
    String store = cli.store("s", 2);
    assertFails(cli.run("versions", store), KvStoreCli.EXIT_FAILURE, "it is not a table");
    assertFails(cli.run("rollback", store), KvStoreCli.EXIT_FAILURE, "it is not a table");
  }

  @Test
  public void rmDeletesATableWithAllItsVersionsAndRefusesADirectoryThatIsNeither()
      throws Exception {
    String table = cli.path("table");
    assertOk(cli.run("publish", table, cli.store("day1", 3)));
    assertOk(cli.run("publish", table, cli.store("day2", 4)));
    String store = cli.store("other", 2);
    CliResult rm = cli.run("rm", table, store);
    assertOk(rm);
    assertEquals("", rm.out);
    assertFalse(new File(table).exists());
    assertFalse(new File(store).exists());
    assertTrue("the parent stays", new File(table).getParentFile().isDirectory());
    assertFails(cli.run("get", table, "k0001"), KvStoreCli.EXIT_FAILURE, "does not exist");

    File other = new File(cli.path("data"));
    assertTrue(new File(other, "part-0.csv").mkdirs());
    assertFails(cli.run("rm", other.getPath()), KvStoreCli.EXIT_FAILURE,
        "The path file:" + other.getPath() + " exists but is neither a kvstore store nor a"
        + " table: it holds part-0.csv that no table holds; refusing to delete it");
    assertTrue(new File(other, "part-0.csv").exists());
  }
}
