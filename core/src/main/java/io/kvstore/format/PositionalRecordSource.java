package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import io.kvstore.StoreReadException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.fs.Path;

/**
 * Records read with one positional read each (HDFS pread: no seek, safe from many threads). The
 * read covers the partition's largest record, capped at the configured lookup size, so a present
 * key costs one read unless its record is larger than the cap. Streams come from the reader's
 * shared {@link StreamPool}, so a partition holds no open file between lookups. A filesystem
 * error becomes a {@link StoreReadException} naming the file and offset.
 */
final class PositionalRecordSource implements RecordSource {
  private final StreamPool streams;
  private final Path file;
  private final RecordCodec codec;
  private final long dataEnd;
  private final int maxRecordLength;
  private final boolean verify;
  private final int readSize;
  private final LongAdder reads = new LongAdder();

  PositionalRecordSource(StreamPool streams, PartitionFooter footer, RecordCodec codec,
      boolean verify, int lookupReadBytes, Path file) {
    this.streams = streams;
    this.codec = codec;
    this.file = file;
    this.dataEnd = footer.dataEnd;
    this.maxRecordLength = footer.maxRecordLength;
    this.verify = verify;
    this.readSize = Math.max(16, Math.min(lookupReadBytes, footer.maxRecordLength));
  }

  @Override
  public int touch(long offset) {
    // Nothing is in memory: a multi-get reads these records in parallel instead.
    return 0;
  }

  @Override
  public boolean find(long offset, byte[] key, int off, int len, ValueHit hit)
      throws IOException {
    StreamPool.Lease lease;
    try {
      lease = streams.acquire(file);
    } catch (IOException e) {
      throw new StoreReadException(file, offset, e);
    }
    try {
      int n = (int) Math.min(readSize, dataEnd - offset);
      byte[] bytes = read(lease, offset, n);
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      RecordCodec.Layout layout = hit.layout;
      long maxLength = Math.min(dataEnd - offset, maxRecordLength);
      if (!codec.readHeader(buf, 0, n, maxLength, layout, file, offset)) {
        buf = ByteBuffer.wrap(read(lease, offset, layout.totalLength));
      }
      return codec.find(buf, 0, layout, verify, key, off, len, hit, file, offset);
    } finally {
      streams.release(lease);
    }
  }

  private byte[] read(StreamPool.Lease lease, long offset, int n) throws IOException {
    reads.increment();
    byte[] bytes = new byte[n];
    try {
      lease.in.readFully(offset, bytes, 0, n);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside the record at offset " + offset, e);
    } catch (IOException e) {
      // e.g. HDFS BlockMissingException once every replica failed: say which store file.
      throw new StoreReadException(file, offset, e);
    }
    return bytes;
  }

  @Override
  public long reads() {
    return reads.sum();
  }

  @Override
  public void close() {
    // The streams belong to the reader's pool, closed with the reader.
  }
}
