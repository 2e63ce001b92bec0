package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreReadException;
import io.kvstore.fs.Closer;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * Point lookups in one partition file. Opening reads and checks the footer, the sparse index and
 * the hash index (kept in heap: 8 bytes a slot), and compares them with the manifest's entry; a
 * lookup then probes the in-memory slots and reads a record only when its 16-bit fingerprint
 * matches, so most absent keys cost no read. Thread-safe.
 */
public final class PartitionReader implements Closeable {
  private final Path file;
  private final PartitionFooter footer;
  private final RecordCodec codec;
  private final long[] slots;
  private final BlockIndex blocks;
  private final RecordSource records;
  private final ReadContext context;
  /** Memory maps taken from the context's budget, returned on close. */
  private final long maps;

  private PartitionReader(Path file, PartitionFooter footer, RecordCodec codec, long[] slots,
      BlockIndex blocks, RecordSource records, ReadContext context, long maps) {
    this.file = file;
    this.footer = footer;
    this.codec = codec;
    this.slots = slots;
    this.blocks = blocks;
    this.records = records;
    this.context = context;
    this.maps = maps;
  }

  /**
   * Opens a partition and checks it against its manifest entry. Records are then read through a
   * memory map if the file is local, maps are enabled, its chunks fit and the reader's map budget
   * has room; otherwise by positional reads of the reader's shared streams.
   *
   * @param context what the partitions of one store reader share
   * @param expected the manifest's entry, or null to trust the file alone
   * @throws CorruptStoreException if the file is damaged, truncated, foreign, or differs from
   *     {@code expected}
   */
  public static PartitionReader open(ReadContext context, Path file, PartitionInfo expected)
      throws IOException {
    long length;
    long blockSize;
    try {
      org.apache.hadoop.fs.FileStatus status = context.ops.getFileStatus(file);
      length = status.getLen();
      blockSize = status.getBlockSize();
    } catch (java.io.FileNotFoundException e) {
      throw new CorruptStoreException(file, "partition file is missing"
          + (expected != null ? " (the manifest lists it)" : ""), e);
    }
    if (expected != null && length != expected.getSizeBytes()) {
      throw new CorruptStoreException(file, "file is " + length + " bytes but the manifest says "
          + expected.getSizeBytes() + " (truncated or replaced)");
    }
    FSDataInputStream in = context.ops.open(file);
    boolean keepStream = false;
    try {
      PartitionFooter footer;
      BlockIndex blocks;
      long[] slots;
      RecordCodec codec;
      try {
        footer = PartitionFooter.read(in, length, file);
        codec = new RecordCodec(footer.version, CompressionSection.read(in, footer, file),
            footer.maxValueLength);
        blocks = BlockIndex.read(in, footer, file);
        if (expected != null) {
          checkAgainstManifest(file, footer, blocks, expected);
        }
        slots = readSlots(in, footer, file);
      } catch (CorruptStoreException e) {
        throw e;
      } catch (IOException e) {
        // The filesystem failed (an HDFS block with no healthy replica): name the file, as a
        // lookup's failed read does, rather than surface a bare filesystem exception.
        throw new StoreReadException(file, -1, e);
      }
      long maps = MappedRecordSource.chunkCount(footer, context.chunkBytes);
      RecordSource source = context.mmap && maps > 0 && context.reserveMaps(maps)
          ? map(context, file, footer, codec, maps) : null;
      if (source != null) {
        return new PartitionReader(file, footer, codec, slots, blocks, source, context, maps);
      }
      source = new PositionalRecordSource(context.streams, footer, codec, context.verify,
          context.lookupReadBytes, blockSize, file);
      // The footer's stream serves the first lookups too, until the pool needs room.
      context.streams.adopt(file, in);
      keepStream = true;
      return new PartitionReader(file, footer, codec, slots, blocks, source, context, 0);
    } finally {
      if (!keepStream) {
        in.close();
      }
    }
  }

