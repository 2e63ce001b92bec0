package io.kvstore.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.File;
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

  @Test
  public void kvstoreRecordLengthMatchesFile() throws Exception {
    assertEquals(2 + 16 + 100 + 4, HdfsWorkload.recordLength(DataSet.generate(10, 100, 1)));
    assertEquals(3 + 16 + 10_000 + 4, HdfsWorkload.recordLength(DataSet.generate(10, 10_000, 1)));
  }
}
