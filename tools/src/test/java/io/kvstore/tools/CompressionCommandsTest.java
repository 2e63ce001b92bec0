package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.VersionOneFixture;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The CLI and compression: {@code create --compression}, {@code info} showing each partition's
 * codec, dictionary size and ratio, {@code verify} checking dictionaries, and both on a store of
 * format version 1.
 */
public class CompressionCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  private static String json(int i) {
    return String.format("{\"user\":%d,\"name\":\"user-%d\",\"country\":\"%s\",\"tags\":"
        + "[\"alpha\",\"beta\"],\"score\":%d}", i * 31, i, i % 2 == 0 ? "SE" : "DE", i % 97);
  }

  private String textStore(String name, String codec) throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.COMPRESSION_CODEC.setString(conf, codec);
    String path = cli.path(name);
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(new Path(path))) {
      for (int i = 0; i < 3000; i++) {
        w.put(String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8),
            json(i).getBytes(StandardCharsets.UTF_8));
      }
    }
    return path;
  }

  @Test
  public void createWritesTheCodecItIsGiven() throws Exception {
    StringBuilder tsv = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      tsv.append(String.format("key-%06d\t%s%n", i, json(i)));
    }
    String input = cli.file("in.tsv", tsv.toString());
    String store = cli.path("lz4");
    assertOk(cli.run("create", store, "--input", input, "--compression", "LZ4"));
    CliResult info = cli.run("info", store);
    assertOk(info);
    assertTrue(info.out, info.out.contains("compression: lz4 (format 3) x1; dictionaries 0 B;"
        + " ratio "));
    assertOk(cli.run("verify", store));
  }

  @Test
  public void createRefusesAnUnknownCodec() throws Exception {
    String input = cli.file("in.tsv", "a\tb\n");
    assertFails(cli.run("create", cli.path("x"), "--input", input, "--compression", "gzip"), 2,
        "--compression: unknown compression codec 'gzip'; known: none, lz4, zstd");
    assertTrue(!new File(cli.path("x")).exists());
  }

  @Test
  public void infoShowsCodecDictionaryAndRatio() throws Exception {
    String store = textStore("zstd", "zstd");
    CliResult r = cli.run("info", store);
    assertOk(r);
    String ratio = r.out.replaceAll("(?s).*; ratio ([0-9.]+) .*", "$1");
    assertTrue(r.out, Double.parseDouble(ratio) > 2);
    assertTrue(r.out, r.out.contains("compression: zstd (format 3) x1; dictionaries "));
    assertTrue(r.out, r.out.contains(" zstd "));
    JsonNode p = new ObjectMapper().readTree(cli.run("info", store, "--json").out)
        .get("partitions").get(0);
    assertEquals("zstd", p.get("codec").asText());
    assertEquals(3, p.get("partitionFormatVersion").asInt());
    assertTrue(p.toString(), p.get("dictionaryBytes").asLong() > 1000);
    assertTrue(p.toString(), p.get("pairBytes").asLong() > 2 * p.get("dataBytes").asLong());
  }

  @Test
  public void verifyChecksTheDictionary() throws Exception {
    String store = textStore("damaged", "zstd");
    File part = new File(store, "part-00000.kvp");
    try (RandomAccessFile f = new RandomAccessFile(part, "rw")) {
      f.seek(24 + 50);
      int b = f.read();
      f.seek(24 + 50);
      f.write(b ^ 0x01);
    }
    CliResult r = cli.run("verify", store);
    assertEquals(r.toString(), 1, r.status);
    assertTrue(r.out, r.out.contains("part-00000.kvp: CORRUPT: compression section (codec and"
        + " dictionary) checksum mismatch\n"));
  }

  @Test
  public void infoAndVerifyReadAVersion1Store() throws Exception {
    String store = VersionOneFixture.copyTo(folder.newFolder()).getAbsolutePath();
    CliResult info = cli.run("info", store);
    assertOk(info);
    assertTrue(info.out, info.out.contains("compression: none (format 1) x"
        + VersionOneFixture.PARTITIONS + "; dictionaries 0 B; ratio -\n"));
    CliResult verify = cli.run("verify", store);
    assertOk(verify);
    assertTrue(verify.out, verify.out.contains(", 301 pairs, "));
  }
}
