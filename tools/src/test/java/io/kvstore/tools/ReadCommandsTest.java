package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreLayout;
import java.io.File;
import java.nio.file.Files;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code get}, {@code scan} and {@code show}, with every encoding and every error path. */
public class ReadCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;
  private String store;

  @Before
  public void setUp() throws Exception {
    cli = new CliFixture(folder);
    store = cli.store("s", 20);
  }

  @Test
  public void getPrintsKeyAndValueOfEveryKeyInArgumentOrder() throws Exception {
    CliResult r = cli.run("get", store, "k0007", "k0001");
    assertOk(r);
    assertEquals("k0007\tv7\nk0001\tv1\n", r.out);
  }

  @Test
  public void getOfAbsentKeyReportsItAndExitsOne() throws Exception {
    CliResult r = cli.run("get", store, "k0003", "nope");
    assertEquals(1, r.status);
    assertEquals("k0003\tv3\n", r.out);
    assertEquals("kvstore get: key nope not found\n", r.err);
  }

  @Test
  public void getWithoutKeyIsUsageError() throws Exception {
    assertFails(cli.run("get", store), 2, "missing argument");
  }

  @Test
  public void getOfMissingStoreFails() throws Exception {
    assertFails(cli.run("get", cli.path("none"), "k"), 1, "does not exist");
  }

  @Test
  public void getOfNonStoreFails() throws Exception {
    File dir = folder.newFolder("plain");
    Files.write(new File(dir, "data.txt").toPath(), new byte[] {1});
    assertFails(cli.run("get", dir.getPath(), "k"), 1, "kvstore get: ");
  }

  @Test
  public void getOfIncompleteStoreFailsNamingKvstoreRm() throws Exception {
    KeyValueStoreWriter writer = KeyValueSystem.Factory.create().createStore(
        new Path(cli.path("open")));
    writer.put(new byte[] {1}, new byte[] {2});
    try {
      assertTrue(new File(cli.path("open"), StoreLayout.INCOMPLETE_MARKER_NAME).exists());
      CliResult r = cli.run("get", cli.path("open"), "k");
      assertFails(r, 1, "kvstore get: ");
      assertTrue(r.err, r.err.toLowerCase().contains("incomplete"));
      assertTrue(r.err, r.err.contains("kvstore rm removes it"));
      assertFalse(r.err, r.err.contains("deleteStore"));
    } finally {
      writer.cancel();
    }
  }

  @Test
  public void binaryKeysAndValuesInHex() throws Exception {
    assertOk(cli.runWithInput("00ff\t0a0b\n01\t\n", "create", cli.path("b"), "--hex"));
    CliResult r = cli.run("get", cli.path("b"), "00FF", "--hex");
    assertOk(r);
    assertEquals("00FF\t0A0B\n", r.out);
    assertEquals("00FF\t0A0B\n01\t\n", cli.run("scan", cli.path("b"), "--hex").out);
  }

  @Test
  public void binaryKeysAndValuesInBase64() throws Exception {
    assertOk(cli.runWithInput("AP8=\tCgs=\n", "create", cli.path("b"), "--base64"));
    assertEquals("AP8=\tCgs=\n", cli.run("get", cli.path("b"), "AP8=", "--base64").out);
  }

  @Test
  public void textOutputEscapesNonPrintableBytesAndKeepsUtf8() throws Exception {
    assertOk(cli.runWithInput("caf\u00e9\\x00\ttab\\x09\\xFF\n", "create", cli.path("b")));
    CliResult r = cli.run("scan", cli.path("b"));
    assertEquals("caf\u00e9\\x00\ttab\\x09\\xFF\n", r.out);
    assertEquals(r.out, cli.run("get", cli.path("b"), "caf\u00e9\\x00").out);
  }

  @Test
  public void invalidHexKeyIsUsageError() throws Exception {
    assertFails(cli.run("get", store, "xyz", "--hex"), 2, "key 'xyz' is not valid hex");
  }

  @Test
  public void scanPrintsEveryPairInOrder() throws Exception {
    CliResult r = cli.run("scan", store);
    assertOk(r);
    String[] lines = r.out.split("\n");
    assertEquals(20, lines.length);
    assertEquals("k0000\tv0", lines[0]);
    assertEquals("k0019\tv19", lines[19]);
  }

  @Test
  public void scanFromIsInclusiveAndToExclusive() throws Exception {
    assertEquals("k0003\tv3\nk0004\tv4\n", cli.run("scan", store, "--from", "k0003", "--to",
        "k0005").out);
  }

  @Test
  public void scanWithPrefix() throws Exception {
    assertEquals("k0010\tv10\nk0011\tv11\n", cli.run("scan", store, "--prefix", "k001",
        "--limit", "2").out);
  }

  @Test
  public void scanPrefixCombinesWithFromAndTo() throws Exception {
    assertEquals("k0012\tv12\nk0013\tv13\n", cli.run("scan", store, "--prefix", "k001", "--from",
        "k0012", "--to", "k0014").out);
  }

  @Test
  public void scanPrefixOfAllOnesBytesRunsToTheEnd() throws Exception {
    assertOk(cli.runWithInput("ff\t01\nffff\t02\nfe\t03\n", "create", cli.path("b"), "--hex",
        "--sort"));
    assertEquals("FF\t01\nFFFF\t02\n", cli.run("scan", cli.path("b"), "--hex", "--prefix",
        "ff").out);
  }

  @Test
  public void scanEmptyRangeSaysSoAndExitsOne() throws Exception {
    CliResult r = cli.run("scan", store, "--from", "k0009", "--to", "k0001");
    assertEquals("", r.out);
    assertFails(r, 1, "kvstore scan: the range is empty: its start k0009 does not sort before"
        + " its end k0001 (exclusive)");
    // A prefix narrows the range too; equal bounds are empty, --to being exclusive.
    assertFails(cli.run("scan", store, "--prefix", "k001", "--to", "k0005"), 1,
        "its start k001 does not sort before its end k0005");
    assertFails(cli.run("scan", store, "--from", "k0003", "--to", "k0003"), 1,
        "the range is empty");
    // A missing store is the first thing wrong.
    assertFails(cli.run("scan", cli.path("none"), "--from", "b", "--to", "a"), 1,
        "does not exist");
  }

  @Test
  public void scanOfARangeWithoutKeysPrintsNothingAndSucceeds() throws Exception {
    CliResult r = cli.run("scan", store, "--from", "k0005x", "--to", "k0006");
    assertOk(r);
    assertEquals("", r.out);
  }

  @Test
  public void scanLimitZeroPrintsNothing() throws Exception {
    assertEquals("", cli.run("scan", store, "--limit", "0").out);
  }

  @Test
  public void scanBadLimitIsUsageError() throws Exception {
    assertFails(cli.run("scan", store, "--limit", "many"), 2, "--limit needs a number");
  }

  @Test
  public void scanExtraArgumentIsUsageError() throws Exception {
    assertFails(cli.run("scan", store, "k0001"), 2, "unexpected argument 'k0001'");
  }

  @Test
  public void scanOfMissingStoreFails() throws Exception {
    assertFails(cli.run("scan", cli.path("none")), 1, "does not exist");
  }

  @Test
  public void showKeys() throws Exception {
    CliResult r = cli.run("show", store, "key");
    assertOk(r);
    assertTrue(r.out.startsWith("k0000\nk0001\n"));
    assertEquals(20, r.out.split("\n").length);
  }

  @Test
  public void showValues() throws Exception {
    assertTrue(cli.run("show", store, "value").out.startsWith("v0\nv1\nv2\n"));
  }

  @Test
  public void showAll() throws Exception {
    assertEquals(cli.run("scan", store).out, cli.run("show", store, "all").out);
  }

  @Test
  public void showBadModeIsUsageError() throws Exception {
    assertFails(cli.run("show", store, "keys"), 2, "must be key, value or all");
  }

  @Test
  public void showOfMissingStoreFails() throws Exception {
    assertFails(cli.run("show", cli.path("none"), "all"), 1, "does not exist");
  }
}
