package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * Reads the records of one partition file in key order, sequentially, with a large buffer: one
 * filesystem read per {@link KeyValueConf#READ_BUFFER_SIZE} bytes, never one per record. Each
 * record's CRC32C is checked (unless {@link KeyValueConf#VERIFY_CHECKSUMS} is off), and a scan
 * that ends with a different record count than the footer's fails.
 *
 * <p>The key and value views stay valid until the next call to {@link #next()}. Not thread-safe.
 */
public final class PartitionScanner implements Closeable {
  private final FSDataInputStream in;
  private final Path file;
  private final PartitionFooter footer;
  private final boolean verify;
  private final RecordCodec codec;
  private final RecordCodec.Layout layout = new RecordCodec.Layout();
  private byte[] fromKey;

  private byte[] buffer;
  /** {@link #buffer} as the codec reads it. */
  private ByteBuffer view;
  /** Decompressed values land here; {@link #valueBuffer()} is this or {@link #buffer}. */
  private byte[] decoded = new byte[0];
  private byte[] valueArray;
  private int pos;
  private int limit;
  /** File offset of buffer[limit]. */
  private long streamPos;
  private final long startOffset;
  /** Records parsed, skipped ones included; checked against the footer after a full scan. */
  private long parsed;
  private final boolean counting;

  private int keyOffset;
  private int keyLength;
  private int valueOffset;
  private int valueLength;

  private PartitionScanner(FSDataInputStream in, Path file, PartitionFooter footer,
      RecordCodec codec, boolean verify, int bufferSize, long startOffset, byte[] fromKey)
      throws IOException {
    this.in = in;
    this.codec = codec;
    this.file = file;
    this.footer = footer;
    this.verify = verify;
    this.fromKey = fromKey;
    this.buffer = new byte[(int) Math.max(64, Math.min(bufferSize, footer.dataEnd - startOffset + 16))];
    this.view = ByteBuffer.wrap(buffer);
    this.startOffset = startOffset;
    this.streamPos = startOffset;
    this.counting = startOffset == footer.dataStart;
    in.seek(startOffset);
  }

  /** Opens {@code file} for a scan from its first record. */
  public static PartitionScanner open(FileOperations ops, Path file, Configuration conf)
      throws IOException {
    return open(ops, file, conf, null);
  }

  /**
   * Opens {@code file} for a scan from its first key {@code >= fromKey} (all keys if null),
   * positioned through the sparse index.
   *
   * @throws CorruptStoreException if the file's header, footer or index is damaged
   */
  public static PartitionScanner open(FileOperations ops, Path file, Configuration conf,
      byte[] fromKey) throws IOException {
    return open(ops, file, conf, fromKey, -1);
  }

  /**
   * Opens {@code file} for a scan from its first key {@code >= fromKey} (all keys if null),
   * starting at {@code startOffset} when it is not negative: the offset an open reader's sparse
   * index gave ({@link PartitionReader#startOffset}), so the scan does not read that index again.
   *
   * @throws CorruptStoreException if the file's header, footer or index is damaged
   */
  public static PartitionScanner open(FileOperations ops, Path file, Configuration conf,
      byte[] fromKey, long startOffset) throws IOException {
    int bufferSize = KeyValueConf.READ_BUFFER_SIZE.getInt(conf);
    boolean verify = KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf);
    long length = ops.getFileStatus(file).getLen();
    // The scan fills its own buffer of bufferSize bytes a read: the stream needs none as large.
    FSDataInputStream in = ops.open(file);
    try {
      PartitionFooter footer = PartitionFooter.read(in, length, file);
      RecordCodec codec = new RecordCodec(footer.version, CompressionSection.read(in, footer, file),
          footer.maxValueLength);
      long start = footer.dataStart;
      if (fromKey != null && footer.keyCount > 0) {
        start = startOffset >= 0 ? startOffset
            : BlockIndex.read(in, footer, file).startOffset(fromKey);
      }
      return new PartitionScanner(in, file, footer, codec, verify, bufferSize, start, fromKey);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Number of records in the file, from its footer. */
  public long keyCount() {
    return footer.keyCount;
  }

  /** Fraction of the data section consumed, from 0 to 1. */
  public float progress() {
    long span = footer.dataEnd - startOffset;
    if (span <= 0) {
      return 1f;
    }
    long consumed = streamPos - (limit - pos) - startOffset;
    return Math.min(1f, Math.max(0f, consumed / (float) span));
  }

  /**
   * Advances to the next record.
   *
   * @return false at the end of the partition
   * @throws CorruptStoreException if a record is damaged or the count differs from the footer
   */
  public boolean next() throws IOException {
    while (true) {
      long recordStart = streamPos - (limit - pos);
      if (recordStart >= footer.dataEnd) {
        if (counting && parsed != footer.keyCount) {
          throw new CorruptStoreException(file, "data section holds " + parsed
              + " records but the footer says " + footer.keyCount);
        }
        return false;
      }
      readRecord(recordStart);
      parsed++;
      if (fromKey != null) {
        if (Bytes.compare(buffer, keyOffset, keyLength, fromKey, 0, fromKey.length) < 0) {
          continue;
        }
        fromKey = null;
      }
      return true;
    }
  }

  private void readRecord(long recordStart) throws IOException {
    long available = footer.dataEnd - recordStart;
    ensure((int) Math.min(available, RecordCodec.MAX_HEADER));
    long maxLength = Math.min(available, footer.maxRecordLength);
    if (!codec.readHeader(view, pos, limit - pos, maxLength, layout, file, recordStart)) {
      ensure(layout.totalLength);
      // The buffer may have moved or grown: decode again where the record now is.
      codec.readHeader(view, pos, limit - pos, maxLength, layout, file, recordStart);
    }
    int start = pos;
    if (verify) {
      RecordCodec.checkCrc(view, start, layout.totalLength, file, recordStart);
    }
    keyOffset = layout.keyStart;
    keyLength = layout.keyLength;
    valueLength = layout.valueLength;
    if (layout.compressed) {
      if (decoded.length < valueLength) {
        decoded = new byte[Math.max(valueLength, decoded.length * 2)];
      }
      codec.value(view, layout, decoded, 0, file, recordStart);
      valueArray = decoded;
      valueOffset = 0;
    } else {
      valueArray = buffer;
      valueOffset = layout.valueStart;
    }
    pos = start + layout.totalLength;
  }

  /** Makes at least {@code n} bytes available from {@code pos}. */
  private void ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return;
    }
    if (n > buffer.length) {
      byte[] bigger = new byte[Math.max(n, buffer.length * 2)];
      System.arraycopy(buffer, pos, bigger, 0, limit - pos);
      buffer = bigger;
      view = ByteBuffer.wrap(buffer);
    } else if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
    }
    limit -= pos;
    pos = 0;
    while (limit < n) {
      int want = (int) Math.min(buffer.length - limit, footer.dataEnd - streamPos);
      int read = want <= 0 ? -1 : in.read(buffer, limit, want);
      if (read < 0) {
        throw new CorruptStoreException(file, "file ends at offset " + streamPos
            + ", inside its data section", new EOFException());
      }
      limit += read;
      streamPos += read;
    }
  }

  private CorruptStoreException corrupt(long offset, String problem) {
    return new CorruptStoreException(file, problem + " at offset " + offset);
  }

  /** Array holding the current key. */
  public byte[] keyBuffer() {
    return buffer;
  }

  /** Offset of the current key in {@link #keyBuffer()}. */
  public int keyOffset() {
    return keyOffset;
  }

  /** Length of the current key. */
  public int keyLength() {
    return keyLength;
  }

  /** Array holding the current value (the decompressed copy when it is stored compressed). */
  public byte[] valueBuffer() {
    return valueArray;
  }

  /** Offset of the current value in {@link #valueBuffer()}. */
  public int valueOffset() {
    return valueOffset;
  }

  /** Length of the current value. */
  public int valueLength() {
    return valueLength;
  }

  /** A copy of the current key. */
  public byte[] copyKey() {
    return java.util.Arrays.copyOfRange(buffer, keyOffset, keyOffset + keyLength);
  }

  /** A copy of the current value. */
  public byte[] copyValue() {
    return java.util.Arrays.copyOfRange(valueArray, valueOffset, valueOffset + valueLength);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
