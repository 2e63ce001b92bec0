package io.kvstore.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertNull;

import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import io.kvstore.format.StoreManifest;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every adapter builds a small store that returns the generated values (what Verifier checks). */
public class SystemsTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

  @Test
  public void everySystemRoundTripsTheDataSet() throws Exception {
    Configuration conf = new Configuration();
    FileSystem fs = FileSystem.getLocal(conf);
    DataSet data = DataSet.generate(2000, 100, 11);
    for (BenchSystem s : Systems.all(conf)) {
      Path dir = new Path(tmp.getRoot().getAbsolutePath(), s.name());
      s.build(data, fs, dir);
      Verifier.verify(data, s, fs, dir, 500);
      try (Lookup l = s.open(fs, dir); Lookup other = l.forThread()) {
        byte[] key = new byte[16];
        DataSet.absentKey(data.hiAt(0), key);
        assertNull(s.name(), other.get(key));
      }
    }
  }

  @Test
  public void rawWriteWritesEveryPayloadByte() throws Exception {
    Configuration conf = new Configuration();
    FileSystem fs = FileSystem.getLocal(conf);
    DataSet data = DataSet.generate(5000, 100, 12);
    Path file = new Path(tmp.getRoot().getAbsolutePath(), "raw.bin");
    RawReference.write(data, fs, file);
    assertEquals(data.payloadBytes(), fs.getFileStatus(file).getLen());
    assertEquals(data.payloadBytes(), RawReference.readSequentially(fs, java.util.List.of(file)));
  }

  /**
   * The raw pread reference of the HDFS workload reads {@link HdfsWorkload#recordLength} bytes
   * per lookup; that must be the length of a record in the files kvstore writes. Read from real
   * partition files per docs/format.md: the data section (offset 16 to {@code dataEnd}, footer
   * bytes 8..15) holds {@code keyCount} (footer bytes 0..7) records of equal length, and the
   * footer's {@code maxRecordLength} (bytes 40..43) is that length. The value lengths cross both
   * varint boundaries.
   */
  @Test
  public void kvstoreRecordLengthMatchesFile() throws Exception {
    Configuration conf = new Configuration();
    // As the HDFS workload builds it: uncompressed (RunAll sets codec none for workloads 1-7).
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    FileSystem fs = FileSystem.getLocal(conf);
    for (int valueLength : new int[] {100, 127, 128, 16_383, 16_384}) {
      DataSet data = DataSet.generate(20, valueLength, 3);
      Path dir = new Path(tmp.getRoot().getAbsolutePath(), "kv" + valueLength);
      new KvstoreSystem(conf).build(data, fs, dir);
      long records = 0;
      for (PartitionInfo p : StoreManifest.read(fs, dir).getPartitions()) {
        byte[] file = Files.readAllBytes(new File(p.resolvedIn(dir).getPath().toUri().getPath()).toPath());
        // The footer (docs/format.md 3.6) ends with version, magic and CRC32C in every version;
        // 84 bytes in version 2, 104 in version 3, the fields read here at the same offsets.
        int version = ByteBuffer.wrap(file, file.length - 16, 4).order(ByteOrder.LITTLE_ENDIAN)
            .getInt();
        assertTrue("format version " + version, version == 2 || version == 3);
        int footerLength = version == 2 ? 84 : 104;
        ByteBuffer footer = ByteBuffer.wrap(file, file.length - footerLength, footerLength)
            .slice().order(ByteOrder.LITTLE_ENDIAN);
        long keyCount = footer.getLong(0);
        long dataEnd = footer.getLong(8);
        long dataStart = footer.getLong(48);
        assertEquals("value length " + valueLength, keyCount * HdfsWorkload.recordLength(data),
            dataEnd - dataStart);
        assertEquals("value length " + valueLength, HdfsWorkload.recordLength(data),
            footer.getInt(40));
        records += keyCount;
      }
      assertEquals(data.keyCount(), records);
    }
  }
}
