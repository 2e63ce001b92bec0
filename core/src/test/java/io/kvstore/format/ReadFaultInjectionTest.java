package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreReadException;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.ForwardingFileOperations;
import java.io.IOException;
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
 * Reads reach the filesystem only through {@link FileOperations}: a fault injected at the open
 * of a memory map or of a scan reaches the caller as an IOException naming the file.
 */
public class ReadFaultInjectionTest {
  /** The store of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();
  private Path partition;

  @Before
  public void writeStore() throws IOException {
    Path store = new Path(new Path(tmp.getRoot().toURI()), "store");
    KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf).createStore(store);
    for (int i = 0; i < 100; i++) {
      writer.put(key(i), ("value " + i).getBytes(StandardCharsets.UTF_8));
    }
    writer.close();
    partition = new Path(store, "part-00000" + StoreLayout.PARTITION_EXTENSION);
  }

  private static byte[] key(int i) {
    return String.format("k%04d", i).getBytes(StandardCharsets.UTF_8);
  }

  private FileOperations local() throws IOException {
    return FileOperations.of(FileSystem.getLocal(conf));
  }

  /** Operations whose memory-map opens fail, counting them. */
  private static final class FailingMaps extends ForwardingFileOperations {
    final AtomicInteger mapOpens = new AtomicInteger();

    FailingMaps(FileOperations delegate) {
      super(delegate);
    }

    @Override
    public FileChannel openForMapping(Path file) throws IOException {
      mapOpens.incrementAndGet();
      throw new IOException("injected: cannot map");
    }
  }

  @Test
  public void aFailingMapOpenGivesAnIOExceptionNamingTheFileAndGivesTheMapsBack()
      throws IOException {
    KeyValueConf.READ_MMAP.setBoolean(conf, true);
    FailingMaps ops = new FailingMaps(local());
    long before = ReadContext.processMapsLeft();
    try (ReadContext context = new ReadContext(ops, conf)) {
      StoreReadException e = assertThrows(StoreReadException.class,
          () -> PartitionReader.open(context, partition, null));
      assertEquals(1, ops.mapOpens.get());
      assertTrue(e.getMessage(), e.getMessage().contains(partition.toString()));
      assertTrue(e.getMessage(), e.getMessage().contains("injected: cannot map"));
      assertEquals(partition.toString(), e.getFile());
    }
    assertEquals("the reserved maps are returned", before, ReadContext.processMapsLeft());
  }

  @Test
  public void mapsAreOpenedThroughFileOperations() throws IOException {
    KeyValueConf.READ_MMAP.setBoolean(conf, true);
    AtomicInteger opens = new AtomicInteger();
    FileOperations ops = new ForwardingFileOperations(local()) {
      @Override
      public FileChannel openForMapping(Path file) throws IOException {
        opens.incrementAndGet();
        return super.openForMapping(file);
      }
    };
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertEquals(1, opens.get());
      assertTrue(reader.memoryMaps() > 0);
      assertArrayEquals("value 42".getBytes(StandardCharsets.UTF_8), get(reader, key(42)));
    }
  }

  @Test
  public void aFilesystemThatCannotMapIsReadWithPositionalReads() throws IOException {
    KeyValueConf.READ_MMAP.setBoolean(conf, true);
    FileOperations ops = new ForwardingFileOperations(local()) {
      @Override
      public FileChannel openForMapping(Path file) {
        return null;
      }
    };
    long before = ReadContext.processMapsLeft();
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, partition, null)) {
      assertEquals(0, reader.memoryMaps());
      assertEquals(before, ReadContext.processMapsLeft());
      assertArrayEquals("value 7".getBytes(StandardCharsets.UTF_8), get(reader, key(7)));
      assertNull(get(reader, "absent".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  public void aScanOpensItsFileThroughFileOperations() throws IOException {
    IOException injected = new IOException("injected: cannot open " + partition);
    FileOperations ops = new ForwardingFileOperations(local()) {
      @Override
      public FSDataInputStream open(Path file) throws IOException {
        throw injected;
      }
    };
    assertSame(injected, assertThrows(IOException.class,
        () -> PartitionScanner.open(ops, partition, conf)));
  }

  private static byte[] get(PartitionReader reader, byte[] key) throws IOException {
    return reader.get(key, 0, key.length, KeyHash.hash64(key, 0, key.length, reader.hashSeed()));
  }
}
