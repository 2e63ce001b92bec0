package io.kvstore.impl;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreReadException;
import io.kvstore.StoreTestSupport;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.ForwardingFileOperations;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A multi-get on positional reads fetches records that lie close together with one read
 * ({@link KeyValueConf#READ_LOOKUP_COALESCE_BYTES}): the answers stay exact at the edges of
 * records (a record running past a read, a fingerprint's second candidate) and of filesystem
 * blocks (no coalesced read crosses one), fewer reads are made, and a failing read still names
 * the file. Every read goes through {@link FileOperations}, which here logs and fails them.
 */
public final class CoalescedReadsTest {
  private static final int KEYS = 2000;
  /** The block size the filesystem reports: small, so batches cross many block boundaries. */
  private static final long BLOCK = 4096;

  @ClassRule
  public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path fixed;
  private static Path varied;
  private static NavigableMap<byte[], byte[]> fixedContent;
  private static NavigableMap<byte[], byte[]> variedContent;

  private static byte[] key(int i) {
    return b(String.format("k%07d", 2 * i));
  }

  private static byte[] absentKey(int i) {
    return b(String.format("k%07d", 2 * i + 1));
  }

  /**
   * Two stores of a few partitions: one whose records all have one length (so a read of one
   * record is exactly that long and any longer read is coalesced), one with values of 0 to 1,500
   * bytes, longer than the lookup's first read of 64 bytes.
   */
  @BeforeClass
  public static void writeStores() throws Exception {
    fixedContent = StoreTestSupport.model();
    variedContent = StoreTestSupport.model();
    for (int i = 0; i < KEYS; i++) {
      fixedContent.put(key(i), StoreTestSupport.value(i, 40));
      variedContent.put(key(i), StoreTestSupport.value(i, i % 7 == 0 ? 200 + i % 1301 : i % 50));
    }
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 40 * 1024);
    fixed = new Path(TMP.newFolder().getAbsolutePath(), "fixed");
    StoreTestSupport.writeAll(KeyValueSystem.Factory.create(conf).createStore(fixed),
        fixedContent);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 200 * 1024);
    varied = new Path(TMP.newFolder().getAbsolutePath(), "varied");
    StoreTestSupport.writeAll(KeyValueSystem.Factory.create(conf).createStore(varied),
        variedContent);
  }

  /** One positional read: its file and range. */
  private static final class Read {
    final String file;
    final long start;
    final int length;

    Read(String file, long start, int length) {
      this.file = file;
      this.start = start;
      this.length = length;
    }
  }

  /**
   * Local operations reporting {@link #BLOCK}-byte blocks, logging every positional read, and
   * failing those of the file named {@code failing} (if set).
   */
  private static final class LoggingOperations extends ForwardingFileOperations {
    final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
    volatile String failing;
    /** Reads longer than this end early, as if the file did; 0 for none. */
    volatile int cutAbove;

    LoggingOperations() throws IOException {
      super(FileOperations.of(FileSystem.getLocal(new Configuration()).getRawFileSystem()));
    }

    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
      FileStatus s = super.getFileStatus(path);
      return new FileStatus(s.getLen(), s.isDirectory(), 1, BLOCK, s.getModificationTime(),
          s.getPath());
    }

    @Override
    public FSDataInputStream open(Path file) throws IOException {
      FSDataInputStream in = super.open(file);
      String name = file.getName();
      return new FSDataInputStream(new FSInputStream() {
        @Override
        public int read(long position, byte[] buffer, int offset, int length)
            throws IOException {
          if (name.equals(failing)) {
            throw new IOException("injected: no replica of " + name + " answers");
          }
          if (cutAbove > 0 && length > cutAbove) {
            throw new EOFException("injected: end of file");
          }
          reads.add(new Read(name, position, length));
          return in.read(position, buffer, offset, length);
        }

        @Override
        public void seek(long pos) throws IOException {
          in.seek(pos);
        }

        @Override
        public long getPos() throws IOException {
          return in.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPos) {
          return false;
        }

        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      });
    }
  }

  private static Configuration positional(long coalesce, long lookupReadBytes) {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    KeyValueConf.READ_LOOKUP_PARALLELISM.setLong(conf, 3);
    KeyValueConf.LOOKUP_READ_BYTES.setLong(conf, lookupReadBytes);
    // Set by name: the setting is what this test is about.
    conf.setLong("kvstore.read.lookup.coalesce.bytes", coalesce);
    return conf;
  }

  /** Every key of the store in key order, then the same keys shuffled with absent ones. */
  private static List<byte[][]> batches(NavigableMap<byte[], byte[]> content) {
    List<byte[][]> batches = new ArrayList<>();
    batches.add(content.keySet().toArray(new byte[0][]));
    Random random = new Random(11);
    for (int size : new int[] {2, 7, 100, 500}) {
      List<byte[]> keys = new ArrayList<>();
      for (int j = 0; j < size; j++) {
        int i = random.nextInt(KEYS);
        keys.add(random.nextInt(4) == 0 ? absentKey(i) : key(i));
      }
      // Runs of neighbours too, so several records share a read.
      int from = random.nextInt(KEYS - 50);
      for (int i = from; i < from + 50; i++) {
        keys.add(random.nextInt(keys.size() + 1), key(i));
      }
      batches.add(keys.toArray(new byte[0][]));
    }
    return batches;
  }

  private static void assertAnswers(String what, NavigableMap<byte[], byte[]> content,
      KeyValueStoreReader reader) throws IOException {
    for (byte[][] keys : batches(content)) {
      byte[][] values = reader.getAll(keys);
      for (int i = 0; i < keys.length; i++) {
        assertArrayEquals(what + ": keys[" + i + "] " + Bytes.toPrintable(keys[i]) + " of "
            + keys.length, content.get(keys[i]), values[i]);
      }
    }
  }

  @Test
  public void adjacentRecordsAreFetchedByOneReadUpToTheCoalesceBytes() throws Exception {
    byte[][] all = fixedContent.keySet().toArray(new byte[0][]);
    LoggingOperations ops = new LoggingOperations();
    try (KeyValueStoreReader reader = HadoopStoreReader.open(ops, fixed, positional(0, 65536))) {
      ops.reads.clear();
      reader.getAll(all);
      assertEquals("0 reads each record by itself", KEYS, ops.reads.size());
    }
    try (KeyValueStoreReader reader =
        HadoopStoreReader.open(ops, fixed, positional(1024, 65536))) {
      ops.reads.clear();
      long before = reader.statistics().getRecordReads();
      byte[][] values = reader.getAll(all);
      for (int i = 0; i < all.length; i++) {
        assertArrayEquals(fixedContent.get(all[i]), values[i]);
      }
      // Records of about 55 bytes, reads of at most 1 KB, none across a 4 KB block: about 18
      // records a read.
      int reads = ops.reads.size();
      assertTrue("reads for " + KEYS + " adjacent records: " + reads,
          reads > KEYS / 25 && reads < KEYS / 10);
      assertEquals("the statistics count each coalesced read once", reads,
          reader.statistics().getRecordReads() - before);
      for (Read r : ops.reads) {
        assertTrue(r.file + " read of " + r.length, r.length <= 1024);
      }
    }
  }

  @Test
  public void coalescedReadsNeverCrossAFilesystemBlock() throws Exception {
    LoggingOperations ops = new LoggingOperations();
    for (long coalesce : new long[] {200, 3000, 1 << 20}) {
      try (KeyValueStoreReader reader =
          HadoopStoreReader.open(ops, fixed, positional(coalesce, 65536))) {
        ops.reads.clear();
        assertAnswers("fixed, coalesce " + coalesce, fixedContent, reader);
        // A single record's read is exactly the record (all records have one length); a longer
        // read is coalesced and lies in one block, even when the span allows more.
        int single = ops.reads.stream().mapToInt(r -> r.length).min().getAsInt();
        int coalesced = 0;
        for (Read r : ops.reads) {
          if (r.length > single) {
            coalesced++;
            assertEquals(r.file + " read [" + r.start + ", +" + r.length + ") with coalesce "
                + coalesce, r.start / BLOCK, (r.start + r.length - 1) / BLOCK);
            assertTrue(r.length <= coalesce);
          }
        }
        assertTrue("coalesce " + coalesce + ": " + coalesced + " coalesced reads",
            coalesced > 10);
      }
    }
  }

  @Test
  public void recordsRunningPastACoalescedReadAreReadWhole() throws Exception {
    // First reads of 64 bytes, values up to 1,500: many records end beyond the read that holds
    // their start, and coalesced spans of 100 to 5,000 bytes cut between or inside records.
    LoggingOperations ops = new LoggingOperations();
    for (long coalesce : new long[] {0, 100, 700, 5000}) {
      try (KeyValueStoreReader reader =
          HadoopStoreReader.open(ops, varied, positional(coalesce, 64))) {
        assertAnswers("varied, coalesce " + coalesce, variedContent, reader);
      }
    }
  }

  @Test
  public void aFailingCoalescedReadNamesTheFileAndTheReaderGoesOn() throws Exception {
    LoggingOperations ops = new LoggingOperations();
    byte[][] all = fixedContent.keySet().toArray(new byte[0][]);
    for (long coalesce : new long[] {0, 1024}) {
      try (KeyValueStoreReader reader =
          HadoopStoreReader.open(ops, fixed, positional(coalesce, 65536))) {
        String victim = reader.partitions().get(1).getPath().getName();
        ops.failing = victim;
        StoreReadException e = expect(StoreReadException.class, () -> reader.getAll(all));
        assertContains(e.getMessage(), victim, "injected: no replica");
        assertTrue(e.getFile(), e.getFile().endsWith(victim));
        ops.failing = null;
        byte[][] values = reader.getAll(all);
        for (int i = 0; i < all.length; i++) {
          assertArrayEquals(fixedContent.get(all[i]), values[i]);
        }
      }
    }
  }

  @Test
  public void aFileCutShortInsideACoalescedReadIsCorruptNamingTheFile() throws Exception {
    LoggingOperations ops = new LoggingOperations();
    try (KeyValueStoreReader reader =
        HadoopStoreReader.open(ops, fixed, positional(1024, 65536))) {
      // From now on the file seems to end inside every read longer than one record.
      ops.cutAbove = 100;
      byte[][] all = fixedContent.keySet().toArray(new byte[0][]);
      CorruptStoreException e = expect(CorruptStoreException.class, () -> reader.getAll(all));
      assertContains(e.getMessage(), "part-", "file ends inside the record at offset");
    }
  }
}
