package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code get --degraded} and {@code scan --degraded} on a store with a truncated partition. */
public class DegradedReadCliTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void degradedGetServesOtherPartitionsAndNamesTheDamagedOne() throws Exception {
    CliFixture cli = new CliFixture(folder);
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    String store = cli.store("s", 1000, conf);
    File victim = new File(store, "part-00001.kvp");
    String firstOfVictim;
    // The victim's first key from the manifest, through the client rather than info's columns.
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf)
        .openStore(new Path(new File(store).toURI()))) {
      firstOfVictim = new String(reader.partitions().get(1).getFirstKey(), StandardCharsets.UTF_8);
    }
    try (RandomAccessFile f = new RandomAccessFile(victim, "rw")) {
      f.setLength(f.length() - 10);
    }
    new File(store, ".part-00001.kvp.crc").delete();

    assertFails(cli.run("get", store, "k0000"), 1, "part-00001.kvp");
    CliResult ok = cli.run("get", store, "k0000", "--degraded");
    assertEquals(ok.toString(), 0, ok.status);
    assertEquals("k0000\tv0\n", ok.out);
    CliResult refused = cli.run("get", store, firstOfVictim, "--degraded");
    assertEquals(refused.toString(), 1, refused.status);
    assertTrue(refused.err, refused.err.contains("Corrupt key-value store file "));
    assertTrue(refused.err, refused.err.contains("part-00001.kvp: unusable, and it may hold the"
        + " key asked for"));
    CliResult scan = cli.run("scan", store, "--degraded");
    assertEquals(1, scan.status);
    assertTrue(scan.out, scan.out.startsWith("k0000\tv0\n"));
    assertTrue(scan.err, scan.err.contains("part-00001.kvp"));
    assertEquals(cli.run("scan", store, "--degraded", "--to", firstOfVictim).out, scan.out);
  }
}
