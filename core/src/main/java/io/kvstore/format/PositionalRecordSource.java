package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Records read with one positional read each (HDFS pread: no seek, safe from many threads). The
 * read covers the partition's largest record, capped at the configured lookup size, so a present
 * key costs one read unless its record is larger than the cap.
 */
final class PositionalRecordSource implements RecordSource {
  private final FSDataInputStream in;
  private final Object file;
  private final long dataEnd;
  private final int maxRecordLength;
  private final boolean verify;
  private final int readSize;

  PositionalRecordSource(FSDataInputStream in, PartitionFooter footer, boolean verify,
      int lookupReadBytes, Object file) {
    this.in = in;
    this.file = file;
    this.dataEnd = footer.dataEnd;
    this.maxRecordLength = footer.maxRecordLength;
    this.verify = verify;
    this.readSize = Math.max(16, Math.min(lookupReadBytes, footer.maxRecordLength));
  }

  @Override
  public byte[] valueIfKeyMatches(long offset, byte[] key, int off, int len) throws IOException {
    int n = (int) Math.min(readSize, dataEnd - offset);
    byte[] bytes = read(offset, n);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    RecordDecoder.Layout layout = new RecordDecoder.Layout();
    long maxLength = Math.min(dataEnd - offset, maxRecordLength);
    if (!RecordDecoder.readHeader(buf, 0, n, maxLength, layout, file, offset)) {
      buf = ByteBuffer.wrap(read(offset, layout.totalLength));
    }
    if (verify) {
      RecordDecoder.checkCrc(buf, 0, layout.totalLength, file, offset);
    }
    return RecordDecoder.keyEquals(buf, layout.keyStart, layout.keyLength, key, off, len)
        ? RecordDecoder.value(buf, layout.valueStart, layout.valueLength) : null;
  }

  private byte[] read(long offset, int n) throws IOException {
    byte[] bytes = new byte[n];
    try {
      in.readFully(offset, bytes, 0, n);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside the record at offset " + offset, e);
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
