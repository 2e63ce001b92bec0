package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import java.io.Closeable;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

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
  private final LongAdder recordReads = new LongAdder();

  private PartitionReader(Path file, PartitionFooter footer, long[] slots, BlockIndex blocks,
      RecordSource records) {
    this.file = file;
    this.footer = footer;
    this.slots = slots;
    this.blocks = blocks;
    this.records = records;
  }

  /**
   * Opens a partition and checks it against its manifest entry.
   *
   * @param expected the manifest's entry, or null to trust the file alone
   * @throws CorruptStoreException if the file is damaged, truncated, foreign, or differs from
   *     {@code expected}
   */
  public static PartitionReader open(FileSystem fileSystem, Path file, PartitionInfo expected,
      Configuration conf) throws IOException {
    FileSystem fs = DataFileSystems.unchecksummed(fileSystem);
    long length;
    try {
      length = fs.getFileStatus(file).getLen();
    } catch (java.io.FileNotFoundException e) {
      throw new CorruptStoreException(file, "partition file is missing"
          + (expected != null ? " (the manifest lists it)" : ""), e);
    }
    if (expected != null && length != expected.getSizeBytes()) {
      throw new CorruptStoreException(file, "file is " + length + " bytes but the manifest says "
          + expected.getSizeBytes() + " (truncated or replaced)");
    }
    FSDataInputStream in = fs.open(file);
    boolean keepStream = false;
    try {
      PartitionFooter footer = PartitionFooter.read(in, length, file);
      BlockIndex blocks = BlockIndex.read(in, footer, file);
      if (expected != null) {
        checkAgainstManifest(file, footer, blocks, expected);
      }
      long[] slots = readSlots(in, footer, file);
      boolean verify = KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf);
      File local = localFile(fs, file);
      RecordSource source;
      if (local != null && KeyValueConf.READ_MMAP.getBoolean(conf) && MappedRecordSource.canMap(footer)) {
        source = MappedRecordSource.map(local, footer, verify, file);
      } else {
        source = new PositionalRecordSource(in, footer, verify,
            KeyValueConf.LOOKUP_READ_BYTES.getInt(conf), file);
        keepStream = true;
      }
      return new PartitionReader(file, footer, slots, blocks, source);
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

  /** The local file behind {@code path}, or null when the filesystem is not local. */
  private static File localFile(FileSystem fs, Path path) {
    if (fs instanceof LocalFileSystem) {
      return ((LocalFileSystem) fs).pathToFile(path);
    }
    if (fs instanceof RawLocalFileSystem) {
      return ((RawLocalFileSystem) fs).pathToFile(path);
    }
    return null;
  }

  /** Seed of the file's key hash: lookups hash once per distinct seed. */
  public long hashSeed() {
    return footer.hashSeed;
  }

  /** Number of keys. */
  public long keyCount() {
    return footer.keyCount;
  }

  /** The file. */
  public Path file() {
    return file;
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
        recordReads.increment();
        byte[] value = records.valueIfKeyMatches(slot & PartitionFormat.OFFSET_MASK, key, off, len);
        if (value != null) {
          return value;
        }
      }
      b = b + 1 == n ? 0 : b + 1;
    }
  }

  /**
   * Records fetched by lookups so far. Each is one positional read (two for a record larger
   * than the lookup read size) or one access to a memory map.
   */
  public long recordReads() {
    return recordReads.sum();
  }

  /** Approximate heap bytes held by this reader. */
  public long heapBytes() {
    return 8L * slots.length + blocks.heapBytes() + 256;
  }

  @Override
  public void close() throws IOException {
    records.close();
  }
}
