package io.kvstore.mapreduce;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.CorruptStoreException;
import io.kvstore.IncompleteStoreException;
import io.kvstore.NotAStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreNotFoundException;
import io.kvstore.format.StoreLayout;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link KeyValueInputFormat}: splits and record reading on the local filesystem. */
public final class KeyValueInputFormatTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

  private Configuration conf;
  private FileSystem fs;
  private Path root;

  @Before
  public void setUp() throws IOException {
    new File("target").mkdirs();
    conf = new Configuration();
    fs = FileSystem.getLocal(conf);
    root = fs.makeQualified(new Path(tmp.getRoot().getAbsolutePath()));
  }

  private List<InputSplit> splitsOf(Path... stores) throws IOException {
    Job job = Job.getInstance(conf);
    KeyValueInputFormat.setInputPaths(job, stores);
    return new KeyValueInputFormat().getSplits(job);
  }

  @Test
  public void oneSplitPerPartitionInManifestOrder() throws IOException {
    Path store = new Path(root, "store");
    List<PartitionInfo> partitions = InputTestStores.write(fs, store,
        InputTestStores.pairs(2000, 100), 64 * 1024);
    assertTrue("test needs several partitions", partitions.size() > 2);

    List<InputSplit> splits = splitsOf(store);

    assertEquals(partitions.size(), splits.size());
    for (int i = 0; i < splits.size(); i++) {
      FileSplit split = (FileSplit) splits.get(i);
      assertEquals(new Path(store, partitions.get(i).getFileName()), split.getPath());
      assertEquals(0, split.getStart());
      assertEquals(partitions.get(i).getSizeBytes(), split.getLength());
      assertEquals(fs.getFileStatus(split.getPath()).getLen(), split.getLength());
      assertArrayEquals(new String[] {"localhost"}, split.getLocations());
    }
  }

  @Test
  public void filesTheManifestDoesNotListAreNotInput() throws IOException {
    Path store = new Path(root, "store");
    List<PartitionInfo> partitions = InputTestStores.write(fs, store,
        InputTestStores.pairs(10, 10), 1 << 20);
    fs.create(new Path(store, "part-99999" + StoreLayout.PARTITION_EXTENSION)).close();
    fs.create(new Path(store, StoreLayout.TEMP_PREFIX + "zombie")).close();

    List<InputSplit> splits = splitsOf(store);

    assertEquals(1, partitions.size());
    assertEquals(1, splits.size());
    assertEquals(new Path(store, partitions.get(0).getFileName()),
        ((FileSplit) splits.get(0)).getPath());
  }

  /** A table is input as its current version, chosen once when the splits are computed. */
  @Test
  public void aTableIsReadAsItsCurrentVersion() throws IOException {
    io.kvstore.KeyValueSystem kvs = io.kvstore.KeyValueSystem.Factory.create(conf);
    Path table = new Path(root, "table");
    kvs.createTable(table);
    Path build = new Path(root, "build1");
    List<PartitionInfo> v1 = InputTestStores.write(fs, build, InputTestStores.pairs(300, 50),
        16 * 1024);
    Path v1Dir = kvs.publishVersion(table, build).getPath();

    List<InputSplit> splits = splitsOf(table);
    assertEquals(v1.size(), splits.size());
    for (int i = 0; i < splits.size(); i++) {
      assertEquals(fs.makeQualified(new Path(v1Dir, v1.get(i).getFileName())),
          ((FileSplit) splits.get(i)).getPath());
    }

    Path build2 = new Path(root, "build2");
    List<PartitionInfo> v2 = InputTestStores.write(fs, build2, InputTestStores.pairs(5, 10),
        1 << 20);
    Path v2Dir = kvs.publishVersion(table, build2).getPath();
    List<InputSplit> after = splitsOf(table);
    assertEquals(v2.size(), after.size());
    assertEquals(fs.makeQualified(new Path(v2Dir, v2.get(0).getFileName())),
        ((FileSplit) after.get(0)).getPath());
  }

  /** A table with nothing published yet is refused before any task runs. */
  @Test
  public void aTableWithoutAVersionFailsGetSplits() throws IOException {
    Path table = new Path(root, "fresh");
    io.kvstore.KeyValueSystem.Factory.create(conf).createTable(table);
    try {
      splitsOf(table);
      fail("a table with no version has no store to read");
    } catch (StoreNotFoundException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("no published version"));
    }
  }

  @Test
  public void emptyStoreHasNoSplits() throws IOException {
    Path store = new Path(root, "empty");
    InputTestStores.write(fs, store, InputTestStores.sortedMap(), 1 << 20);

    assertEquals(0, splitsOf(store).size());
  }

  @Test
  public void splitsOfSeveralStoresStoreByStore() throws IOException {
    Path a = new Path(root, "a");
    Path b = new Path(root, "b");
    List<PartitionInfo> pa = InputTestStores.write(fs, a, InputTestStores.pairs(500, 100), 16 * 1024);
    List<PartitionInfo> pb = InputTestStores.write(fs, b, InputTestStores.pairs(10, 10), 1 << 20);

    List<InputSplit> splits = splitsOf(a, b);

    assertEquals(pa.size() + pb.size(), splits.size());
    assertEquals(new Path(b, pb.get(0).getFileName()),
        ((FileSplit) splits.get(splits.size() - 1)).getPath());
  }

  @Test
  public void storeNamedTwiceIsReadOnce() throws IOException {
    Path store = new Path(root, "store");
    List<PartitionInfo> partitions = InputTestStores.write(fs, store,
        InputTestStores.pairs(500, 100), 16 * 1024);

    assertEquals(partitions.size(), splitsOf(store, new Path(store.toUri().getPath())).size());
  }

  @Test
  public void absentPathFailsGetSplits() throws IOException {
    try {
      splitsOf(new Path(root, "nothing"));
      fail("expected StoreNotFoundException");
    } catch (StoreNotFoundException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("nothing"));
    }
  }

  @Test
  public void incompleteStoreFailsGetSplits() throws IOException {
    Path store = new Path(root, "half");
    fs.mkdirs(store);
    fs.create(new Path(store, StoreLayout.INCOMPLETE_MARKER_NAME)).close();
    fs.create(new Path(store, "part-00000" + StoreLayout.PARTITION_EXTENSION)).close();
    try {
      splitsOf(store);
      fail("expected IncompleteStoreException");
    } catch (IncompleteStoreException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("half"));
    }
  }

  @Test
  public void plainDirectoryFailsGetSplits() throws IOException {
    Path dir = new Path(root, "logs");
    fs.mkdirs(dir);
    fs.create(new Path(dir, "part-r-00000")).close();
    try {
      splitsOf(dir);
      fail("expected NotAStoreException");
    } catch (NotAStoreException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("logs"));
    }
  }

  @Test
  public void plainFileFailsGetSplits() throws IOException {
    Path file = new Path(root, "data.txt");
    fs.create(file).close();
    try {
      splitsOf(file);
      fail("expected NotAStoreException");
    } catch (NotAStoreException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("data.txt"));
    }
  }

  @Test
  public void oneBadStoreAmongGoodOnesFailsGetSplits() throws IOException {
    Path good = new Path(root, "good");
    InputTestStores.write(fs, good, InputTestStores.pairs(10, 10), 1 << 20);
    try {
      splitsOf(good, new Path(root, "missing"));
      fail("expected StoreNotFoundException");
    } catch (StoreNotFoundException expected) {
      // getSplits must not return the good store's splits alone.
    }
  }

  @Test
  public void partitionMissingFromDirectoryFailsGetSplits() throws IOException {
    Path store = new Path(root, "store");
    List<PartitionInfo> partitions = InputTestStores.write(fs, store,
        InputTestStores.pairs(10, 10), 1 << 20);
    fs.delete(new Path(store, partitions.get(0).getFileName()), false);
    try {
      splitsOf(store);
      fail("expected CorruptStoreException");
    } catch (CorruptStoreException e) {
      assertTrue(e.getMessage(), e.getMessage().contains(partitions.get(0).getFileName()));
    }
  }

  @Test
  public void damagedManifestFailsGetSplits() throws IOException {
    Path store = new Path(root, "store");
    fs.mkdirs(store);
    try (org.apache.hadoop.fs.FSDataOutputStream out =
        fs.create(new Path(store, StoreLayout.MANIFEST_NAME))) {
      out.write(new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'm', 'a', 'n', 'i', 'f', 'e', 's', 't'});
    }
    try {
      splitsOf(store);
      fail("expected CorruptStoreException");
    } catch (CorruptStoreException e) {
      assertTrue(e.getMessage(), e.getMessage().contains(StoreLayout.MANIFEST_NAME));
    }
  }

  @Test
  public void noInputPathIsMisuse() throws IOException {
    try {
      new KeyValueInputFormat().getSplits(Job.getInstance(conf));
      fail("expected IllegalArgumentException");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("setInputPaths"));
    }
  }

  @Test
  public void partitionsAreNotSplitable() throws IOException {
    assertFalse(new KeyValueInputFormat().isSplitable(Job.getInstance(conf), new Path(root, "x")));
  }

  @Test
  public void readerEmitsEveryPairInKeyOrder() throws Exception {
    Path store = new Path(root, "store");
    TreeMap<byte[], byte[]> pairs = InputTestStores.pairs(3000, 50);
    InputTestStores.write(fs, store, pairs, 32 * 1024);

    List<byte[][]> read = new ArrayList<>();
    for (InputSplit split : splitsOf(store)) {
      read.addAll(readAll(split));
    }

    assertPairsEqual(pairs, read);
  }

  @Test
  public void readerDecompressesValuesOfEveryCodec() throws Exception {
    TreeMap<byte[], byte[]> pairs = InputTestStores.sortedMap();
    for (int i = 0; i < 3000; i++) {
      pairs.put(String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8),
          String.format("{\"id\":%d,\"name\":\"user-%d\",\"tags\":[\"a\",\"b\"]}", i, i * 3)
              .getBytes(StandardCharsets.UTF_8));
    }
    for (String codec : new String[] {"none", "lz4", "zstd"}) {
      Path store = new Path(root, "store-" + codec);
      InputTestStores.write(fs, store, pairs, 64 * 1024, codec);
      List<byte[][]> read = new ArrayList<>();
      for (InputSplit split : splitsOf(store)) {
        read.addAll(readAll(split));
      }
      assertPairsEqual(pairs, read);
    }
  }

  @Test
  public void readerReadsAVersion1Store() throws Exception {
    Path store = new Path(io.kvstore.VersionOneFixture.copyTo(tmp.getRoot()).getAbsolutePath());
    List<InputSplit> splits = splitsOf(fs.makeQualified(store));
    assertEquals(io.kvstore.VersionOneFixture.PARTITIONS, splits.size());
    List<byte[][]> read = new ArrayList<>();
    for (InputSplit split : splits) {
      read.addAll(readAll(split));
    }
    assertPairsEqual(io.kvstore.VersionOneFixture.expectedContent(), read);
  }

  @Test
  public void readerKeepsBinaryKeysInUnsignedOrder() throws Exception {
    Path store = new Path(root, "binary");
    TreeMap<byte[], byte[]> pairs = InputTestStores.sortedMap();
    for (int i = 0; i < 256; i++) {
      pairs.put(new byte[] {(byte) i, (byte) (255 - i), (byte) 0x80}, new byte[] {(byte) i});
    }
    pairs.put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, new byte[0]);
    pairs.put(new byte[0], new byte[] {(byte) 0xC0, 0});
    InputTestStores.write(fs, store, pairs, 1 << 20);

    List<InputSplit> splits = splitsOf(store);
    assertEquals(1, splits.size());

    assertPairsEqual(pairs, readAll(splits.get(0)));
  }

  @Test
  public void progressRisesWithRecordsReadAndEndsAtOne() throws Exception {
    Path store = new Path(root, "store");
    conf.setLong("kvstore.read.buffer.bytes", 4096);
    InputTestStores.write(fs, store, InputTestStores.pairs(4000, 100), 1 << 30);
    InputSplit split = splitsOf(store).get(0);
    TaskAttemptContext context = new TaskAttemptContextImpl(conf, new TaskAttemptID());
    try (RecordReader<BytesWritable, BytesWritable> reader =
        new KeyValueInputFormat().createRecordReader(split, context)) {
      reader.initialize(split, context);
      assertEquals(0.0f, reader.getProgress(), 0.0f);
      float previous = 0;
      int n = 0;
      while (reader.nextKeyValue()) {
        n++;
        float progress = reader.getProgress();
        assertTrue("progress went back at record " + n, progress >= previous);
        // Records are all the same size: progress tracks the fraction read, within a buffer.
        assertEquals("progress at record " + n, n / 4000.0, progress, 0.01);
        previous = progress;
      }
      assertEquals(4000, n);
      assertEquals(1.0f, reader.getProgress(), 0.0f);
    }
  }

  private List<byte[][]> readAll(InputSplit split) throws Exception {
    TaskAttemptContext context = new TaskAttemptContextImpl(conf, new TaskAttemptID());
    List<byte[][]> read = new ArrayList<>();
    try (RecordReader<BytesWritable, BytesWritable> reader =
        new KeyValueInputFormat().createRecordReader(split, context)) {
      reader.initialize(split, context);
      while (reader.nextKeyValue()) {
        read.add(new byte[][] {reader.getCurrentKey().copyBytes(),
            reader.getCurrentValue().copyBytes()});
      }
      assertFalse("no pair after the end", reader.nextKeyValue());
    }
    return read;
  }

  static void assertPairsEqual(Map<byte[], byte[]> expected, List<byte[][]> actual) {
    assertEquals("pair count", expected.size(), actual.size());
    int i = 0;
    for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
      assertArrayEquals("key " + i, e.getKey(), actual.get(i)[0]);
      assertTrue("value of key " + i, Arrays.equals(e.getValue(), actual.get(i)[1]));
      i++;
    }
  }
}
