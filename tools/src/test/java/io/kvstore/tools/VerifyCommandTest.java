package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.format.StoreLayout;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code kvstore verify} on intact and damaged stores. Most damage is done with the local
 * filesystem's .crc side files removed, so kvstore's own checks must find it.
 */
public class VerifyCommandTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;
  private String store;

  @Before
  public void setUp() throws Exception {
    cli = new CliFixture(folder);
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    // Uncompressed, so that byte 112 lies in a record (the 6th, at offset 103) whatever the
    // values; CompressionCommandsTest damages dictionaries.
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    store = cli.store("s", 400, conf);
  }

  private File partition(int i) {
    return new File(store, String.format("part-%05d.kvp", i));
  }

  private void damage(File file, long offset) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x40);
    }
    Files.deleteIfExists(new File(file.getParent(), "." + file.getName() + ".crc").toPath());
  }

  @Test
  public void intactStorePasses() throws Exception {
    CliResult r = cli.run("verify", store);
    assertOk(r);
    assertTrue(r.out, r.out.startsWith("part-00000.kvp: ok ("));
    assertTrue(r.out, r.out.contains("verified file:" + store + ": "));
    assertTrue(r.out, r.out.endsWith(", 400 pairs, " + r.out.replaceAll("(?s).*400 pairs, ", "")));
    assertTrue(r.out, r.out.endsWith("; every checksum matches\n"));
  }

  @Test
  public void wrongUsedSlotCountIsFoundByTheIndexCheck() throws Exception {
    // A used hash slot cleared, its chunk's checksum and the chunk section's recomputed: no
    // lookup can tell (the key just looks absent), only the whole-index count can.
    File file = partition(1);
    byte[] bytes = Files.readAllBytes(file.toPath());
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int footer = bytes.length - 104;
    assertEquals(3, le.getInt(footer + 88));
    long keys = le.getLong(footer);
    int index = (int) le.getLong(footer + 16);
    int slots = (int) le.getLong(footer + 24);
    int chunkSlots = le.getInt(footer + 68);
    int chunks = (slots + chunkSlots - 1) / chunkSlots;
    int table = index + 8 * slots;
    int used = 0;
    while (le.getLong(index + 8 * used) == 0) {
      used++;
    }
    le.putLong(index + 8 * used, 0);
    int chunk = used / chunkSlots;
    int from = index + 8 * chunk * chunkSlots;
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, Math.min(table, from + 8 * chunkSlots) - from);
    le.putInt(table + 4 * chunk, (int) crc.getValue());
    crc.reset();
    crc.update(bytes, table, 4 * chunks);
    le.putInt(table + 4 * chunks, (int) crc.getValue());
    Files.write(file.toPath(), bytes);
    Files.deleteIfExists(new File(file.getParent(), "." + file.getName() + ".crc").toPath());
    CliResult r = cli.run("verify", store);
    assertEquals(r.toString(), 1, r.status);
    assertTrue(r.out, r.out.contains("part-00001.kvp: CORRUPT: hash index holds " + (keys - 1)
        + " entries for " + keys + " keys\n"));
    assertTrue(r.out, r.out.contains("part-00000.kvp: ok"));
  }

  @Test
  public void damagedRecordIsFoundByTheScan() throws Exception {
    damage(partition(1), 100);
    CliResult r = cli.run("verify", store);
    assertEquals(r.toString(), 1, r.status);
    assertTrue(r.out, r.out.contains("part-00001.kvp: CORRUPT: "));
    assertTrue(r.out, r.out.contains("part-00000.kvp: ok"));
    assertTrue(r.out, r.out.contains("part-00002.kvp: ok"));
    assertTrue(r.out, r.out.endsWith("FAILED: 1 of " + (r.out.split("\n").length - 1)
        + " partitions have problems\n"));
  }

  @Test
  public void corruptLineStatesTheProblemWithoutRepeatingTheFile() throws Exception {
    damage(partition(1), 112);
    CliResult r = cli.run("verify", store);
    assertEquals(r.toString(), 1, r.status);
    String line = null;
    for (String l : r.out.split("\n")) {
      if (l.startsWith("part-00001.kvp: ")) {
        line = l;
      }
    }
    assertTrue(r.out, line != null && line.startsWith("part-00001.kvp: CORRUPT: after record "));
    assertTrue(line, line.endsWith(": record checksum mismatch at offset 103"));
    assertTrue(line, !line.contains("Corrupt key-value store file"));
    assertTrue(line, !line.contains(partition(1).getPath()));
  }

  @Test
  public void damageOutsideTheRecordsIsFoundByTheFileChecksum() throws Exception {
    File file = partition(0);
    damage(file, file.length() - 40);
    CliResult r = cli.run("verify", store);
    assertEquals(r.toString(), 1, r.status);
    assertTrue(r.out, r.out.contains("part-00000.kvp: CORRUPT: "));
  }

  @Test
  public void everyDamagedFileIsReportedOnce() throws Exception {
    damage(partition(0), 100);
    damage(partition(2), 100);
    damage(partition(2), 200);
    CliResult r = cli.run("verify", store);
    assertEquals(1, r.status);
    assertEquals(r.out, 2, r.out.split("CORRUPT").length - 1);
    assertTrue(r.out, r.out.contains("FAILED: 2 of "));
  }

  @Test
  public void missingPartitionIsReported() throws Exception {
    assertTrue(partition(1).delete());
    CliResult r = cli.run("verify", store);
    assertEquals(1, r.status);
    assertTrue(r.out, r.out.contains("part-00001.kvp: CORRUPT: file is missing\n"));
  }

  @Test
  public void truncatedPartitionIsReported() throws Exception {
    File file = partition(1);
    long length = file.length();
    try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
      f.setLength(length - 10);
    }
    Files.deleteIfExists(new File(store, ".part-00001.kvp.crc").toPath());
    CliResult r = cli.run("verify", store);
    assertEquals(1, r.status);
    assertTrue(r.out, r.out.contains("part-00001.kvp: CORRUPT: file is " + (length - 10)
        + " bytes, the manifest says " + length + "\n"));
  }

  @Test
  public void damagedRecordWithIntactHadoopChecksumFileIsReportedForThatFile() throws Exception {
    // The byte changes under Hadoop's .crc side file too; kvstore reads local partitions past
    // that layer, so its own record CRC32C is what must catch the damage.
    try (RandomAccessFile f = new RandomAccessFile(partition(1), "rw")) {
      f.seek(112);
      f.write('!');
    }
    CliResult r = cli.run("verify", store);
    assertEquals(1, r.status);
    assertTrue(r.out, r.out.contains("part-00001.kvp: CORRUPT: after record 5: record checksum"
        + " mismatch at offset 103\n"));
    assertTrue(r.out, r.out.contains("part-00000.kvp: ok"));
    assertTrue(r.out, r.out.contains("part-00002.kvp: ok"));
  }

  @Test
  public void damagedManifestIsReported() throws Exception {
    File manifest = new File(store, StoreLayout.MANIFEST_NAME);
    damage(manifest, manifest.length() - 8);
    CliResult r = cli.run("verify", store);
    assertEquals(1, r.status);
    assertTrue(r.out, r.out.startsWith("manifest: "));
    assertTrue(r.out, r.out.endsWith("FAILED: the manifest is damaged; no partition can be"
        + " checked\n"));
  }

  @Test
  public void missingStoreFails() throws Exception {
    assertFails(cli.run("verify", cli.path("none")), 1, "does not exist");
  }

  @Test
  public void verifyNeedsOneStore() throws Exception {
    assertFails(cli.run("verify"), 2, "missing argument");
  }
}
