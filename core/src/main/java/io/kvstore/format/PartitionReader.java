package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreReadException;
import io.kvstore.fs.Closer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PositionedReadable;

/**
 * Point lookups in one partition file. Opening reads and checks the footer and the compression
 * section and compares the key count with the manifest's entry: a few hundred bytes, whatever the
 * partition's size. A hash index of format version 3 is then used from a memory map, its chunk
 * checksums too, each chunk of slots verified the first time a lookup touches it
 * ({@link HashIndex}); on positional reads, and for versions 1 and 2, it is read into heap (8
 * bytes a slot, with version 3's chunk checksums) and checked at open. A lookup probes the slots
 * and reads a record only when its 16-bit fingerprint matches, so most absent keys cost no read. The sparse block index, which only
 * range scans need, is read on the first scan and checked then against the manifest's key range
 * (the footer's key hashes were compared with it at open); versions 1 and 2, whose footers have
 * no key hashes, read it at open for that comparison. Thread-safe.
 */
public final class PartitionReader implements Closeable {
  private final Path file;
  private final PartitionFooter footer;
  private final RecordCodec codec;
  private final HashIndex index;
  private final PartitionInfo expected;
  private final RecordSource records;
  private final boolean recordsMapped;
  /**
   * The one map of the whole file that {@link #records} and {@link #index} read views of, or
   * null when they own their maps (or read no map): its one owner, unmapped by {@link #close}
   * after both are closed.
   */
  private final FileMap whole;
  private final ReadContext context;
  /**
   * Memory maps taken from the context's budget (records and index; 1 for a file mapped whole),
   * returned on close.
   */
  private final long maps;
  /** The sparse index, read by the first scan; null until then. */
  private volatile BlockIndex blocks;
  private final Object blocksLock = new Object();

  private PartitionReader(Path file, PartitionFooter footer, RecordCodec codec, HashIndex index,
      BlockIndex blocks, PartitionInfo expected, RecordSource records, boolean recordsMapped,
      FileMap whole, ReadContext context, long maps) {
    this.blocks = blocks;
    this.file = file;
    this.footer = footer;
    this.codec = codec;
    this.index = index;
    this.expected = expected;
    this.records = records;
    this.recordsMapped = recordsMapped;
    this.whole = whole;
    this.context = context;
    this.maps = maps;
  }

  /**
   * Opens a partition and checks it against its manifest entry. Records are then read through a
   * memory map if the file is local, maps are enabled, its chunks fit and the reader's map budget
   * has room; otherwise by positional reads of the reader's shared streams. A version-3 hash index
   * is memory-mapped with the records unless {@code kvstore.read.mmap.index} is false; a file that
   * then fits one map ({@code kvstore.read.mmap.chunk.bytes}) is mapped once, whole, and records
   * and index read views of that map ({@link FileMap}).
   *
   * @param context what the partitions of one store reader share
   * @param expected the manifest's entry, or null to trust the file alone
   * @throws CorruptStoreException if the file is damaged, truncated, foreign, or differs from
   *     {@code expected}
   */
  public static PartitionReader open(ReadContext context, Path file, PartitionInfo expected)
      throws IOException {
    // A local file to be mapped is opened once, and its header, footer and compression section
    // are read through the channel the maps are taken from: one open(2) and one fstat(2) for the
    // length, instead of Hadoop's status and stream (which stat a local file several times each).
    FileChannel channel = null;
    if (context.mmap) {
      try {
        channel = context.ops.openForMapping(file);
      } catch (java.io.FileNotFoundException e) {
        throw missing(file, expected, e);
      } catch (IOException e) {
        throw new StoreReadException(file, -1, e);
      }
    }
    if (channel == null) {
      return open(context, file, expected, null);
    }
    PartitionReader reader;
    try {
      reader = open(context, file, expected, channel);
    } catch (IOException | RuntimeException e) {
      Closer.closeAfter(e, channel);
      throw e;
    }
    try {
      // The maps stay valid after the channel is closed.
      channel.close();
    } catch (IOException e) {
      Closer.closeAfter(e, reader);
      throw new StoreReadException(file, -1, e);
    }
    return reader;
  }

  private static CorruptStoreException missing(Path file, PartitionInfo expected,
      java.io.FileNotFoundException e) {
    return new CorruptStoreException(file, "partition file is missing"
        + (expected != null ? " (the manifest lists it)" : ""), e);
  }