  private static void checkAgainstManifest(Path file, PartitionFooter footer, BlockIndex blocks,
      PartitionInfo expected) throws CorruptStoreException {
    if (footer.keyCount != expected.getKeyCount()) {
      throw new CorruptStoreException(file, "file holds " + footer.keyCount
          + " keys but the manifest says " + expected.getKeyCount());
    }
    if (!Arrays.equals(blocks.firstKey(), expected.getFirstKey())
        || !Arrays.equals(blocks.lastKey(), expected.getLastKey())) {
      throw new CorruptStoreException(file, "file's key range [" + Bytes.toPrintable(blocks.firstKey())
          + ", " + Bytes.toPrintable(blocks.lastKey()) + "] differs from the manifest's ["
          + Bytes.toPrintable(expected.getFirstKey()) + ", "
          + Bytes.toPrintable(expected.getLastKey()) + "]");
    }
  }

  /** Bytes of hash index read at once at open: large reads, yet the chunk stays in L2 cache. */
  private static final int SLOT_READ_BYTES = 512 * 1024;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Reads the hash index in large chunks and, while each chunk is in cache, checksums it,
   * converts its slots and checks that each points into the data section: one pass over the
   * index instead of a conversion pass and a validation pass.
   */
  private static long[] readSlots(FSDataInputStream in, PartitionFooter footer, Path file)
      throws IOException {
    int count = (int) footer.slotCount;
    long[] slots = new long[count];
    CRC32C crc = new CRC32C();
    byte[] chunk = new byte[(int) Math.min(SLOT_READ_BYTES, count * 8L)];
    long position = footer.hashIndexOffset;
    long dataStart = footer.dataStart;
    long dataEnd = footer.dataEnd;
    long used = 0;
    boolean outside = false;
    int done = 0;
    try {
      while (done < count) {
        int n = Math.min(chunk.length / 8, count - done);
        in.readFully(position, chunk, 0, n * 8);
        crc.update(chunk, 0, n * 8);
        for (int i = 0; i < n; i++) {
          long slot = (long) LONG_LE.get(chunk, i * 8);
          slots[done + i] = slot;
          if (slot != 0) {
            long offset = slot & PartitionFormat.OFFSET_MASK;
            outside |= offset < dataStart || offset >= dataEnd;
            used++;
          }
        }
        done += n;
        position += n * 8L;
      }
      byte[] stored = new byte[4];
      in.readFully(position, stored, 0, 4);
      if ((int) crc.getValue() != PartitionFormat.getIntLE(stored, 0)) {
        throw new CorruptStoreException(file, "hash index checksum mismatch");
      }
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside its hash index", e);
    }
    if (outside) {
      throw new CorruptStoreException(file, "hash index points outside the data section");
    }
    if (used != footer.keyCount) {
      throw new CorruptStoreException(file, "hash index holds " + used + " entries for "
          + footer.keyCount + " keys");
    }
    return slots;
  }

  /**
   * Maps the records of {@code file} with {@code maps} maps already reserved, or returns null
   * (the maps given back) when its filesystem cannot map files.
   *
   * @throws StoreReadException naming the file if the filesystem fails to open or map it
   */
  private static RecordSource map(ReadContext context, Path file, PartitionFooter footer,
      RecordCodec codec, long maps) throws IOException {
    RecordSource source = null;
    try (FileChannel channel = context.ops.openForMapping(file)) {
      if (channel != null) {
        source = MappedRecordSource.map(channel, footer, codec, context.verify,
            context.chunkBytes, file);
      }
    } catch (IOException | RuntimeException e) {
      // Closing the channel may fail after the maps were taken: they are unmapped here.
      Closer.closeAfter(e, source);
      context.releaseMaps(maps);
      if (e instanceof IOException && !(e instanceof CorruptStoreException)) {
        throw new StoreReadException(file, -1, (IOException) e);
      }
      throw e;
    }
    if (source == null) {
      context.releaseMaps(maps);
    }
    return source;
  }

  /** Seed of the file's key hash: lookups hash once per distinct seed. */
  public long hashSeed() {
    return footer.hashSeed;
  }

  /** Number of keys. */
  public long keyCount() {
    return footer.keyCount;
  }

  /** What the file holds and how it is compressed. */
  public PartitionDetails details() {
    return PartitionDetails.of(footer, codec.values());
  }

  /** Offset where a scan for keys {@code >= key} starts. */
  long startOffset(byte[] key) {
    return blocks.startOffset(key);
  }

