package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreReadException;
import io.kvstore.fs.Closer;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
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
  private final long[] slots;
  private final BlockIndex blocks;
  private final RecordSource records;
  private final ReadContext context;
  /** Memory maps taken from the context's budget, returned on close. */
  private final long maps;

  private PartitionReader(Path file, PartitionFooter footer, long[] slots, BlockIndex blocks,
      RecordSource records, ReadContext context, long maps) {
    this.file = file;
    this.footer = footer;
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
    try {
      length = context.ops.getFileStatus(file).getLen();
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
      try {
        footer = PartitionFooter.read(in, length, file);
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
          ? map(context, file, footer, maps) : null;
      if (source != null) {
        return new PartitionReader(file, footer, slots, blocks, source, context, maps);
      }
      source = new PositionalRecordSource(context.streams, footer, context.verify,
          context.lookupReadBytes, file);
      // The footer's stream serves the first lookups too, until the pool needs room.
      context.streams.adopt(file, in);
      keepStream = true;
      return new PartitionReader(file, footer, slots, blocks, source, context, 0);
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

  private static long[] readSlots(FSDataInputStream in, PartitionFooter footer, Path file)
      throws IOException {
    int count = (int) footer.slotCount;
    long[] slots = new long[count];
    CRC32C crc = new CRC32C();
    byte[] chunk = new byte[(int) Math.min(1 << 20, count * 8L)];
    long position = footer.hashIndexOffset;
    int done = 0;
    try {
      while (done < count) {
        int n = Math.min(chunk.length / 8, count - done);
        in.readFully(position, chunk, 0, n * 8);
        crc.update(chunk, 0, n * 8);
        for (int i = 0; i < n; i++) {
          slots[done + i] = PartitionFormat.getLongLE(chunk, i * 8);
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
    long used = 0;
    for (long slot : slots) {
      if (slot != 0) {
        long offset = slot & PartitionFormat.OFFSET_MASK;
        if (offset < PartitionFormat.HEADER_SIZE || offset >= footer.dataEnd) {
          throw new CorruptStoreException(file, "hash index points outside the data section");
        }
        used++;
      }
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
      long maps) throws IOException {
    RecordSource source = null;
    try (FileChannel channel = context.ops.openForMapping(file)) {
      if (channel != null) {
        source = MappedRecordSource.map(channel, footer, context.verify, context.chunkBytes, file);
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

  /** Offset where a scan for keys {@code >= key} starts. */
  long startOffset(byte[] key) {
    return blocks.startOffset(key);
  }

  /**
   * The value for {@code key[off, off + len)}, or null.
   *
   * @param hash {@link KeyHash#hash64} of the key under {@link #hashSeed()}
   */
  public byte[] get(byte[] key, int off, int len, long hash) throws IOException {
    long[] table = slots;
    int n = table.length;
    int b = KeyHash.reduce(hash, n);
    while (true) {
      long slot = table[b];
      if (slot == 0) {
        return null;
      }
      if (PartitionFormat.fingerprintMatches(slot, hash)) {
        byte[] value = records.valueIfKeyMatches(slot & PartitionFormat.OFFSET_MASK, key, off, len);
        if (value != null) {
          return value;
        }
      }
      b = b + 1 == n ? 0 : b + 1;
    }
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
    return 8L * slots.length + blocks.heapBytes() + 256;
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
