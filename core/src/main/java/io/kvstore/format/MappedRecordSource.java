package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records of a local partition file read through memory maps of its data section: a lookup
 * touches only the pages of its record, with no system call. The section is always mapped in
 * chunks of a configured size ({@code kvstore.read.mmap.chunk.bytes}); chunk {@code i} starts at
 * {@code i * chunkBytes} and runs on by the partition's largest record, so the record at any
 * offset lies whole in chunk {@code offset / chunkBytes}. {@link #close()} unmaps at once: the
 * owner must make sure no lookup is in flight ({@link ReadGuard}). When the whole file fits one
 * chunk and its index is mapped too, the chunk is a view of one map of the file ({@link FileMap},
 * {@link #view}) instead, which this source does not unmap.
 */
final class MappedRecordSource implements RecordSource {
  static {
    // Load the unmapper with this class, not first in an error path (where, out of file
    // descriptors, loading a class fails and hides the real error).
    Unmapper.ensureLoaded();
  }

  /** Most bytes of a record {@link #touch} loads: longer values are copied at memory speed. */
  private static final int TOUCH_BYTES = 256;

  private final Object file;
  private final RecordCodec codec;
  private final long dataEnd;
  private final int maxRecordLength;
  private final boolean verify;
  private final long chunkBytes;
  private final MappedByteBuffer[] chunks;
  /** Whether the chunks are this source's own maps (else views of a {@link FileMap}). */
  private final boolean owned;
  private final LongAdder reads = new LongAdder();

  private MappedRecordSource(Object file, PartitionFooter footer, RecordCodec codec,
      boolean verify, long chunkBytes, MappedByteBuffer[] chunks, boolean owned) {
    this.file = file;
    this.codec = codec;
    this.dataEnd = footer.dataEnd;
    this.maxRecordLength = footer.maxRecordLength;
    this.verify = verify;
    this.chunkBytes = chunkBytes;
    this.chunks = chunks;
    this.owned = owned;
  }

  /**
   * How many maps a file with this footer takes in chunks of {@code chunkBytes}, or -1 if it
   * cannot be mapped: a chunk plus the overlap must fit a Java buffer (2^31 - 1 bytes).
   */
  static long chunkCount(PartitionFooter footer, long chunkBytes) {
    if (chunkBytes + footer.maxRecordLength > Integer.MAX_VALUE) {
      return -1;
    }
    return footer.dataEnd <= 0 ? 1 : (footer.dataEnd - 1) / chunkBytes + 1;
  }

  /**
   * Maps the data section of the file open in {@code channel}, which the caller closes;
   * {@link #chunkCount} must not be -1. The source owns its maps and unmaps them on close.
   */
  static MappedRecordSource map(FileChannel channel, PartitionFooter footer, RecordCodec codec,
      boolean verify, long chunkBytes, Object name) throws IOException {
    if (channel.size() != footer.fileLength) {
      throw new CorruptStoreException(name, "file changed while opening: " + channel.size()
          + " bytes, expected " + footer.fileLength);
    }
    return chunks(footer, codec, verify, chunkBytes, name, true,
        (start, length) -> channel.map(FileChannel.MapMode.READ_ONLY, start, length));
  }

  /**
   * The data section read through views of {@code whole}, a map of the whole file ({@link
   * FileMap#fits} it in chunks of {@code chunkBytes}, so there is one chunk): the same chunk
   * layout as {@link #map}, of slices. The source does not own them: {@link #close} drops them and
   * {@code whole}'s owner unmaps the file.
   */
  static MappedRecordSource view(FileMap whole, PartitionFooter footer, RecordCodec codec,
      boolean verify, long chunkBytes, Object name) throws IOException {
    return chunks(footer, codec, verify, chunkBytes, name, false, whole::view);
  }

  /** Where {@link #chunks} gets a buffer of {@code [start, start + length)} of the file. */
  private interface Regions {
    MappedByteBuffer region(long start, long length) throws IOException;
  }

  /**
   * The source over chunks taken from {@code regions}, unmapped on failure when {@code owned}.
   */
  private static MappedRecordSource chunks(PartitionFooter footer, RecordCodec codec,
      boolean verify, long chunkBytes, Object name, boolean owned, Regions regions)
      throws IOException {
    int n = (int) chunkCount(footer, chunkBytes);
    MappedByteBuffer[] chunks = new MappedByteBuffer[n];
    try {
      for (int i = 0; i < n; i++) {
        long start = i * chunkBytes;
        long end = Math.min(footer.dataEnd, start + chunkBytes + footer.maxRecordLength);
        chunks[i] = regions.region(start, end - start);
        // ValueHit copies values a word at a time in this order.
        chunks[i].order(ByteOrder.LITTLE_ENDIAN);
      }
    } catch (IOException | RuntimeException e) {
      if (owned) {
        unmap(chunks);
      }
      throw e;
    }
    return new MappedRecordSource(name, footer, codec, verify, chunkBytes, chunks, owned);
  }

  /** Most loads {@link #addLoads} adds for one record. */
  static int maxLoads() {
    return TOUCH_BYTES / 64 + 1;
  }

  @Override
  public void addLoads(long offset, BatchLoads loads) {
    int chunk = (int) (offset / chunkBytes);
    MappedByteBuffer buf = chunks[chunk];
    int index = (int) (offset - chunk * chunkBytes);
    // Every cache line of the record up to TOUCH_BYTES: a record of a 16-byte key and a 100-byte
    // value spans two or three lines, all of which the checksum reads.
    int end = (int) Math.min(buf.limit(), index + Math.min(maxRecordLength, TOUCH_BYTES));
    loads.add(buf, index);
    for (int i = (index | 63) + 1; i < end; i += 64) {
      loads.add(buf, i);
    }
  }

  @Override
  public boolean find(long offset, byte[] key, int off, int len, ValueHit hit)
      throws IOException {
    reads.increment();
    int chunk = (int) (offset / chunkBytes);
    MappedByteBuffer buf = chunks[chunk];
    int index = (int) (offset - chunk * chunkBytes);
    long maxLength = Math.min(dataEnd - offset, maxRecordLength);
    RecordCodec.Layout layout = hit.layout;
    if (!codec.readHeader(buf, index, buf.limit() - index, maxLength, layout, file, offset)) {
      throw new CorruptStoreException(file, "record at offset " + offset
          + " runs past its memory-mapped chunk");
    }
    return codec.find(buf, index, layout, verify, key, off, len, hit, file, offset);
  }

  @Override
  public long reads() {
    return reads.sum();
  }

  /** Number of memory maps held: 0 when the chunks are views of a {@link FileMap}. */
  int maps() {
    return owned ? chunks.length : 0;
  }

  /**
   * Unmaps the chunks this source owns; views are only dropped (their {@link FileMap}'s owner
   * unmaps the file). Either way a later read fails on a null chunk instead of reading memory.
   */
  @Override
  public void close() {
    if (owned) {
      unmap(chunks);
    } else {
      Arrays.fill(chunks, null);
    }
  }

  private static void unmap(MappedByteBuffer[] chunks) {
    for (int i = 0; i < chunks.length; i++) {
      if (chunks[i] != null) {
        Unmapper.unmap(chunks[i]);
        chunks[i] = null;
      }
    }
  }
}