  /**
   * The value for {@code key[off, off + len)}, or null: {@link #find} from the key's
   * {@link #candidate}.
   *
   * @param hash {@link KeyHash#hash64} of the key under {@link #hashSeed()}
   */
  public byte[] get(byte[] key, int off, int len, long hash) throws IOException {
    ValueHit hit = new ValueHit();
    return find(candidate(home(hash), hash), key, off, len, hash, hit) ? hit.copy() : null;
  }

  /** The home slot of a key with this hash: where its probe starts. */
  public int home(long hash) {
    return KeyHash.reduce(hash, slots.length);
  }

  /**
   * The content of slot {@code b}: a multi-get's first phase loads every key's home slot before
   * it looks at any, so the cache misses overlap.
   */
  public long slot(int b) {
    return slots[b];
  }

  /**
   * The first slot from {@code b} on (wrapping) whose fingerprint matches {@code hash}, or -1 if
   * an empty slot comes first (the key is absent: no record is read).
   */
  public int candidate(int b, long hash) {
    long[] table = slots;
    int n = table.length;
    while (true) {
      long slot = table[b];
      if (slot == 0) {
        return -1;
      }
      if (PartitionFormat.fingerprintMatches(slot, hash)) {
        return b;
      }
      b = b + 1 == n ? 0 : b + 1;
    }
  }

  /**
   * Loads the first byte of the record slot {@code b} points to (see {@link RecordSource#touch});
   * 0 without reading when records are not memory-mapped.
   */
  public int touchRecord(int b) {
    return records.touch(slots[b] & PartitionFormat.OFFSET_MASK);
  }

  /** Offset in the file of the record slot {@code b} points to. */
  public long recordOffset(int b) {
    return slot(b) & PartitionFormat.OFFSET_MASK;
  }

  /**
   * End of the bytes a lookup's first positional read of the record at {@code offset} covers
   * ({@code offset} itself when records are memory-mapped): a multi-get that reads
   * {@code [offset, recordReadEnd(offset))} or more at once lets the lookup read nothing.
   */
  public long recordReadEnd(long offset) {
    return records.readEnd(offset);
  }

  /** Filesystem block size of the file (positional reads); a read within one block is cheapest. */
  public long blockSize() {
    return records.blockSize();
  }

  /**
   * Reads {@code [start, end)} of the data section with one positional read, for {@link #find}
   * calls whose holder {@link ValueHit#use uses} it: a multi-get's read of several records that
   * lie close together.
   *
   * @throws StoreReadException naming the file if the filesystem fails
   */
  public RecordRange readRange(long start, long end) throws IOException {
    return records.readRange(start, end);
  }

  /** Whether records are read through memory maps (else by positional reads). */
  public boolean isMapped() {
    return maps > 0;
  }

  /**
   * Looks the key up from candidate slot {@code b} (from {@link #candidate}, -1 for none): reads
   * and checks the record there and, if it holds another key (a fingerprint collision), goes on
   * probing. Every lookup of this partition ends here.
   *
   * @param hash {@link KeyHash#hash64} of the key under {@link #hashSeed()}
   * @param hit set to the value when the key is found
   * @return whether the key was found
   */
  public boolean find(int b, byte[] key, int off, int len, long hash, ValueHit hit)
      throws IOException {
    long[] table = slots;
    int n = table.length;
    while (b >= 0) {
      if (records.find(table[b] & PartitionFormat.OFFSET_MASK, key, off, len, hit)) {
        return true;
      }
      b = candidate(b + 1 == n ? 0 : b + 1, hash);
    }
    return false;
  }

  /**
   * Reads of records made by lookups so far: every positional read (two for a record larger
   * than the lookup read size) or every record access of a memory map.
   */
  public long recordReads() {
    return records.reads();
  }

  /** Memory maps this partition holds (0 when it is read with positional reads). */
  public long memoryMaps() {
    return maps;
  }

  /** Approximate heap bytes held by this reader. */
  public long heapBytes() {
    return 8L * slots.length + blocks.heapBytes() + codec.values().dictionaryLength + 256;
  }

  /**
   * Releases the partition's memory maps at once. The caller must make sure no lookup of this
   * partition is in flight or will start (a {@link ReadGuard}): reading an unmapped buffer
   * crashes the JVM.
   */
  @Override
  public void close() throws IOException {
    records.close();
    context.releaseMaps(maps);
  }
}
