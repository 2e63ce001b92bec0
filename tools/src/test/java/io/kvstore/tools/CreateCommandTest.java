package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static io.kvstore.tools.CliFixture.bytes;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code kvstore create}: inputs, formats, sorting and every refusal. */
public class CreateCommandTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  private byte[] get(String store, String key) throws IOException {
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create().openStore(new Path(store))) {
      return r.get(bytes(key));
    }
  }

  private long size(String store) throws IOException {
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create().openStore(new Path(store))) {
      return r.size();
    }
  }

  @Test
  public void standardInputOnATerminalGetsAHint() throws Exception {
    CliResult r = cli.runOnTerminal("a\t1\n", "create", cli.path("s"));
    assertEquals(r.toString(), 0, r.status);
    assertTrue(r.err, r.err.startsWith(
        "kvstore create: reading pairs from standard input; end with Ctrl-D\n"));
    assertArrayEquals(bytes("1"), get(cli.path("s"), "a"));

    // Not for a pipe or a file, nor for --input on a terminal.
    CliResult piped = cli.runWithInput("a\t1\n", "create", cli.path("piped"));
    assertOk(piped);
    assertEquals("", piped.err);
    CliResult file = cli.runOnTerminal("", "create", cli.path("file"), "--input",
        cli.file("in.tsv", "a\t1\n"));
    assertEquals(file.toString(), 0, file.status);
    assertFalse(file.err, file.err.contains("standard input"));
  }

  @Test
  public void invalidEscapeIsRefusedWithItsLineNumber() throws Exception {
    String input = cli.file("esc.tsv", "a\tC:\\\\dir\nb\tC:\\dir\n");
    CliResult r = cli.run("create", cli.path("s"), "--input", input);
    assertFails(r, 1, "line 2: value is not valid text: invalid escape '\\d'");
    assertFalse(new File(cli.path("s")).exists());
    CliResult hex = cli.runWithInput("a\t1\nb\\x4\t2\n", "create", cli.path("t"));
    assertFails(hex, 1, "line 2: key is not valid text: invalid escape '\\x4'");
    assertFalse(new File(cli.path("t")).exists());
  }

  @Test
  public void createsFromTsvFile() throws Exception {
    String input = cli.file("in.tsv", "a\t1\nb\ttwo\twith tab\r\n\nc\t\n");
    CliResult r = cli.run("create", cli.path("s"), "--input", input);
    assertOk(r);
    assertEquals("created file:" + cli.path("s") + ": 3 pairs, 1 partition, ", r.out.substring(0,
        r.out.lastIndexOf(", ") + 2));
    assertArrayEquals(bytes("1"), get(cli.path("s"), "a"));
    assertArrayEquals(bytes("two\twith tab"), get(cli.path("s"), "b"));
    assertArrayEquals(new byte[0], get(cli.path("s"), "c"));
  }

  @Test
  public void emptyInputCreatesAnEmptyStoreAndSaysSo() throws Exception {
    CliResult r = cli.runWithInput("", "create", cli.path("s"));
    assertEquals(r.toString(), 0, r.status);
    assertTrue(r.out, r.out.startsWith("created file:" + cli.path("s") + ": 0 pairs, "));
    assertEquals("kvstore create: standard input held no pairs: the store is empty\n", r.err);
    assertEquals(0, size(cli.path("s")));

    String blank = cli.file("blank.tsv", "\n\n");
    r = cli.run("create", cli.path("sorted"), "--input", blank, "--sort");
    assertEquals(r.toString(), 0, r.status);
    assertEquals("kvstore create: " + blank + " held no pairs: the store is empty\n", r.err);
    assertEquals(0, size(cli.path("sorted")));
  }

  @Test
  public void createsFromStandardInputByDefault() throws Exception {
    assertOk(cli.runWithInput("x\t1\ny\t2\n", "create", cli.path("s")));
    assertEquals(2, size(cli.path("s")));
  }

  @Test
  public void createsFromDashAsStandardInput() throws Exception {
    assertOk(cli.runWithInput("x\t1\n", "create", cli.path("s"), "--input", "-"));
    assertArrayEquals(bytes("1"), get(cli.path("s"), "x"));
  }

  @Test
  public void decodesEscapesInTextInput() throws Exception {
    assertOk(cli.runWithInput("a\\x00b\tback\\\\slash\\x0A\n", "create", cli.path("s")));
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create().openStore(
        new Path(cli.path("s")))) {
      assertArrayEquals(bytes("back\\slash\n"), r.get(new byte[] {'a', 0, 'b'}));
    }
  }

  @Test
  public void decodesHexInput() throws Exception {
    assertOk(cli.runWithInput("00ff\tCAFE\n", "create", cli.path("s"), "--hex"));
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create().openStore(
        new Path(cli.path("s")))) {
      assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, r.get(new byte[] {0, (byte) 0xFF}));
    }
  }

  @Test
  public void refusesBadHexWithLineNumber() throws Exception {
    CliResult r = cli.runWithInput("00\t11\nzz\t22\n", "create", cli.path("s"), "--hex");
    assertFails(r, 1, "line 2: key is not valid hex");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void refusesUnsortedInputWithLineNumberAndLeavesNothing() throws Exception {
    CliResult r = cli.runWithInput("a\t1\nc\t3\nb\t2\n", "create", cli.path("s"));
    assertFails(r, 1, "kvstore create: line 3: key b sorts before the previous key c (line 2);"
        + " the input is not sorted (use --sort)");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void refusesDuplicateKeyWithBothLines() throws Exception {
    CliResult r = cli.runWithInput("a\t1\nb\t2\nb\t3\n", "create", cli.path("s"));
    assertFails(r, 1, "line 3: duplicate key b (first on line 2)");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void refusesLineWithoutTab() throws Exception {
    CliResult r = cli.runWithInput("a\t1\njust text\n", "create", cli.path("s"));
    assertFails(r, 1, "line 2: no tab between key and value");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void refusesExistingStore() throws Exception {
    String store = cli.store("s", 3);
    CliResult r = cli.runWithInput("a\t1\n", "create", store);
    assertFails(r, 1, "kvstore create: ");
    assertTrue(r.err, r.err.contains("exist"));
    assertEquals(3, size(store));
  }

  @Test
  public void sortRefusesExistingStoreBeforeReading() throws Exception {
    String store = cli.store("s", 3);
    assertFails(cli.runWithInput("b\t1\na\t2\n", "create", store, "--sort"), 1, "already exists");
    assertEquals(3, size(store));
  }

  @Test
  public void sortsUnsortedInputInMemory() throws Exception {
    CliResult r = cli.runWithInput("c\t3\na\t1\nb\t2\n", "create", cli.path("s"), "--sort");
    assertOk(r);
    CliResult scan = cli.run("scan", cli.path("s"));
    assertEquals("a\t1\nb\t2\nc\t3\n", scan.out);
  }

  @Test
  public void sortSpillsRunsToDiskAndMergesThemAndCleansUp() throws Exception {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(42));
    StringBuilder tsv = new StringBuilder();
    for (int i : order) {
      tsv.append(String.format("key%05d\tvalue%d%n", i, i));
    }
    File tmp = folder.newFolder("sort-tmp");
    CliResult r = cli.run("create", cli.path("s"), "--input", cli.file("in.tsv", tsv.toString()),
        "--sort", "--sort-memory", "16k", "--tmp-dir", tmp.getPath());
    assertOk(r);
    assertEquals(0, tmp.list().length);
    CliResult scan = cli.run("scan", cli.path("s"));
    String[] lines = scan.out.split("\n");
    assertEquals(3000, lines.length);
    for (int i = 0; i < 3000; i++) {
      assertEquals(String.format("key%05d\tvalue%d", i, i), lines[i]);
    }
  }

  @Test
  public void sortRefusesDuplicateKeysAcrossRunsNamingBothLines() throws Exception {
    StringBuilder tsv = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      tsv.append(String.format("key%05d\tv%n", 1000 - i));
    }
    tsv.append("key00900\tagain\n");
    File tmp = folder.newFolder("sort-tmp");
    CliResult r = cli.run("create", cli.path("s"), "--input", cli.file("in.tsv", tsv.toString()),
        "--sort", "--sort-memory", "4k", "--tmp-dir", tmp.getPath());
    assertFails(r, 1, "line 501: duplicate key key00900 (first on line 101)");
    assertFalse(new File(cli.path("s")).exists());
    assertEquals(0, tmp.list().length);
  }

  @Test
  public void sortOptionsWithoutSortAreUsageErrors() throws Exception {
    assertFails(cli.run("create", cli.path("s"), "--sort-memory", "1m"), 2, "go with --sort");
  }

  @Test
  public void unknownFormatIsUsageError() throws Exception {
    assertFails(cli.run("create", cli.path("s"), "--format", "csv"), 2,
        "--format must be tsv or seqfile");
  }

  @Test
  public void sequenceFileFromStandardInputIsUsageError() throws Exception {
    assertFails(cli.run("create", cli.path("s"), "--format", "seqfile"), 2,
        "--format seqfile needs --input FILE");
  }

  @Test
  public void missingInputFileFails() throws Exception {
    assertFails(cli.run("create", cli.path("s"), "--input", cli.path("nothing.tsv")), 1,
        "nothing.tsv");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void createsFromSequenceFileOfBytesWritable() throws Exception {
    String seq = writeSequenceFile("in.seq", new BytesWritable(), new BytesWritable(), 3);
    assertOk(cli.run("create", cli.path("s"), "--input", seq, "--format", "seqfile"));
    assertArrayEquals(bytes("v1"), get(cli.path("s"), "k1"));
    assertEquals(3, size(cli.path("s")));
  }

  @Test
  public void createsFromSequenceFileOfText() throws Exception {
    String seq = writeSequenceFile("in.seq", new Text(), new Text(), 4);
    assertOk(cli.run("create", cli.path("s"), "--input", seq, "--format", "seqfile"));
    assertArrayEquals(bytes("v3"), get(cli.path("s"), "k3"));
  }

  @Test
  public void refusesSequenceFileOfOtherTypes() throws Exception {
    Path file = new Path(cli.path("in.seq"));
    try (SequenceFile.Writer w = SequenceFile.createWriter(new Configuration(),
        SequenceFile.Writer.file(file), SequenceFile.Writer.keyClass(IntWritable.class),
        SequenceFile.Writer.valueClass(Text.class))) {
      w.append(new IntWritable(1), new Text("x"));
    }
    assertFails(cli.run("create", cli.path("s"), "--input", file.toString(), "--format",
        "seqfile"), 1, "key class is org.apache.hadoop.io.IntWritable");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void refusesUnsortedSequenceFileWithRecordNumber() throws Exception {
    Path file = new Path(cli.path("in.seq"));
    try (SequenceFile.Writer w = SequenceFile.createWriter(new Configuration(),
        SequenceFile.Writer.file(file), SequenceFile.Writer.keyClass(Text.class),
        SequenceFile.Writer.valueClass(Text.class))) {
      w.append(new Text("b"), new Text("1"));
      w.append(new Text("a"), new Text("2"));
    }
    assertFails(cli.run("create", cli.path("s"), "--input", file.toString(), "--format",
        "seqfile"), 1, "record 2: key a sorts before the previous key b (record 1)");
  }

  @Test
  public void sortsSequenceFile() throws Exception {
    Path file = new Path(cli.path("in.seq"));
    try (SequenceFile.Writer w = SequenceFile.createWriter(new Configuration(),
        SequenceFile.Writer.file(file), SequenceFile.Writer.keyClass(Text.class),
        SequenceFile.Writer.valueClass(BytesWritable.class))) {
      w.append(new Text("b"), new BytesWritable(new byte[] {1}));
      w.append(new Text("a"), new BytesWritable(new byte[] {2}));
    }
    assertOk(cli.run("create", cli.path("s"), "--input", file.toString(), "--format",
        "seqfile", "--sort"));
    assertEquals("a\t\\x02\nb\t\\x01\n", cli.run("scan", cli.path("s")).out);
  }

  private String writeSequenceFile(String name, Writable key, Writable value, int n)
      throws IOException {
    Path file = new Path(cli.path(name));
    try (SequenceFile.Writer w = SequenceFile.createWriter(new Configuration(),
        SequenceFile.Writer.file(file), SequenceFile.Writer.keyClass(key.getClass()),
        SequenceFile.Writer.valueClass(value.getClass()))) {
      for (int i = 0; i < n; i++) {
        w.append(writable(key, "k" + i), writable(value, "v" + i));
      }
    }
    return file.toString();
  }

  private static Writable writable(Writable kind, String s) {
    return kind instanceof Text ? new Text(s) : new BytesWritable(bytes(s));
  }
}