  /**
   * {@link #open(ReadContext, Path, PartitionInfo)} reading through {@code channel} (open for
   * mapping, closed by the caller) or, when it is null, through a stream of the filesystem.
   */
  private static PartitionReader open(ReadContext context, Path file, PartitionInfo expected,
      FileChannel channel) throws IOException {
    long length;
    long blockSize = -1;
    if (channel != null) {
      try {
        length = channel.size();
      } catch (IOException e) {
        throw new StoreReadException(file, -1, e);
      }
    } else {
      try {
        org.apache.hadoop.fs.FileStatus status = context.ops.getFileStatus(file);
        length = status.getLen();
        blockSize = status.getBlockSize();
      } catch (java.io.FileNotFoundException e) {
        throw missing(file, expected, e);
      }
    }
    if (expected != null && length != expected.getSizeBytes()) {
      throw new CorruptStoreException(file, "file is " + length + " bytes but the manifest says "
          + expected.getSizeBytes() + " (truncated or replaced)");
    }
    FSDataInputStream in = channel == null ? context.ops.open(file) : null;
    PositionedReadable reads = in != null ? in : new ChannelReads(channel);
    boolean keepStream = false;
    HashIndex index = null;
    try {
      PartitionFooter footer;
      RecordCodec codec;
      int[] chunkCrcs;
      boolean mapIndex;
      BlockIndex blocks = null;
      try {
        footer = PartitionFooter.read(reads, length, file);
        codec = new RecordCodec(footer.version, CompressionSection.read(reads, footer, file),
            footer.maxValueLength);
        if (expected != null && footer.keyCount != expected.getKeyCount()) {
          throw new CorruptStoreException(file, "file holds " + footer.keyCount
              + " keys but the manifest says " + expected.getKeyCount());
        }
        if (footer.version < 3) {
          // No key hashes in the footer: the sparse index gives the key range, as it always did.
          blocks = BlockIndex.read(reads, footer, file);
          if (expected != null) {
            checkKeyRange(file, blocks, expected);
          }
        } else if (expected != null && footer.keyCount > 0
            && (footer.firstKeyHash != PartitionFooter.keyHash(expected.getFirstKey(),
                footer.hashSeed)
            || footer.lastKeyHash != PartitionFooter.keyHash(expected.getLastKey(),
                footer.hashSeed))) {
          throw new CorruptStoreException(file, "file's key range differs from the manifest's ["
              + Bytes.toPrintable(expected.getFirstKey()) + ", "
              + Bytes.toPrintable(expected.getLastKey()) + "] (the footer's key hashes do not"
              + " match; swapped or replaced)");
        }
        mapIndex = footer.version >= 3 && context.mmapIndex && context.mmap;
        // A mapped index maps its chunk checksums too: opening reads none of the index.
        chunkCrcs = footer.version >= 3
            && !(mapIndex && HashIndex.mapsChunkCrcs(footer, context.chunkBytes))
            ? HashIndex.readChunkCrcs(reads, footer, file) : null;
        if (!mapIndex) {
          index = HashIndex.readIntoHeap(reads, footer, chunkCrcs, file);
        }
      } catch (CorruptStoreException e) {
        throw e;
      } catch (IOException e) {
        // The filesystem failed (an HDFS block with no healthy replica): name the file, as a
        // lookup's failed read does, rather than surface a bare filesystem exception.
        throw new StoreReadException(file, -1, e);
      }
      long recordMaps = MappedRecordSource.chunkCount(footer, context.chunkBytes);
      // A file that fits one chunk, index mapped too, is mapped once and both read views of
      // that map: one mmap(2) and one map of the budget instead of two (see FileMap).
      boolean whole = mapIndex && FileMap.fits(footer.fileLength, context.chunkBytes);
      long maps = whole ? 1
          : recordMaps + (mapIndex ? HashIndex.mapCount(footer, context.chunkBytes) : 0);
      if (channel != null && recordMaps > 0 && context.reserveMaps(maps)) {
        Mapped mapped = map(context, file, footer, codec, chunkCrcs, mapIndex, whole, maps,
            channel);
        return new PartitionReader(file, footer, codec, mapIndex ? mapped.index : index, blocks,
            expected, mapped.records, true, mapped.whole, context, maps);
      }
      try {
        if (index == null) {
          if (footer.version >= 3 && chunkCrcs == null) {
            chunkCrcs = HashIndex.readChunkCrcs(reads, footer, file);
          }
          index = HashIndex.readIntoHeap(reads, footer, chunkCrcs, file);
        }
        if (channel != null) {
          // Not mapped after all (no records, or the map budget is spent): lookups read through
          // the pool's streams, whose reads are sized by the file's block size.
          blockSize = context.ops.getFileStatus(file).getBlockSize();
        }
      } catch (CorruptStoreException e) {
        throw e;
      } catch (IOException e) {
        throw new StoreReadException(file, -1, e);
      }
      RecordSource source = new PositionalRecordSource(context.streams, footer, codec,
          context.verify, context.lookupReadBytes, blockSize, file);
      if (in != null) {
        // The footer's stream serves the first lookups too, until the pool needs room.
        context.streams.adopt(file, in);
        keepStream = true;
      }
      return new PartitionReader(file, footer, codec, index, blocks, expected, source, false,
          null, context, 0);
    } finally {
      if (!keepStream && in != null) {
        in.close();
      }
    }
  }

