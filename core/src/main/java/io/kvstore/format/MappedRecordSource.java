package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records of a local partition file read through memory maps of its data section: a lookup
 * touches only the pages of its record, with no system call. The section is always mapped in
 * chunks of a configured size ({@code kvstore.read.mmap.chunk.bytes}); chunk {@code i} starts at
 * {@code i * chunkBytes} and runs on by the partition's largest record, so the record at any
 * offset lies whole in chunk {@code offset / chunkBytes}. {@link #close()} unmaps at once: the
 * owner must make sure no lookup is in flight ({@link ReadGuard}).
 */
final class MappedRecordSource implements RecordSource {
  static {
    // Load the unmapper with this class, not first in an error path (where, out of file
    // descriptors, loading a class fails and hides the real error).
    Unmapper.ensureLoaded();
  }

  private final Object file;
  private final long dataEnd;
  private final int maxRecordLength;
  private final boolean verify;
  private final long chunkBytes;
  private final MappedByteBuffer[] chunks;
  private final LongAdder reads = new LongAdder();

  private MappedRecordSource(Object file, PartitionFooter footer, boolean verify, long chunkBytes,
      MappedByteBuffer[] chunks) {
    this.file = file;
    this.dataEnd = footer.dataEnd;
    this.maxRecordLength = footer.maxRecordLength;
    this.verify = verify;
    this.chunkBytes = chunkBytes;
    this.chunks = chunks;
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
   * {@link #chunkCount} must not be -1.
   */
  static MappedRecordSource map(FileChannel channel, PartitionFooter footer, boolean verify,
      long chunkBytes, Object name) throws IOException {
    int n = (int) chunkCount(footer, chunkBytes);
    MappedByteBuffer[] chunks = new MappedByteBuffer[n];
    try {
      if (channel.size() != footer.fileLength) {
        throw new CorruptStoreException(name, "file changed while opening: " + channel.size()
            + " bytes, expected " + footer.fileLength);
      }
      for (int i = 0; i < n; i++) {
        long start = i * chunkBytes;
        long end = Math.min(footer.dataEnd, start + chunkBytes + footer.maxRecordLength);
        chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, end - start);
      }
    } catch (IOException | RuntimeException e) {
      unmap(chunks);
      throw e;
    }
    return new MappedRecordSource(name, footer, verify, chunkBytes, chunks);
  }

  @Override
  public byte[] valueIfKeyMatches(long offset, byte[] key, int off, int len) throws IOException {
    reads.increment();
    int chunk = (int) (offset / chunkBytes);
    MappedByteBuffer buf = chunks[chunk];
    int index = (int) (offset - chunk * chunkBytes);
    long maxLength = Math.min(dataEnd - offset, maxRecordLength);
    // Lengths below 128 take one varint byte: decode those inline, the rest through the decoder.
    boolean twoBytes = buf.limit() - index >= 2;
    int keyLength = twoBytes ? buf.get(index) : -1;
    int valueLength = keyLength >= 0 ? buf.get(index + 1) : -1;
    int keyStart = index + 2;
    int total = 2 + keyLength + valueLength + PartitionFormat.RECORD_CRC_SIZE;
    if (keyLength < 0 || valueLength < 0) {
      RecordDecoder.Layout layout = new RecordDecoder.Layout();
      if (!RecordDecoder.readHeader(buf, index, buf.limit() - index, maxLength, layout, file,
          offset)) {
        throw new CorruptStoreException(file, "record at offset " + offset
            + " runs past its memory-mapped chunk");
      }
      keyLength = layout.keyLength;
      valueLength = layout.valueLength;
      keyStart = layout.keyStart;
      total = layout.totalLength;
    } else if (total > maxLength || total > buf.limit() - index) {
      throw new CorruptStoreException(file, "record at offset " + offset + " of "
          + total + " bytes runs past the data section or exceeds the partition's largest record");
    }
    if (verify) {
      RecordDecoder.checkCrc(buf, index, total, file, offset);
    }
    return RecordDecoder.keyEquals(buf, keyStart, keyLength, key, off, len)
        ? RecordDecoder.value(buf, keyStart + keyLength, valueLength) : null;
  }

  @Override
  public long reads() {
    return reads.sum();
  }

  /** Number of memory maps held. */
  int maps() {
    return chunks.length;
  }

  @Override
  public void close() {
    unmap(chunks);
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
