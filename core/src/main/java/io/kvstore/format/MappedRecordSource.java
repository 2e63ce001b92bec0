package io.kvstore.format;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Records of a local partition file read through memory maps of its data section: a lookup
 * touches only the pages of its record, with no system call. Sections beyond 2 GB are mapped in
 * 1 GB chunks that overlap by the partition's largest record, so every record lies whole in the
 * chunk its offset falls in.
 */
final class MappedRecordSource implements RecordSource {
  private static final long CHUNK = 1L << 30;

  private final Object file;
  private final long dataEnd;
  private final int maxRecordLength;
  private final boolean verify;
  private final MappedByteBuffer[] chunks;

  private MappedRecordSource(Object file, long dataEnd, int maxRecordLength, boolean verify,
      MappedByteBuffer[] chunks) {
    this.file = file;
    this.dataEnd = dataEnd;
    this.maxRecordLength = maxRecordLength;
    this.verify = verify;
    this.chunks = chunks;
  }

  /** Whether a file with this footer can be mapped (records not too large for the chunking). */
  static boolean canMap(PartitionFooter footer) {
    return footer.dataEnd <= Integer.MAX_VALUE || footer.maxRecordLength < CHUNK;
  }

  static MappedRecordSource map(File local, PartitionFooter footer, boolean verify, Object name)
      throws IOException {
    try (FileChannel channel = FileChannel.open(local.toPath(), StandardOpenOption.READ)) {
      if (channel.size() != footer.fileLength) {
        throw new io.kvstore.CorruptStoreException(name, "file changed while opening: "
            + channel.size() + " bytes, expected " + footer.fileLength);
      }
      MappedByteBuffer[] chunks;
      if (footer.dataEnd <= Integer.MAX_VALUE) {
        chunks = new MappedByteBuffer[] {channel.map(FileChannel.MapMode.READ_ONLY, 0, footer.dataEnd)};
      } else {
        int n = (int) ((footer.dataEnd + CHUNK - 1) / CHUNK);
        chunks = new MappedByteBuffer[n];
        for (int i = 0; i < n; i++) {
          long start = i * CHUNK;
          long end = Math.min(footer.dataEnd, start + CHUNK + footer.maxRecordLength);
          chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, end - start);
        }
      }
      return new MappedRecordSource(name, footer.dataEnd, footer.maxRecordLength, verify, chunks);
    }
  }

  @Override
  public byte[] valueIfKeyMatches(long offset, byte[] key, int off, int len) throws IOException {
    int chunk = (int) (offset / CHUNK);
    MappedByteBuffer buf = chunks[chunk];
    int index = (int) (offset - chunk * CHUNK);
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
        throw new io.kvstore.CorruptStoreException(file, "record at offset " + offset
            + " runs past its memory-mapped chunk");
      }
      keyLength = layout.keyLength;
      valueLength = layout.valueLength;
      keyStart = layout.keyStart;
      total = layout.totalLength;
    } else if (total > maxLength || total > buf.limit() - index) {
      throw new io.kvstore.CorruptStoreException(file, "record at offset " + offset + " of "
          + total + " bytes runs past the data section or exceeds the partition's largest record");
    }
    if (verify) {
      RecordDecoder.checkCrc(buf, index, total, file, offset);
    }
    return RecordDecoder.keyEquals(buf, keyStart, keyLength, key, off, len)
        ? RecordDecoder.value(buf, keyStart + keyLength, valueLength) : null;
  }

  @Override
  public void close() {
    // Mappings are released when the buffers are collected; Java 11 has no supported unmap.
  }
}