  private static void checkKeyRange(Path file, BlockIndex blocks, PartitionInfo expected)
      throws CorruptStoreException {
    if (!Arrays.equals(blocks.firstKey(), expected.getFirstKey())
        || !Arrays.equals(blocks.lastKey(), expected.getLastKey())) {
      throw new CorruptStoreException(file, "file's key range [" + Bytes.toPrintable(blocks.firstKey())
          + ", " + Bytes.toPrintable(blocks.lastKey()) + "] differs from the manifest's ["
          + Bytes.toPrintable(expected.getFirstKey()) + ", "
          + Bytes.toPrintable(expected.getLastKey()) + "]");
    }
  }

  /**
   * What {@link #map} maps: the records, the hash index when asked, and the one map of the whole
   * file both read views of (null when each maps its own).
   */
  private static final class Mapped {
    final RecordSource records;
    final HashIndex index;
    final FileMap whole;

    Mapped(RecordSource records, HashIndex index, FileMap whole) {
      this.records = records;
      this.index = index;
      this.whole = whole;
    }
  }

  /**
   * Maps the records of {@code file} (and its version-3 hash index if {@code mapIndex}) from
   * {@code channel}, with {@code maps} maps already reserved: if {@code whole}, the whole file in
   * one map that both read views of, else each its own maps. On failure the maps taken are
   * unmapped and the reservation given back.
   *
   * @throws StoreReadException naming the file if the filesystem fails to map it
   */
  private static Mapped map(ReadContext context, Path file, PartitionFooter footer,
      RecordCodec codec, int[] chunkCrcs, boolean mapIndex, boolean whole, long maps,
      FileChannel channel) throws IOException {
    FileMap fileMap = null;
    MappedRecordSource source = null;
    HashIndex index = null;
    try {
      if (whole) {
        fileMap = FileMap.map(channel, footer, file);
        source = MappedRecordSource.view(fileMap, footer, codec, context.verify,
            context.chunkBytes, file);
        index = HashIndex.view(fileMap, footer, chunkCrcs, context.chunkBytes, file);
      } else {
        source = MappedRecordSource.map(channel, footer, codec, context.verify,
            context.chunkBytes, file);
        if (mapIndex) {
          index = HashIndex.map(channel, footer, chunkCrcs, context.chunkBytes, file);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The views first, then the map they read (closing a view unmaps nothing).
      Closer.closeAfter(e, source);
      Closer.closeAfter(e, index);
      Closer.closeAfter(e, fileMap);
      context.releaseMaps(maps);
      if (e instanceof IOException && !(e instanceof CorruptStoreException)) {
        throw new StoreReadException(file, -1, (IOException) e);
      }
      throw e;
    }
    return new Mapped(source, index, fileMap);
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

  /**
   * Offset where a scan for keys {@code >= key} starts, from the sparse index (read and checked
   * against the manifest's key range by the first call).
   *
   * @throws CorruptStoreException if the sparse index is damaged or its key range differs from
   *     the manifest's
   */
  public long startOffset(byte[] key) throws IOException {
    return blocks().startOffset(key);
  }

  /**
   * The sparse index, read once by the first caller; racing callers wait for it. A failure is not
   * kept: the next scan reads again and fails the same way on a damaged file.
   */
  private BlockIndex blocks() throws IOException {
    BlockIndex b = blocks;
    if (b != null) {
      return b;
    }
    synchronized (blocksLock) {
      b = blocks;
      if (b == null) {
        try (FSDataInputStream in = context.ops.open(file)) {
          b = BlockIndex.read(in, footer, file);
        } catch (CorruptStoreException e) {
          throw e;
        } catch (IOException e) {
          throw new StoreReadException(file, -1, e);
        }
        if (expected != null) {
          checkKeyRange(file, b, expected);
        }
        blocks = b;
      }
      return b;
    }
  }

  /**
   * Checks what opening leaves to lookups and scans: every hash index chunk (checksum and
   * offsets), the count of used slots against the key count, and the sparse index with its key
   * range: the whole-index checks of {@code kvstore verify}.
   *
   * @throws CorruptStoreException naming the file and the first problem
   */
  public void verifyIndexes() throws IOException {
    index.verifyAll(footer.keyCount);
    blocks();
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
    return KeyHash.reduce(hash, index.slotCount());
  }

  /**
   * Adds the load of slot {@code b} to {@code loads}, unverified: a multi-get's first phase, whose
   * loop must be loads alone so that their misses overlap. {@link #candidate} reads the slot
   * again, verified.
   */
  public void addSlotLoad(int b, BatchLoads loads) {
    index.addLoad(b, loads);
  }

  /**
   * The first slot from {@code b} on (wrapping) whose fingerprint matches {@code hash}, or -1 if
   * an empty slot comes first (the key is absent: no record is read).
   *
   * @throws CorruptStoreException naming the file and the chunk if a probed chunk is damaged
   */
  public int candidate(int b, long hash) throws CorruptStoreException {
    HashIndex table = index;
    int n = table.slotCount();
    while (true) {
      long slot = table.slot(b);
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
   * Adds the loads of the cache lines of the record slot {@code b} points to (slot read through
   * the verifying routine) to {@code loads}; nothing when records are not memory-mapped.
   *
   * @throws CorruptStoreException naming the file and the chunk if the slot's chunk is damaged
   */
  public void addRecordLoads(int b, BatchLoads loads) throws CorruptStoreException {
    records.addLoads(index.slot(b) & PartitionFormat.OFFSET_MASK, loads);
  }

  /**
   * Offset in the file of the record slot {@code b} points to.
   *
   * @throws CorruptStoreException naming the file and the chunk if the slot's chunk is damaged
   */
  public long recordOffset(int b) throws CorruptStoreException {
    return index.slot(b) & PartitionFormat.OFFSET_MASK;
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
    return recordsMapped;
  }

  /** Whether the hash index is read through memory maps (else it is in heap). */
  public boolean isIndexMapped() {
    return index.isMapped();
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
    HashIndex table = index;
    int n = table.slotCount();
    while (b >= 0) {
      if (records.find(table.slot(b) & PartitionFormat.OFFSET_MASK, key, off, len, hit)) {
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

  /**
   * Memory maps this partition holds, records and index: 1 when the file fits one map
   * ({@code kvstore.read.mmap.chunk.bytes}) and both are mapped, 0 when it is read with
   * positional reads.
   */
  public long memoryMaps() {
    return maps;
  }

  /**
   * Approximate heap bytes held by this reader: a heap index's slots (none for a mapped one), the
   * sparse index once a scan has read it, and the compression dictionary.
   */
  public long heapBytes() {
    BlockIndex b = blocks;
    return index.heapBytes() + (b == null ? 0 : b.heapBytes()) + codec.values().dictionaryLength
        + 256;
  }

  /**
   * Releases the partition's memory maps at once. The caller must make sure no lookup of this
   * partition is in flight or will start (a {@link ReadGuard}): reading an unmapped buffer
   * crashes the JVM.
   */
  @Override
  public void close() throws IOException {
    records.close();
    index.close();
    if (whole != null) {
      // Last: the views of records and index are dropped, so nothing reads the map any more.
      whole.close();
    }
    context.releaseMaps(maps);
  }
}
