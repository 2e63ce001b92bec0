package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code export} (the inverse of {@code create}), {@code head}, {@code sample}, {@code count}. */
public class ExportAndPeekCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  /** A store whose keys and values hold every awkward byte: tab, newline, backslash, non-UTF-8. */
  private String awkwardStore() throws Exception {
    String path = cli.path("awkward");
    byte[][] keys = {{}, {'\t'}, {'\n', 'a'}, {'\\', 'x', '4'}, {'k'}, {(byte) 0xC3, (byte) 0xA9},
        {(byte) 0xFF, 0}};
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create().createStore(new Path(path))) {
      Random random = new Random(7);
      for (byte[] key : keys) {
        byte[] value = new byte[random.nextInt(40)];
        random.nextBytes(value);
        w.put(key, value);
      }
    }
    return path;
  }

  @Test
  public void exportedTsvCreatesTheSameStore() throws Exception {
    String store = awkwardStore();
    CliResult exported = cli.run("export", store);
    assertOk(exported);
    assertOk(cli.runWithInput(exported.out, "create", cli.path("copy")));
    assertEquals("same: 7 pairs\n", cli.run("compare", store, cli.path("copy")).out);
  }

  @Test
  public void exportToGzipAndSequenceFileFilesReadBackByCreate() throws Exception {
    String store = awkwardStore();
    for (String[] target : new String[][] {{"out.tsv.gz", "tsv"}, {"out.seq", "seqfile"},
        {"out.tsv", "tsv"}}) {
      String out = cli.path(target[0]);
      CliResult r = cli.run("export", store, "--output", out, "--format", target[1]);
      assertEquals(r.toString(), 0, r.status);
      assertEquals("kvstore export: wrote 7 pairs to file:" + out + "\n", r.err);
      String copy = cli.path("copy-" + target[0]);
      assertOk(cli.run("create", copy, "--input", out));
      assertEquals("same: 7 pairs\n", cli.run("compare", store, copy).out);
    }
  }

  @Test
  public void exportOfARangeAndInHex() throws Exception {
    String store = cli.store("s", 100);
    CliResult r = cli.run("export", store, "--prefix", "6B303031", "--hex");
    assertOk(r);
    assertEquals(10, r.out.split("\n").length);
    assertTrue(r.out, r.out.startsWith("6B30303130\t763130\n"));
  }

  @Test
  public void exportRefusesAnExistingOutputAndSequenceFileToStdout() throws Exception {
    String store = cli.store("s", 3);
    String existing = cli.file("there.tsv", "keep me\n");
    assertFails(cli.run("export", store, "--output", existing), 1, "already exists");
    assertEquals("keep me\n", new String(java.nio.file.Files.readAllBytes(
        new File(existing).toPath()), java.nio.charset.StandardCharsets.UTF_8));
    assertFails(cli.run("export", store, "--format", "seqfile"), 2,
        "--format seqfile needs --output PATH");
  }

  @Test
  public void headPrintsTheFirstPairs() throws Exception {
    String store = cli.store("s", 50);
    CliResult r = cli.run("head", store);
    assertOk(r);
    assertEquals(10, r.out.split("\n").length);
    assertTrue(r.out.startsWith("k0000\tv0\nk0001\tv1\n"));
    assertEquals("k0000\tv0\nk0001\tv1\nk0002\tv2\n", cli.run("head", store, "3").out);
    assertFails(cli.run("head", store, "many"), 2, "N needs a number, not 'many'");
  }

  @Test
  public void sampleIsDistinctSortedRepeatableWithASeedAndAllOfASmallStore() throws Exception {
    String store = cli.store("s", 1000);
    CliResult a = cli.run("sample", store, "20", "--seed", "42");
    assertOk(a);
    List<String> lines = Arrays.asList(a.out.split("\n"));
    assertEquals(20, lines.size());
    assertEquals(20, lines.stream().distinct().count());
    assertEquals(lines.stream().sorted().collect(java.util.stream.Collectors.toList()), lines);
    for (String line : lines) {
      int i = Integer.parseInt(line.substring(1, 5));
      assertEquals(String.format("k%04d\tv%d", i, i), line);
    }
    assertEquals(a.out, cli.run("sample", store, "20", "--seed", "42").out);
    assertNotEquals(a.out, cli.run("sample", store, "20", "--seed", "43").out);
    assertEquals(cli.run("scan", cli.store("small", 5)).out,
        cli.run("sample", cli.path("small"), "10").out);
  }

  @Test
  public void sampleChoosesEveryPositionAboutEquallyOften() {
    int[] hits = new int[10];
    Random random = new Random(1);
    for (int round = 0; round < 10_000; round++) {
      for (long p : SampleCommand.choose(10, 3, random)) {
        hits[(int) p]++;
      }
    }
    for (int h : hits) {
      // Expected 3,000 each; binomial standard deviation ~46, so 2,800-3,200 is > 4 sigma.
      assertTrue(Arrays.toString(hits), h > 2800 && h < 3200);
    }
  }

  @Test
  public void countOfTheStoreAndOfARange() throws Exception {
    String store = cli.store("s", 1234);
    assertEquals("1234\n", cli.run("count", store).out);
    assertEquals("100\n", cli.run("count", store, "--prefix", "k01").out);
    assertEquals("5\n", cli.run("count", store, "--from", "k0005", "--to", "k0010").out);
    assertFails(cli.run("count", store, "--from", "k9", "--to", "k1"), 1, "the range is empty");
  }

  @Test
  public void emptyStoreExportsNothing() throws Exception {
    String store = cli.store("empty", 0);
    assertEquals("", cli.run("export", store).out);
    assertEquals("0\n", cli.run("count", store).out);
    assertEquals("", cli.run("sample", store, "5").out);
    assertFalse(cli.run("head", store).out.contains("\t"));
  }

  @Test
  public void aSampleLargerThanAnArrayIsRefused() {
    assertEquals("N is too large: 3000000000 (at most 2147483639)", org.junit.Assert.assertThrows(
        UsageException.class, () -> SampleCommand.choose(5_000_000_000L, 3_000_000_000L,
            new java.util.Random(1))).getMessage());
  }
}
