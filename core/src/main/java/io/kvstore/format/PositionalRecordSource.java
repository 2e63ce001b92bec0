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
  private final long blockSize;
  private final LongAdder reads = new LongAdder();

  PositionalRecordSource(StreamPool streams, PartitionFooter footer, RecordCodec codec,
      boolean verify, int lookupReadBytes, long blockSize, Path file) {
    this.streams = streams;
    this.codec = codec;
    this.file = file;
    this.dataEnd = footer.dataEnd;
    this.maxRecordLength = footer.maxRecordLength;
    this.verify = verify;
    this.readSize = Math.max(16, Math.min(lookupReadBytes, footer.maxRecordLength));
    this.blockSize = blockSize > 0 ? blockSize : Long.MAX_VALUE;
  }

  @Override
  public void addLoads(long offset, BatchLoads loads) {
    // Nothing is in memory: a multi-get reads these records in parallel instead.
  }

  @Override
  public long readEnd(long offset) {
    return Math.min(dataEnd, offset + readSize);
  }

  @Override
  public long blockSize() {
    return blockSize;
  }

  @Override
  public RecordRange readRange(long start, long end) throws IOException {
    if (start < 0 || end > dataEnd || end - start > Integer.MAX_VALUE - 16 || end <= start) {
      throw new IllegalArgumentException("range [" + start + ", " + end + ") is not within the"
          + " data section of " + file);
    }
    return new RecordRange(this, start, read(start, (int) (end - start)));
  }

  @Override
  public boolean find(long offset, byte[] key, int off, int len, ValueHit hit)
      throws IOException {
    RecordRange range = hit.range;
    ByteBuffer buf;
    int index;
    int available;
    if (range != null && range.source == this && offset >= range.start
        && readEnd(offset) <= range.start + range.bytes.length) {
      // Read already, with the records near it, by one read of a multi-get.
      buf = ByteBuffer.wrap(range.bytes);
      index = (int) (offset - range.start);
      available = range.bytes.length - index;
    } else {
      available = (int) Math.min(readSize, dataEnd - offset);
      buf = ByteBuffer.wrap(read(offset, available));
      index = 0;
    }
    RecordCodec.Layout layout = hit.layout;
    long maxLength = Math.min(dataEnd - offset, maxRecordLength);
    if (!codec.readHeader(buf, index, available, maxLength, layout, file, offset)) {
      // Longer than the first read: read it whole, and decode its header where it now lies.
      available = layout.totalLength;
      buf = ByteBuffer.wrap(read(offset, available));
      index = 0;
      if (!codec.readHeader(buf, index, available, maxLength, layout, file, offset)) {
        throw new CorruptStoreException(file, "record at offset " + offset
            + " changed its length between two reads");
      }
    }
    return codec.find(buf, index, layout, verify, key, off, len, hit, file, offset);
  }

  /** One positional read of {@code n} bytes at {@code offset}, through a stream of the pool. */
  private byte[] read(long offset, int n) throws IOException {
    StreamPool.Lease lease;
    try {
      lease = streams.acquire(file);
    } catch (IOException e) {
      throw new StoreReadException(file, offset, e);
    }
    try {
      reads.increment();
      byte[] bytes = new byte[n];
      try {
        lease.in.readFully(offset, bytes, 0, n);
      } catch (EOFException e) {
        throw new CorruptStoreException(file, "file ends inside the record at offset " + offset,
            e);
      } catch (IOException e) {
        // e.g. HDFS BlockMissingException once every replica failed: say which store file.
        throw new StoreReadException(file, offset, e);
      }
      return bytes;
    } finally {
      streams.release(lease);
    }
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
