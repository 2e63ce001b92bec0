package io.kvstore.format;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreTestSupport;
import io.kvstore.fs.ByteCountingFileOperations;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The hash index of format version 3, checksummed per chunk of slots: on every read path a damaged
 * chunk fails exactly the lookups whose probes touch it, naming the file and the chunk, on every
 * attempt, while every other lookup is exact; a slot pointing outside the data section fails
 * exactly the lookups that read it; opening a mapped index reads only the footer and the
 * compression section (its chunk checksums are read from the map), so a damaged chunk checksum
 * section fails the lookups of the chunks whose checksums it lost, naming the section; the sparse
 * index is read once, by the first scan; the used-slot count is left to
 * {@link PartitionReader#verifyIndexes}; threads racing to first-touch the same chunks all get
 * exact answers.
 */
@RunWith(Parameterized.class)
public final class IndexChunkVerificationTest {
  private static final int KEYS = 3000;
  /** Chunks of 8 slots: thousands of chunks, and probes that cross chunk edges. */
  private static final long CHUNK_BYTES = 64;
  private static final int CHUNK_SLOTS = (int) (CHUNK_BYTES / 8);

  /** Read paths: mapped index, heap index beside mapped records, positional reads. */
  @Parameters(name = "{0}")
  public static List<Object[]> paths() {
    return Arrays.asList(new Object[] {"mapped index", true, true},
        new Object[] {"heap index, mapped records", true, false},
        new Object[] {"positional reads", false, true});
  }

  /** The stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final boolean mmap;
  private final boolean mmapIndex;

  /** @param name the read path */
  public IndexChunkVerificationTest(String name, boolean mmap, boolean mmapIndex) {
    this.mmap = mmap;
    this.mmapIndex = mmapIndex;
  }

  private static byte[] key(int i) {
    return StoreTestSupport.b(String.format("c%06d", i));
  }

  private static byte[] value(int i) {
    return StoreTestSupport.value(i, 20 + i % 40);
  }

  private Configuration readConf() {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
    KeyValueConf.READ_MMAP_INDEX.setBoolean(conf, mmapIndex);
    return conf;
  }

  /** Writes {@code keys} pairs into one partition with index chunks of {@code chunkBytes}. */
  private File write(int keys, long chunkBytes) throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.INDEX_CHUNK_BYTES.setLong(conf, chunkBytes);
    KeyValueConf.INDEX_BLOCK_SIZE.setLong(conf, 4096);
    File dir = new File(tmp.newFolder(), "store");
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf)
        .createStore(new Path(dir.toURI()))) {
      for (int i = 0; i < keys; i++) {
        w.put(key(i), value(i));
      }
    }
    for (File f : dir.listFiles()) {
      if (f.getName().endsWith(".crc")) {
        Files.delete(f.toPath());
      }
    }
    return dir;
  }

  private static File partition(File dir) {
    File f = new File(dir, "part-00000.kvp");
    assertTrue(f.isFile());
    return f;
  }

  private static PartitionFooter footer(File f) throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRaw();
    try (FSDataInputStream in = fs.open(new Path(f.toURI()))) {
      return PartitionFooter.read(in, f.length(), f);
    }
  }

  /** The file's bytes, read little-endian; its slots as the writer left them. */
  private static final class Image {
    final byte[] bytes;
    final ByteBuffer le;
    final PartitionFooter footer;
    final long[] slots;

    Image(File f) throws IOException {
      bytes = Files.readAllBytes(f.toPath());
      le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      footer = footer(f);
      slots = new long[(int) footer.slotCount];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = le.getLong((int) footer.hashIndexOffset + 8 * s);
      }
    }

    /** The key of the record at {@code offset}, decoded as docs/format.md section 3.3 says. */
    byte[] keyAt(long offset) {
      int[] pos = {(int) offset};
      long h = varint(pos);
      int k = (int) (h >>> 1);
      varint(pos);
      if ((h & 1) == 1) {
        varint(pos);
      }
      return Arrays.copyOfRange(bytes, pos[0], pos[0] + k);
    }

    private long varint(int[] pos) {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        int b = bytes[pos[0]++] & 0xFF;
        v |= (long) (b & 0x7F) << shift;
        if (b < 0x80) {
          return v;
        }
      }
    }

    /**
     * Whether a lookup of {@code key} reads a slot of chunk {@code chunk}: its probe, from the
     * home slot to an empty slot or to the slot of its own record (fingerprint collisions
     * included, whose records it reads and passes).
     */
    boolean probeTouches(byte[] key, int chunk, int chunkSlots) {
      return probePasses(key, b -> b / chunkSlots == chunk);
    }

    /**
     * Whether a lookup of {@code key} reads slot {@code s}: its probe, from the home slot to an
     * empty slot or to the slot of its own record, passes it.
     */
    boolean probeReads(byte[] key, int s) {
      return probePasses(key, b -> b == s);
    }

    /**
     * Whether the probe of {@code key}, from its home slot to an empty slot or to the slot of its
     * own record, passes a slot {@code wanted} accepts.
     */
    private boolean probePasses(byte[] key, java.util.function.IntPredicate wanted) {
      long hash = KeyHash.hash64(key, footer.hashSeed);
      int b = KeyHash.reduce(hash, slots.length);
      while (true) {
        if (wanted.test(b)) {
          return true;
        }
        long slot = slots[b];
        if (slot == 0) {
          return false;
        }
        if (PartitionFormat.fingerprintMatches(slot, hash)
            && Arrays.equals(key, keyAt(slot & PartitionFormat.OFFSET_MASK))) {
          return false;
        }
        b = b + 1 == slots.length ? 0 : b + 1;
      }
    }

    /** A chunk in the middle of the index holding at least {@code used} used slots. */
    int busyChunk(int chunkSlots, int used) {
      for (int c = slots.length / chunkSlots / 2; ; c++) {
        int n = 0;
        for (int s = c * chunkSlots; s < (c + 1) * chunkSlots; s++) {
          n += slots[s] != 0 ? 1 : 0;
        }
        if (n >= used) {
          return c;
        }
      }
    }

    /** Sets slot {@code s} and recomputes its chunk's checksum and the chunk section's. */
    void rewriteSlot(int s, long slot, int chunkSlots) {
      slots[s] = slot;
      int start = (int) footer.hashIndexOffset;
      le.putLong(start + 8 * s, slot);
      int chunk = s / chunkSlots;
      int table = (int) footer.chunkTableOffset();
      int chunks = footer.indexChunkCount();
      int from = start + 8 * chunk * chunkSlots;
      int to = Math.min(table, from + 8 * chunkSlots);
      le.putInt(table + 4 * chunk, crc(from, to - from));
      le.putInt(table + 4 * chunks, crc(table, 4 * chunks));
    }

    private int crc(int from, int length) {
      CRC32C crc = new CRC32C();
      crc.update(bytes, from, length);
      return (int) crc.getValue();
    }

    void save(File f) throws IOException {
      Files.write(f.toPath(), bytes);
    }
  }

  /**
   * Looks up every present key and some absent ones: those whose probes touch {@code chunk} must
   * throw naming the file and the chunk and {@code problem}, on a second attempt too; all others
   * must be exact.
   */
  private void checkLookups(KeyValueStoreReader r, Image image, File f, int chunk,
      String problem) throws IOException {
    checkLookups(r, k -> image.probeTouches(k, chunk, CHUNK_SLOTS), f,
        "hash index chunk " + chunk + " ", problem);
  }

  /**
   * Looks up every present key and some absent ones: those {@code fails} picks must throw with a
   * message holding the file's name and {@code fragments}, on a second attempt too; all others
   * must be exact.
   */
  private void checkLookups(KeyValueStoreReader r, Predicate<byte[]> fails, File f,
      String... fragments) throws IOException {
    String[] expected = new String[fragments.length + 1];
    expected[0] = f.getName();
    System.arraycopy(fragments, 0, expected, 1, fragments.length);
    int failed = 0;
    int exact = 0;
    for (int i = 0; i < KEYS + 500; i++) {
      // Absent keys inside the partition's key range, so that they are probed.
      byte[] k = i < KEYS ? key(i) : StoreTestSupport.b(String.format("c%06dx", i - KEYS));
      if (fails.test(k)) {
        for (int attempt = 0; attempt < 2; attempt++) {
          CorruptStoreException e = expect(CorruptStoreException.class, () -> r.get(k));
          assertContains(e.getMessage(), expected);
        }
        failed++;
      } else if (i < KEYS) {
        assertArrayEquals("key " + i, value(i), r.get(k));
        exact++;
      } else {
        assertNull(r.get(k));
        exact++;
      }
    }
    assertTrue("lookups failed: " + failed, failed >= 2);
    assertTrue("lookups exact: " + exact, exact > KEYS);
  }

  @Test
  public void flippedIndexByteFailsExactlyTheLookupsThatTouchItsChunk() throws Exception {
    File dir = write(KEYS, CHUNK_BYTES);
    File f = partition(dir);
    // The image keeps the slots as written: the truth the probes are predicted from.
    Image image = new Image(f);
    int chunk = image.busyChunk(CHUNK_SLOTS, 4);
    byte[] damaged = image.bytes.clone();
    damaged[(int) image.footer.hashIndexOffset + 8 * (chunk * CHUNK_SLOTS + 1) + 3] ^= 0x40;
    Files.write(f.toPath(), damaged);
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(readConf())
        .openStore(new Path(dir.toURI()))) {
      checkLookups(r, image, f, chunk, "checksum mismatch");
      // A batch holding a key of the damaged chunk fails naming it; one without is exact.
      List<byte[]> good = new ArrayList<>();
      List<byte[]> goodValues = new ArrayList<>();
      byte[] bad = null;
      for (int i = 0; i < KEYS; i++) {
        if (image.probeTouches(key(i), chunk, CHUNK_SLOTS)) {
          bad = bad == null ? key(i) : bad;
        } else if (good.size() < 100) {
          good.add(key(i));
          goodValues.add(value(i));
        }
      }
      byte[][] values = r.getAll(good.toArray(new byte[0][]));
      for (int i = 0; i < values.length; i++) {
        assertArrayEquals(goodValues.get(i), values[i]);
      }
      good.add(50, bad);
      CorruptStoreException e = expect(CorruptStoreException.class,
          () -> r.getAll(good.toArray(new byte[0][])));
      assertContains(e.getMessage(), f.getName(), "hash index chunk " + chunk + " ");
      // Scans do not use the hash index.
      int n = 0;
      try (KeyValueIterator it = r.iterator()) {
        while (it.hasNext()) {
          KeyValuePair p = it.next();
          assertArrayEquals(key(n), p.getKey());
          assertArrayEquals(value(n), p.getValue());
          n++;
        }
      }
      assertEquals(KEYS, n);
    }
  }

  /**
   * The offset is checked where a lookup reads the slot: lookups that only pass through other
   * slots of the chunk are exact (checking every slot's offset on a chunk's first touch cost more
   * than its checksum).
   */
  @Test
  public void slotPointingOutsideTheDataSectionFailsTheLookupsThatReadIt() throws Exception {
    File dir = write(KEYS, CHUNK_BYTES);
    File f = partition(dir);
    Image image = new Image(f);
    // A used slot that the probes of at least two present keys read (one inside a run of used
    // slots), in a chunk whose other slots other keys read without passing it.
    int chunk = image.busyChunk(CHUNK_SLOTS, 4) - 1;
    int s = -1;
    while (s < 0) {
      chunk++;
      for (int b = chunk * CHUNK_SLOTS; b < (chunk + 1) * CHUNK_SLOTS && s < 0; b++) {
        int readers = 0;
        for (int i = 0; i < KEYS && image.slots[b] != 0; i++) {
          readers += image.probeReads(key(i), b) ? 1 : 0;
        }
        s = readers >= 2 ? b : -1;
      }
    }
    long slot = image.slots[s];
    // The checksums recomputed: only the offset check can catch it.
    image.rewriteSlot(s, (slot & ~PartitionFormat.OFFSET_MASK) | image.footer.dataEnd,
        CHUNK_SLOTS);
    image.save(f);
    image.slots[s] = slot;
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(readConf())
        .openStore(new Path(dir.toURI()))) {
      int outside = s;
      checkLookups(r, k -> image.probeReads(k, outside), f, "hash index chunk " + chunk + " ",
          "slot " + s + " points outside the data section");
      // Lookups whose probes pass through other slots of the chunk, and not this one, are exact.
      int passing = 0;
      for (int i = 0; i < KEYS; i++) {
        if (image.probeTouches(key(i), chunk, CHUNK_SLOTS) && !image.probeReads(key(i), s)) {
          assertArrayEquals(value(i), r.get(key(i)));
          passing++;
        }
      }
      assertTrue("lookups touching the chunk but not the slot: " + passing, passing >= 2);
    }
  }

  /**
   * A mapped index reads its chunk checksums from the map, not at open: damage to the chunk
   * checksum section fails the lookups of the chunk whose checksum it changed, naming the section,
   * while every other lookup is exact, and {@code verifyIndexes} names it. Readers that load the
   * index into heap read the section at open and refuse the file there.
   */
  @Test
  public void damagedChunkChecksumSectionFailsTheLookupsOfTheChunkItNoLongerMatches()
      throws Exception {
    File dir = write(KEYS, CHUNK_BYTES);
    File f = partition(dir);
    Image image = new Image(f);
    int chunk = image.busyChunk(CHUNK_SLOTS, 4);
    byte[] damaged = image.bytes.clone();
    damaged[(int) image.footer.chunkTableOffset() + 4 * chunk + 2] ^= 0x08;
    Files.write(f.toPath(), damaged);
    String section = "hash index chunk checksum section checksum mismatch";
    if (!(mmap && mmapIndex)) {
      CorruptStoreException e = expect(CorruptStoreException.class,
          () -> KeyValueSystem.Factory.create(readConf()).openStore(new Path(dir.toURI())));
      assertContains(e.getMessage(), f.getName(), section);
      return;
    }
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(readConf())
        .openStore(new Path(dir.toURI()))) {
      checkLookups(r, k -> image.probeTouches(k, chunk, CHUNK_SLOTS), f, section,
          "checking chunk " + chunk + ")");
    }
    Path path = new Path(f.toURI());
    FileOperations ops = FileOperations.of(FileSystem.getLocal(new Configuration()));
    try (ReadContext context = new ReadContext(ops, readConf());
        PartitionReader reader = PartitionReader.open(context, path, null)) {
      CorruptStoreException e = expect(CorruptStoreException.class, reader::verifyIndexes);
      assertContains(e.getMessage(), f.getName(), section);
    }
  }

  /**
   * Opening a mapped index reads the header, the compression section and the footer, nothing of
   * the index: its chunk checksums are read from the map when a chunk is first verified. A heap
   * index reads the chunk checksums and every slot.
   */
  @Test
  public void openOfAMappedIndexReadsOnlyHeaderCompressionSectionAndFooter() throws Exception {
    // Default chunks of 512 slots; 20,000 keys make an index of 213 KB.
    File dir = write(20_000, KeyValueConf.INDEX_CHUNK_BYTES.getLong(new Configuration()));
    File f = partition(dir);
    PartitionFooter footer = footer(f);
    ByteCountingFileOperations ops = new ByteCountingFileOperations(
        FileOperations.of(FileSystem.getLocal(new Configuration())));
    Path path = new Path(f.toURI());
    try (ReadContext context = new ReadContext(ops, readConf());
        PartitionReader reader = PartitionReader.open(context, path, null)) {
      long opened = ops.bytesRead.get();
      long expected = PartitionFormat.HEADER_SIZE + (footer.dataStart - PartitionFormat.HEADER_SIZE)
          + PartitionFormat.FOOTER_SIZE_V3;
      if (mmap && mmapIndex) {
        assertEquals("bytes read by open", expected, opened);
      } else {
        assertEquals("bytes read by open",
            expected + 4L * footer.indexChunkCount() + 4 + 8 * footer.slotCount, opened);
      }
      for (int i = 0; i < 20_000; i += 7) {
        long h = KeyHash.hash64(key(i), footer.hashSeed);
        assertArrayEquals(value(i), reader.get(key(i), 0, key(i).length, h));
      }
      // The sparse index is read by the first scan only, once however many threads ask.
      long beforeScans = ops.bytesRead.get();
      int threads = 8;
      CyclicBarrier start = new CyclicBarrier(threads);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * 1000;
        Thread thread = new Thread(() -> {
          try {
            start.await();
            long offset = reader.startOffset(key(first));
            assertTrue(offset >= footer.dataStart && offset < footer.dataEnd);
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        thread.start();
        started.add(thread);
      }
      for (Thread thread : started) {
        thread.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertEquals("sparse index bytes read", footer.blockIndexLength(),
          ops.bytesRead.get() - beforeScans);
      reader.startOffset(key(5));
      assertEquals(footer.blockIndexLength(), ops.bytesRead.get() - beforeScans);
    }
  }

  @Test
  public void verifyIndexesCatchesAWrongUsedSlotCount() throws Exception {
    File dir = write(KEYS, CHUNK_BYTES);
    File f = partition(dir);
    Path path = new Path(f.toURI());
    FileOperations ops = FileOperations.of(FileSystem.getLocal(new Configuration()));
    try (ReadContext context = new ReadContext(ops, readConf());
        PartitionReader reader = PartitionReader.open(context, path, null)) {
      reader.verifyIndexes();
    }
    Image image = new Image(f);
    int s = 0;
    while (image.slots[s] == 0) {
      s++;
    }
    // A lost slot with its checksums recomputed: no chunk check can see it.
    image.rewriteSlot(s, 0, CHUNK_SLOTS);
    image.save(f);
    try (ReadContext context = new ReadContext(ops, readConf());
        PartitionReader reader = PartitionReader.open(context, path, null)) {
      CorruptStoreException e = expect(CorruptStoreException.class, reader::verifyIndexes);
      assertContains(e.getMessage(), f.getName(), "hash index holds " + (KEYS - 1)
          + " entries for " + KEYS + " keys");
    }
  }

  @Test
  public void threadsFirstTouchingTheSameChunksGetExactValues() throws Exception {
    File dir = write(KEYS, CHUNK_BYTES);
    int threads = 8;
    for (int round = 0; round < 3; round++) {
      try (KeyValueStoreReader r = KeyValueSystem.Factory.create(readConf())
          .openStore(new Path(dir.toURI()))) {
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          boolean batch = t % 2 == 1;
          Thread thread = new Thread(() -> {
            try {
              start.await();
              // Every thread walks the keys in the same order, so they meet on each chunk.
              for (int i = 0; i < KEYS; i += 16) {
                if (batch) {
                  byte[][] keys = new byte[16][];
                  for (int j = 0; j < 16; j++) {
                    keys[j] = key(Math.min(KEYS - 1, i + j));
                  }
                  byte[][] values = r.getAll(keys);
                  for (int j = 0; j < 16; j++) {
                    assertArrayEquals(value(Math.min(KEYS - 1, i + j)), values[j]);
                  }
                } else {
                  for (int j = i; j < Math.min(KEYS, i + 16); j++) {
                    assertArrayEquals(value(j), r.get(key(j)));
                  }
                }
              }
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          });
          thread.start();
          started.add(thread);
        }
        for (Thread thread : started) {
          thread.join();
        }
        if (failure.get() != null) {
          throw new AssertionError(failure.get());
        }
      }
    }
  }

  @Test
  public void everyChunkAndIndexMapSizeReadsEveryKey() throws Exception {
    // One slot a chunk, 8, the default 512, and one chunk larger than the whole index; index
    // maps of 512 slots (crossed by probes) or one map.
    for (long chunkBytes : new long[] {8, CHUNK_BYTES, 4096, 1L << 27}) {
      File dir = write(KEYS, chunkBytes);
      assertEquals(chunkBytes / 8, footer(partition(dir)).indexChunkSlots);
      for (long mapBytes : new long[] {4096, 1L << 30}) {
        Configuration conf = readConf();
        KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(conf, mapBytes);
        try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf)
            .openStore(new Path(dir.toURI()))) {
          for (int i = 0; i < KEYS; i++) {
            assertArrayEquals("chunk " + chunkBytes + ", map " + mapBytes + ", key " + i,
                value(i), r.get(key(i)));
          }
          assertNull(r.get(StoreTestSupport.b("c9999999")));
        }
      }
    }
  }

  @Test
  public void chunkSizeThatIsNotAPowerOfTwoIsRefused() {
    Configuration conf = new Configuration();
    KeyValueConf.INDEX_CHUNK_BYTES.setLong(conf, 96);
    IllegalArgumentException e = expect(IllegalArgumentException.class,
        () -> KeyValueSystem.Factory.create(conf)
            .createStore(new Path(new File(tmp.getRoot(), "s").toURI())).close());
    assertContains(e.getMessage(), "kvstore.index.chunk.bytes", "96", "power of two");
  }
}
