package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.format.StoreLayout;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code kvstore repair}: a lost manifest rebuilt from verified partitions, never silently. */
public class RepairCommandTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;
  private String store;
  private String before;

  @Before
  public void setUp() throws Exception {
    cli = new CliFixture(folder);
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    store = cli.store("s", 600, conf);
    before = cli.run("scan", store).out;
    assertTrue(new File(store, "part-00003.kvp").exists());
    assertTrue(new File(store, StoreLayout.MANIFEST_NAME).delete());
  }

  private File partition(int n) {
    return new File(store, String.format("part-%05d.kvp", n));
  }

  @Test
  public void aLostManifestIsRebuiltAndEveryKeyIsFoundAgain() throws Exception {
    // Before: the store seems incomplete; the message points at repair as well as rm.
    assertFails(cli.run("get", store, "k0001"), 1, "kvstore repair rebuilds one");
    CliResult r = cli.run("repair", store);
    assertOk(r);
    assertTrue(r.out, r.out.startsWith("ok       part-00000.kvp: "));
    assertTrue(r.out, r.out.contains("repaired file:" + store + ": manifest of "));
    assertTrue(r.out, r.out.endsWith(", 600 pairs\n"));
    assertEquals(before, cli.run("scan", store).out);
    assertEquals("k0599\tv599\n", cli.run("get", store, "k0599").out);
    assertOk(cli.run("verify", store));
    assertTrue(cli.run("info", store).out.contains("property:    repaired.by = kvstore repair"));
  }

  @Test
  public void dryRunPublishesNothing() throws Exception {
    CliResult r = cli.run("repair", store, "--dry-run");
    assertOk(r);
    assertTrue(r.out, r.out.contains("dry run: would write a manifest of "));
    assertFalse(new File(store, StoreLayout.MANIFEST_NAME).exists());
  }

  @Test
  public void aDamagedPartitionIsRefusedNamingItUnlessDroppedExplicitly() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(partition(2), "rw")) {
      f.seek(40);
      int b = f.read();
      f.seek(40);
      f.write(b ^ 0x10);
    }
    new File(store, ".part-00002.kvp.crc").delete();
    CliResult r = cli.run("repair", store);
    assertEquals(r.toString(), 1, r.status);
    assertTrue(r.out, r.out.contains("damaged  part-00002.kvp: "));
    assertEquals("kvstore repair: 1 damaged partition (part-00002.kvp); no manifest written."
        + " --drop-damaged writes one without them, losing their keys\n", r.err);
    assertFalse(new File(store, StoreLayout.MANIFEST_NAME).exists());

    CliResult dropped = cli.run("repair", store, "--drop-damaged");
    assertEquals(dropped.toString(), 0, dropped.status);
    assertTrue(dropped.out, dropped.out.contains("; left out damaged part-00002.kvp\n"));
    assertTrue(partition(2).exists());
    assertEquals("k0000\tv0\n", cli.run("get", store, "k0000").out);
    assertTrue(cli.run("info", store).out.contains("dropped damaged part-00002.kvp"));
  }

  @Test
  public void aPartitionDeletedWithTheManifestIsReportedAsAGap() throws Exception {
    assertTrue(partition(1).delete());
    new File(store, ".part-00001.kvp.crc").delete();
    CliResult r = cli.run("repair", store);
    assertEquals(r.toString(), 0, r.status);
    assertTrue(r.out, r.out.contains("warning: no file for part-00001: partitions possibly"
        + " deleted; their keys cannot be recovered\n"));
  }

  @Test
  public void aStoreWithAReadableManifestOrAWriterAtWorkIsLeftAlone() throws Exception {
    assertOk(cli.run("repair", store));
    CliResult again = cli.run("repair", store);
    assertOk(again);
    assertTrue(again.out, again.out.contains("has a readable manifest: nothing to repair"));

    String other = cli.store("t", 10);
    assertTrue(new File(other, StoreLayout.MANIFEST_NAME).delete());
    Files.write(new File(other, StoreLayout.INCOMPLETE_MARKER_NAME).toPath(), new byte[0]);
    assertFails(cli.run("repair", other), 1, "a writer may still be at work");
    assertFalse(new File(other, StoreLayout.MANIFEST_NAME).exists());
  }

  @Test
  public void aDirectoryWithoutPartitionsIsRefused() throws Exception {
    assertFails(cli.run("repair", folder.newFolder("nothing").getPath()), 1,
        "holds no partition files");
  }
}
