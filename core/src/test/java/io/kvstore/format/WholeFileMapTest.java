package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.ProcessMaps;
import io.kvstore.StoreReadException;
import io.kvstore.StoreTestSupport;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.ForwardingFileChannel;
import io.kvstore.fs.ForwardingFileOperations;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A partition file that fits one map chunk ({@code kvstore.read.mmap.chunk.bytes}), its hash index
 * mapped too, is mapped ONCE ({@link FileMap}): one mmap(2), one line of /proc/self/maps and one
 * map of the budget, records and index reading views of it; close unmaps it and gives the map
 * back. A file one byte larger than the chunk keeps a map per records chunk and per index map,
 * and reads every key exactly. Damage in a whole-mapped file still fails lookups naming the file.
 */
public class WholeFileMapTest {
  private static final int KEYS = 3000;

  /** The store of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();
  private Path partition;
  private File partitionFile;

  private static byte[] key(int i) {
    return String.format("w%06d", i).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(int i) {
    return StoreTestSupport.value(i, 20 + i % 90);
  }

  /** Writes a store of one partition of KEYS keys, without Hadoop's .crc side files. */
  @Before
  public void writeStore() throws IOException {
    File dir = new File(tmp.getRoot(), "store");
    Path store = new Path(dir.toURI());
    try (KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf).createStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        writer.put(key(i), value(i));
      }
    }
    partition = new Path(store, "part-00000" + StoreLayout.PARTITION_EXTENSION);
    partitionFile = new File(dir, partition.getName());
    assertTrue(partitionFile.isFile());
  }

  private static byte[] get(PartitionReader reader, byte[] key) throws IOException {
    return reader.get(key, 0, key.length, KeyHash.hash64(key, 0, key.length, reader.hashSeed()));
  }

  private static void assertAllLookups(PartitionReader reader) throws IOException {
    for (int i = 0; i < KEYS; i++) {
      assertArrayEquals("key " + i, value(i), get(reader, key(i)));
      assertNull(get(reader, ("absent " + i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Local operations whose mapping channels count (and, if asked, fail) their map calls. */
  private final class MapCounting extends ForwardingFileOperations {
    final AtomicInteger maps = new AtomicInteger();
    volatile boolean failMaps;

    MapCounting() throws IOException {
      super(FileOperations.of(FileSystem.getLocal(conf)));
    }

    @Override
    public FileChannel openForMapping(Path file) throws IOException {
      FileChannel channel = super.openForMapping(file);
      return channel == null ? null : new CountingChannel(channel, this);
    }
  }

  @Test
  public void aPartitionThatFitsOneChunkIsMappedOnce() throws IOException {
    // Defaults: 1 GiB chunks, index mapped. On main this was 2 (records, index).
    MapCounting ops = new MapCounting();
    String path = partitionFile.getAbsolutePath();
    long before = ReadContext.processMapsLeft();
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertTrue(reader.isMapped());
      assertTrue(reader.isIndexMapped());
      assertEquals("maps of the partition", 1, reader.memoryMaps());
      assertEquals("mmap calls", 1, ops.maps.get());
      assertEquals("lines of /proc/self/maps", 1, ProcessMaps.count(path));
      assertEquals("maps taken from the budget", before - 1, ReadContext.processMapsLeft());
      assertAllLookups(reader);
    }
    assertEquals(0, ProcessMaps.count(path));
    assertEquals("the map is given back", before, ReadContext.processMapsLeft());
  }

  @Test
  public void aBudgetOfOneMapStillMapsTheWholePartition() throws IOException {
    // On main the partition needed two maps and, with one, was read with positional reads.
    KeyValueConf.READ_MMAP_MAX_MAPS.setLong(conf, 1);
    try (ReadContext context = new ReadContext(new MapCounting(), conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertTrue(reader.isMapped());
      assertEquals(1, reader.memoryMaps());
      assertAllLookups(reader);
    }
  }

  @Test
  public void aFileOfExactlyTheChunkSizeIsMappedOnceAndOneByteMoreIsNot() throws IOException {
    long length = partitionFile.length();
    String path = partitionFile.getAbsolutePath();
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(conf, length);
    MapCounting ops = new MapCounting();
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertEquals(1, reader.memoryMaps());
      assertEquals(1, ops.maps.get());
      assertAllLookups(reader);
    }
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(conf, length - 1);
    ops = new MapCounting();
    long before = ReadContext.processMapsLeft();
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      // The records still fit one chunk, the index one map: two maps, as before.
      assertEquals(2, reader.memoryMaps());
      assertEquals(2, ops.maps.get());
      assertEquals(2, ProcessMaps.count(path));
      assertEquals(before - 2, ReadContext.processMapsLeft());
      assertAllLookups(reader);
    }
    assertEquals(0, ProcessMaps.count(path));
    assertEquals(before, ReadContext.processMapsLeft());
  }

  @Test
  public void aFileLargerThanTheChunkKeepsSeveralMapsAndReadsEveryKey() throws IOException {
    long chunk = 4096;
    assertTrue(partitionFile.length() > 20 * chunk);
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(conf, chunk);
    KeyValueConf.READ_MMAP_MAX_MAPS.setLong(conf, 100_000);
    MapCounting ops = new MapCounting();
    String path = partitionFile.getAbsolutePath();
    long before = ReadContext.processMapsLeft();
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertTrue("maps: " + reader.memoryMaps(), reader.memoryMaps() > 10);
      assertEquals(reader.memoryMaps(), ops.maps.get());
      assertEquals(reader.memoryMaps(), ProcessMaps.count(path));
      assertEquals(before - reader.memoryMaps(), ReadContext.processMapsLeft());
      assertAllLookups(reader);
    }
    assertEquals(0, ProcessMaps.count(path));
    assertEquals(before, ReadContext.processMapsLeft());
  }

  @Test
  public void aFailingMapOfTheWholeFileGivesTheMapBack() throws IOException {
    MapCounting ops = new MapCounting();
    ops.failMaps = true;
    long before = ReadContext.processMapsLeft();
    try (ReadContext context = new ReadContext(ops, conf)) {
      StoreReadException e = assertThrows(StoreReadException.class,
          () -> PartitionReader.open(context, partition, null));
      assertTrue(e.getMessage(), e.getMessage().contains("injected: cannot map"));
      assertEquals(partition.toString(), e.getFile());
      assertEquals(1, ops.maps.get());
    }
    assertEquals(0, ProcessMaps.count(partitionFile.getAbsolutePath()));
    assertEquals("the reserved map is returned", before, ReadContext.processMapsLeft());
  }

  /** The footer of the partition, read from the file. */
  private PartitionFooter footer() throws IOException {
    try (FSDataInputStream in = FileSystem.getLocal(conf).open(partition)) {
      return PartitionFooter.read(in, partitionFile.length(), partition);
    }
  }

  private void flipByte(long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(partitionFile, "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x5a);
    }
  }

  /**
   * Looks every key up: each gives its value or a CorruptStoreException naming the file, and at
   * least one gives the exception.
   */
  private void assertDamageNamedByLookups(String what) throws IOException {
    try (ReadContext context = new ReadContext(new MapCounting(), conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertEquals(1, reader.memoryMaps());
      int failed = 0;
      for (int i = 0; i < KEYS; i++) {
        try {
          assertArrayEquals("key " + i, value(i), get(reader, key(i)));
        } catch (CorruptStoreException e) {
          assertTrue(e.getMessage(), e.getMessage().contains(partition.toString()));
          failed++;
        }
      }
      assertTrue(what + " fails some lookup", failed > 0);
    }
  }

  @Test
  public void aDamagedIndexChunkOfAWholeMappedFileFailsNamingTheFile() throws IOException {
    PartitionFooter footer = footer();
    flipByte(footer.hashIndexOffset + 3);
    assertDamageNamedByLookups("a damaged index chunk");
  }

  @Test
  public void aDamagedRecordOfAWholeMappedFileFailsNamingTheFile() throws IOException {
    PartitionFooter footer = footer();
    // Inside the first record (after its two length bytes).
    flipByte(footer.dataStart + 4);
    assertDamageNamedByLookups("a damaged record");
  }

  @Test
  public void viewsAreDirectMappedSlicesAndOnlyTheOwnerUnmaps() throws IOException {
    PartitionFooter footer = footer();
    byte[] bytes = java.nio.file.Files.readAllBytes(partitionFile.toPath());
    try (FileChannel channel = FileChannel.open(partitionFile.toPath())) {
      FileMap map = FileMap.map(channel, footer, partition);
      MappedByteBuffer view = map.view(footer.hashIndexOffset, 64);
      assertTrue(view.isDirect());
      assertEquals(0, view.position());
      assertEquals(64, view.capacity());
      assertEquals(ByteOrder.BIG_ENDIAN, view.order());
      for (int i = 0; i < 64; i++) {
        assertEquals(bytes[(int) footer.hashIndexOffset + i], view.get(i));
      }
      MappedByteBuffer tail = map.view(footer.fileLength - 1, 1);
      assertEquals(bytes[bytes.length - 1], tail.get(0));
      assertThrows(IndexOutOfBoundsException.class, () -> map.view(footer.fileLength - 1, 2));
      // A slice cannot be unmapped: the JDK refuses it, which is why the FileMap owns the map.
      if (Unmapper.UNAVAILABLE_REASON == null) {
        assertThrows(RuntimeException.class, () -> Unmapper.unmap(view));
      }
      map.close();
      map.close();
      assertThrows(IllegalStateException.class, () -> map.view(0, 1));
    }
  }

  /** A channel passing every call on, counting its map calls and failing them if asked. */
  private static final class CountingChannel extends ForwardingFileChannel {
    private final MapCounting ops;

    CountingChannel(FileChannel channel, MapCounting ops) {
      super(channel);
      this.ops = ops;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      ops.maps.incrementAndGet();
      if (ops.failMaps) {
        throw new IOException("injected: cannot map");
      }
      return delegate().map(mode, position, size);
    }
  }
}
