package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What {@code create --input} accepts (as {@code hadoop fs -text} does) and the one TSV
 * convention that {@code create} and {@code build} share, with {@code --raw} for both.
 */
public class InputFormatsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;
  private String hadoopTmp;

  @Before
  public void setUp() throws Exception {
    cli = new CliFixture(folder);
    hadoopTmp = "hadoop.tmp.dir=" + folder.newFolder("hadoop-tmp").getPath();
  }

  private String gzip(String name, String content) throws Exception {
    File f = new File(folder.getRoot(), name);
    try (OutputStream out = new GZIPOutputStream(new FileOutputStream(f))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return f.getPath();
  }

  private String sequenceFile(String name, String... pairs) throws Exception {
    Path file = new Path(cli.path(name));
    try (SequenceFile.Writer w = SequenceFile.createWriter(new Configuration(),
        SequenceFile.Writer.file(file), SequenceFile.Writer.keyClass(Text.class),
        SequenceFile.Writer.valueClass(BytesWritable.class))) {
      for (int i = 0; i < pairs.length; i += 2) {
        w.append(new Text(pairs[i]), new BytesWritable(CliFixture.bytes(pairs[i + 1])));
      }
    }
    return file.toString();
  }

  private static boolean containsByte(String file, byte b) throws Exception {
    File f = new File(new Path(file).toUri().getPath());
    for (byte x : java.nio.file.Files.readAllBytes(f.toPath())) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }

  private String scan(String store) throws Exception {
    CliResult r = cli.run("scan", store);
    assertOk(r);
    return r.out;
  }

  @Test
  public void createReadsGzippedTsvByItsExtension() throws Exception {
    String in = gzip("in.tsv.gz", "a\t1\nb\t2\n");
    assertOk(cli.run("create", cli.path("s"), "--input", in));
    assertEquals("a\t1\nb\t2\n", scan(cli.path("s")));
  }

  @Test
  public void createReadsGzipByItsMagicWithoutAnExtension() throws Exception {
    String in = gzip("in.data", "a\t1\n");
    assertOk(cli.run("create", cli.path("s"), "--input", in));
    assertEquals("a\t1\n", scan(cli.path("s")));
  }

  @Test
  public void createDetectsASequenceFileWithoutFormat() throws Exception {
    String in = sequenceFile("in.seq", "a", "1", "b", "2");
    // The header's 16-byte sync marker is random: with a tab in it (about 1 file in 16) the
    // bytes read as text have a "key<TAB>value" line. Write the file again until it has none, so
    // the forced-text case below always meets a line without a tab.
    for (int attempt = 0; attempt < 200 && containsByte(in, (byte) '\t'); attempt++) {
      in = sequenceFile("in.seq", "a", "1", "b", "2");
    }
    assertFalse(containsByte(in, (byte) '\t'));
    assertOk(cli.run("create", cli.path("s"), "--input", in));
    assertEquals("a\t1\nb\t2\n", scan(cli.path("s")));
    // Forced text, it is refused rather than read as garbage.
    assertFails(cli.run("create", cli.path("t"), "--input", in, "--format", "tsv"), 1,
        "line 1: no tab between key and value");
    assertFails(cli.run("create", cli.path("u"), "--input", cli.file("x.tsv", "a\t1\n"),
        "--format", "seqfile"), 1, "is not a SequenceFile");
  }

  @Test
  public void createReadsADirectoryAndAGlobInNameOrderSkippingHiddenFiles() throws Exception {
    File dir = folder.newFolder("in");
    cli.file("in/part-00000", "a\t1\n");
    gzip("in/part-00001.gz", "b\t2\n");
    sequenceFile("in/part-00002", "c", "3");
    cli.file("in/_SUCCESS", "");
    cli.file("in/.part-00000.crc", "not pairs");
    assertOk(cli.run("create", cli.path("d"), "--input", dir.getPath()));
    assertEquals("a\t1\nb\t2\nc\t3\n", scan(cli.path("d")));
    assertOk(cli.run("create", cli.path("g"), "--input", dir.getPath() + "/part-0000[01]*"));
    assertEquals("a\t1\nb\t2\n", scan(cli.path("g")));
  }

  @Test
  public void createAcrossFilesNamesTheFileOfABadLine() throws Exception {
    folder.newFolder("in");
    cli.file("in/a.tsv", "a\t1\n");
    String second = cli.file("in/b.tsv", "b\t2\nno tab here\n");
    CliResult r = cli.run("create", cli.path("s"), "--input", cli.path("in"));
    assertFails(r, 1, "file:" + second + " line 2: no tab between key and value");
    assertFalse(new File(cli.path("s")).exists());
  }

  @Test
  public void createOfAGlobMatchingNothingFails() throws Exception {
    assertFails(cli.run("create", cli.path("s"), "--input", cli.path("none*")), 1,
        "matches no file");
    assertFails(cli.run("create", cli.path("s"), "--input", cli.path("none")), 1, "not found");
  }

  @Test
  public void createAndBuildGiveTheSameStoreFromOneTsv() throws Exception {
    String tsv = "k\\x090\ttab\\x09inside\nk1\t{\"p\":\"C:\\\\dir\"}\n";
    String in = cli.file("in.tsv", tsv);
    assertOk(cli.run("create", cli.path("created"), "--input", in));
    CliResult built = cli.run("-D", hadoopTmp, "build", in, cli.path("built"));
    assertEquals(built.toString(), 0, built.status);
    assertEquals(scan(cli.path("created")), scan(cli.path("built")));
    CliResult get = cli.run("get", cli.path("built"), "k1");
    // The backslash of the JSON is one byte, printed escaped as it was typed.
    assertEquals("k1\t{\"p\":\"C:\\\\dir\"}\n", get.out);
    assertEquals("same: 2 pairs\n", cli.run("compare", cli.path("created"),
        cli.path("built")).out);
  }

  @Test
  public void rawKeepsBackslashesInCreateAndBuild() throws Exception {
    String in = cli.file("in.tsv", "p\tC:\\dir\\q\n");
    assertOk(cli.run("create", cli.path("created"), "--input", in, "--raw"));
    CliResult built = cli.run("-D", hadoopTmp, "build", in, cli.path("built"), "--raw");
    assertEquals(built.toString(), 0, built.status);
    assertEquals("p\tC:\\\\dir\\\\q\n", scan(cli.path("created")));
    assertEquals("same: 1 pairs\n", cli.run("compare", cli.path("created"),
        cli.path("built")).out);
    assertFails(cli.run("create", cli.path("x"), "--input", in, "--raw", "--hex"), 2,
        "--raw excludes --hex and --base64");
  }

  @Test
  public void buildRefusesAnInvalidEscapeNamingTheFileAndOffset() throws Exception {
    String in = cli.file("in.tsv", "a\t1\nb\tC:\\dir\n");
    CliResult r = cli.run("-D", hadoopTmp, "build", in, cli.path("out"));
    // The mapper's message (file, byte offset, escape) is pinned by TabSeparatedLineMapperTest:
    // the local runner hands it to the tool only through its log.
    assertFails(r, 1, "kvstore build: job ");
    assertFalse(new File(cli.path("out"), "_kvstore_manifest").exists());
  }

  @Test
  public void buildRefusesALineWithoutATabAsCreateDoes() throws Exception {
    String in = cli.file("in.tsv", "a\t1\nlonely\n");
    assertFails(cli.run("-D", hadoopTmp, "build", in, cli.path("out")), 1, "kvstore build: job ");
    assertFalse(new File(cli.path("out"), "_kvstore_manifest").exists());
    assertFails(cli.run("create", cli.path("s"), "--input", in), 1,
        "line 2: no tab between key and value");
    assertTrue(new File(in).exists());
  }

  @Test
  public void aPipeIsReadOnceLosingNothing() throws Exception {
    File fifo = new File(folder.getRoot(), "fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.getPath()).start();
    assertEquals(0, mkfifo.waitFor());
    StringBuilder tsv = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      tsv.append(String.format("key%05d\tvalue-%d%n", i, i));
    }
    Thread writer = new Thread(() -> {
      try (OutputStream out = new FileOutputStream(fifo)) {
        out.write(tsv.toString().getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    CliResult r = cli.run("create", cli.path("s"), "--input", fifo.getPath(), "--sort");
    writer.join();
    assertEquals(r.toString(), 0, r.status);
    assertTrue(r.out, r.out.contains(": 2000 pairs,"));
    assertEquals(tsv.toString(), scan(cli.path("s")));
  }
}
