package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code kvstore stats}: sizes, partitions, bytes per pair, compression. */
public class StatsCommandTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  /** 100 pairs: keys of 1, 2, 4 bytes... values of i bytes; small partitions. */
  private String store() throws Exception {
    return store("s", "none");
  }

  /** The same pairs, values compressed by {@code codec}. */
  private String store(String name, String codec) throws Exception {
    String path = cli.path(name);
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 2048);
    KeyValueConf.COMPRESSION_CODEC.setString(conf, codec);
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(new Path(path))) {
      for (int i = 0; i < 100; i++) {
        w.put(CliFixture.bytes(String.format("%03d", i)), new byte[i]);
      }
    }
    return path;
  }

  @Test
  public void textShowsDistributionsPartitionsAndBytesPerPair() throws Exception {
    String store = store();
    CliResult r = cli.run("stats", store);
    assertOk(r);
    assertTrue(r.out, r.out.contains("pairs:           100\n"));
    assertTrue(r.out, r.out.contains("compression:     none\n"));
    assertTrue(r.out, r.out.contains("key size (bytes): min 3, mean 3.0, max 3\n"));
    assertTrue(r.out, r.out.contains("                  2-3          100  100.0%\n"));
    assertTrue(r.out, r.out.contains("value size (bytes): min 0, mean 49.5, max 99\n"));
    // Values 0..99: 1 of 0, 1 of 1, 2 of 2-3, 4, 8, 16, 32, then 36 of 64-127.
    assertTrue(r.out, r.out.contains("                    0            1    1.0%\n"));
    assertTrue(r.out, r.out.contains("                64-127           36   36.0%\n"));
    assertTrue(r.out, r.out.contains("(pairs per partition: min "));
  }

  @Test
  public void jsonAgreesWithTheManifest() throws Exception {
    String store = store();
    CliResult r = cli.run("stats", store, "--json");
    assertOk(r);
    JsonNode json = new ObjectMapper().readTree(r.out);
    StoreManifest m = StoreManifest.read(FileSystem.getLocal(new Configuration()),
        new Path(store));
    assertEquals(100, json.get("pairs").asLong());
    assertEquals(m.getPartitions().size(), json.get("partitions").asInt());
    assertTrue(m.getPartitions().size() > 1);
    assertEquals(m.getSizeBytes(), json.get("sizeBytes").asLong());
    assertEquals((double) m.getSizeBytes() / 100, json.get("bytesPerPair").asDouble(), 1e-9);
    assertEquals(4950, json.get("valueSize").get("totalBytes").asLong());
    assertEquals("none", json.get("compression").asText());
    long sum = 0;
    for (JsonNode bucket : json.get("valueSize").get("histogram")) {
      sum += bucket.get("pairs").asLong();
    }
    assertEquals(100, sum);
  }

  @Test
  public void compressionIsReadFromThePartitionsWithItsRatio() throws Exception {
    String store = store("z", "zstd");
    CliResult r = cli.run("stats", store);
    assertOk(r);
    // Values of i zero bytes shrink: the ratio is above 1 and names the bytes it stands for.
    assertTrue(r.out, r.out.contains("compression:     zstd ("));
    assertTrue(r.out, r.out.contains("x: 5250 bytes of keys and values in "));
    String ratio = r.out.split("compression:     zstd \\(")[1].split("x:")[0];
    assertTrue(r.out, Double.parseDouble(ratio) > 1.0);
    JsonNode json = new ObjectMapper().readTree(cli.run("stats", store, "--json").out);
    assertTrue(json.toString(), json.get("compression").asText().startsWith("zstd ("));
  }

  @Test
  public void emptyStore() throws Exception {
    CliResult r = cli.run("stats", cli.store("e", 0));
    assertOk(r);
    assertTrue(r.out, r.out.contains("pairs:           0\n"));
    assertTrue(r.out, r.out.contains("key size: no pairs\n"));
  }
}
