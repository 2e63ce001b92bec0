package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.KeyValueConf;
import java.io.File;
import org.apache.hadoop.conf.Configuration;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code info}, {@code compare}, {@code rm}, {@code mv} and {@code merge}. */
public class StoreCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  private Configuration smallPartitions() {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 2048);
    return conf;
  }

  @Test
  public void infoShowsFormatRoutingPartitionsAndTotals() throws Exception {
    String store = cli.store("s", 300, smallPartitions());
    CliResult r = cli.run("info", store);
    assertOk(r);
    assertTrue(r.out, r.out.contains("store:       file:" + store + "\n"));
    assertTrue(r.out, r.out.contains("format:      kvstore manifest version 1\n"));
    assertTrue(r.out, r.out.contains("routing:     range\n"));
    assertTrue(r.out, r.out.contains("pairs:       300\n"));
    assertTrue(r.out, r.out.contains("total size:  "));
    assertTrue(r.out, r.out.contains("k0000 .. k"));
    assertTrue(r.out, r.out.contains(".. k0299\n"));
    String partitions = r.out.replaceAll("(?s).*partitions:  (\\d+)\n.*", "$1");
    assertTrue(r.out, Integer.parseInt(partitions) > 3);
  }

  @Test
  public void infoJsonIsOneObjectWithEveryPartition() throws Exception {
    String store = cli.store("s", 300, smallPartitions());
    CliResult r = cli.run("info", store, "--json");
    assertOk(r);
    assertTrue(r.out, r.out.startsWith("{\"store\":\"file:" + store + "\",\"formatVersion\":1,"));
    assertTrue(r.out, r.out.contains("\"routing\":{\"kind\":\"range\"}"));
    assertTrue(r.out, r.out.contains("\"pairs\":300,"));
    assertTrue(r.out, r.out.contains("\"firstKey\":\"k0000\""));
    assertTrue(r.out, r.out.endsWith("]}\n"));
  }

  @Test
  public void infoJsonParsesWithEveryPartitionCounted() throws Exception {
    String store = cli.store("s", 300, smallPartitions());
    CliResult r = cli.run("info", store, "--json");
    assertOk(r);
    JsonNode info = new ObjectMapper().readTree(r.out);
    assertEquals(300, info.get("pairs").asLong());
    long pairs = 0;
    for (JsonNode p : info.get("partitions")) {
      pairs += p.get("pairs").asLong();
      assertTrue(p.toString(), p.get("crc32c").asText().matches("[0-9a-f]{8}"));
    }
    assertEquals(300, pairs);
    assertTrue(info.get("partitions").size() > 3);
    assertEquals("range", info.get("routing").get("kind").asText());
  }

  @Test
  public void infoJsonKeysFollowTheEncoding() throws Exception {
    String store = cli.store("s", 2);
    assertTrue(cli.run("info", store, "--json", "--hex").out.contains(
        "\"firstKey\":\"6B30303030\""));
  }

  @Test
  public void infoOfMissingStoreFails() throws Exception {
    assertFails(cli.run("info", cli.path("none")), 1, "does not exist");
  }

  @Test
  public void infoOfNonStoreFails() throws Exception {
    File dir = folder.newFolder("plain");
    assertFails(cli.run("info", dir.getPath()), 1, "empty directory");
  }

  @Test
  public void compareSameStoresWithDifferentPartitioning() throws Exception {
    String a = cli.store("a", 300);
    String b = cli.store("b", 300, smallPartitions());
    CliResult r = cli.run("compare", a, b);
    assertOk(r);
    assertEquals("same: 300 pairs\n", r.out);
  }

  @Test
  public void compareFindsAKeyOnlyInOneStore() throws Exception {
    String a = cli.store("a", 30);
    String b = cli.store("b", 31);
    CliResult r = cli.run("compare", a, b);
    assertEquals(1, r.status);
    assertEquals("different: key k0030 is only in " + b + "\n", r.out);
  }

  @Test
  public void emptyKeyShowsAsEmptyInMessagesAndTablesInEveryEncoding() throws Exception {
    assertOk(cli.runWithInput("\tnothing\nk\tv\n", "create", cli.path("with")));
    assertOk(cli.runWithInput("k\tv\n", "create", cli.path("without")));
    CliResult compare = cli.run("compare", cli.path("with"), cli.path("without"));
    assertEquals(1, compare.status);
    assertEquals("different: key (empty) is only in " + cli.path("with") + "\n", compare.out);
    for (String encoding : new String[] {"--hex", "--base64"}) {
      assertTrue(encoding, cli.run("compare", cli.path("without"), cli.path("with"), encoding)
          .out.startsWith("different: key (empty) is only in "));
    }
    CliResult info = cli.run("info", cli.path("with"));
    assertOk(info);
    assertTrue(info.out, info.out.trim().endsWith(" (empty) .. k"));
    // Pair output stays the input format: an empty field before the tab.
    assertEquals("\tnothing\nk\tv\n", cli.run("scan", cli.path("with")).out);
    assertFails(cli.run("get", cli.path("without"), ""), 1, "kvstore get: key (empty) not found");
  }

  @Test
  public void compareFindsAMissingKeyInTheMiddle() throws Exception {
    String a = cli.store("a", 3);
    assertOk(cli.runWithInput("k0000\tv0\nk0002\tv2\n", "create", cli.path("b")));
    CliResult r = cli.run("compare", a, cli.path("b"));
    assertEquals(1, r.status);
    assertEquals("different: key k0001 is only in " + a + "\n", r.out);
  }

  @Test
  public void compareFindsADifferentValue() throws Exception {
    String a = cli.store("a", 2);
    assertOk(cli.runWithInput("k0000\tv0\nk0001\tother\n", "create", cli.path("b")));
    CliResult r = cli.run("compare", a, cli.path("b"));
    assertEquals(1, r.status);
    assertEquals("different: values of key k0001 differ (2 and 5 bytes)\n", r.out);
  }

  @Test
  public void compareWithMissingStoreFails() throws Exception {
    assertFails(cli.run("compare", cli.store("a", 1), cli.path("none")), 1, "does not exist");
  }

  @Test
  public void compareNeedsTwoStores() throws Exception {
    assertFails(cli.run("compare", cli.store("a", 1)), 2, "missing argument");
  }

  @Test
  public void rmDeletesEveryStore() throws Exception {
    String a = cli.store("a", 2);
    String b = cli.store("b", 2);
    assertOk(cli.run("rm", a, b));
    assertFalse(new File(a).exists());
    assertFalse(new File(b).exists());
  }

  @Test
  public void rmRefusesANonStore() throws Exception {
    File dir = folder.newFolder("precious");
    assertTrue(new File(dir, "data").createNewFile());
    assertFails(cli.run("rm", dir.getPath()), 1, "kvstore rm: ");
    assertTrue(new File(dir, "data").exists());
  }

  @Test
  public void rmOfMissingStoreFails() throws Exception {
    assertFails(cli.run("rm", cli.path("none")), 1, "does not exist");
  }

  @Test
  public void mvRenames() throws Exception {
    String a = cli.store("a", 2);
    assertOk(cli.run("mv", a, cli.path("b")));
    assertFalse(new File(a).exists());
    assertEquals("k0001\tv1\n", cli.run("get", cli.path("b"), "k0001").out);
  }

  @Test
  public void mvOntoExistingStoreFails() throws Exception {
    String a = cli.store("a", 2);
    String b = cli.store("b", 3);
    assertFails(cli.run("mv", a, b), 1, "kvstore mv: ");
    assertEquals("same: 2 pairs\n", cli.run("compare", a, a).out);
  }

  @Test
  public void mvNeedsTwoArguments() throws Exception {
    assertFails(cli.run("mv", cli.store("a", 1)), 2, "missing argument");
  }

  @Test
  public void mergeMovesEveryPair() throws Exception {
    String a = cli.store("a", 10);
    assertOk(cli.runWithInput("k0003x\tnew\nz\tlast\n", "create", cli.path("b")));
    assertOk(cli.run("merge", cli.path("b"), a));
    assertFalse(new File(cli.path("b")).exists());
    assertEquals("k0003x\tnew\nz\tlast\n", cli.run("get", a, "k0003x", "z").out);
    assertEquals(12, cli.run("show", a, "key").out.split("\n").length);
  }

  @Test
  public void mergeRefusesSharedKeyAndChangesNothing() throws Exception {
    String a = cli.store("a", 10);
    assertOk(cli.runWithInput("k0005\tclash\n", "create", cli.path("b")));
    CliResult r = cli.run("merge", cli.path("b"), a);
    assertFails(r, 1, "k0005");
    assertEquals("k0005\tv5\n", cli.run("get", a, "k0005").out);
    assertEquals("k0005\tclash\n", cli.run("get", cli.path("b"), "k0005").out);
  }
}
