package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32C;
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
  private byte[] fromKey;
  private final CRC32C crc = new CRC32C();

  private byte[] buffer;
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

  private PartitionScanner(FSDataInputStream in, Path file, PartitionFooter footer, boolean verify,
      int bufferSize, long startOffset, byte[] fromKey) throws IOException {
    this.in = in;
    this.file = file;
    this.footer = footer;
    this.verify = verify;
    this.fromKey = fromKey;
    this.buffer = new byte[(int) Math.max(64, Math.min(bufferSize, footer.dataEnd - startOffset + 16))];
    this.startOffset = startOffset;
    this.streamPos = startOffset;
    this.counting = startOffset == PartitionFormat.HEADER_SIZE;
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
    int bufferSize = KeyValueConf.READ_BUFFER_SIZE.getInt(conf);
    boolean verify = KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf);
    long length = ops.getFileStatus(file).getLen();
    // The scan fills its own buffer of bufferSize bytes a read: the stream needs none as large.
    FSDataInputStream in = ops.open(file);
    try {
      PartitionFooter footer = PartitionFooter.read(in, length, file);
      long start = PartitionFormat.HEADER_SIZE;
      if (fromKey != null && footer.keyCount > 0) {
        start = BlockIndex.read(in, footer, file).startOffset(fromKey);
      }
      return new PartitionScanner(in, file, footer, verify, bufferSize, start, fromKey);
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
    ensure((int) Math.min(available, 10));
    int p = pos;
    long keyLen = 0;
    int shift = 0;
    int b;
    do {
      if (p >= limit || shift > 28) {
        throw corrupt(recordStart, "invalid key length");
      }
      b = buffer[p++] & 0xFF;
      keyLen |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    long valueLen = 0;
    shift = 0;
    do {
      if (p >= limit || shift > 28) {
        throw corrupt(recordStart, "invalid value length");
      }
      b = buffer[p++] & 0xFF;
      valueLen |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    int headerLen = p - pos;
    long total = headerLen + keyLen + valueLen + PartitionFormat.RECORD_CRC_SIZE;
    if (total > available || total > footer.maxRecordLength) {
      throw corrupt(recordStart, "record of " + total + " bytes runs past the data section");
    }
    ensure((int) total);
    int start = pos;
    if (verify) {
      crc.reset();
      crc.update(buffer, start, (int) total - 4);
      if ((int) crc.getValue() != PartitionFormat.getIntLE(buffer, start + (int) total - 4)) {
        throw corrupt(recordStart, "record checksum mismatch");
      }
    }
    keyOffset = start + headerLen;
    keyLength = (int) keyLen;
    valueOffset = keyOffset + keyLength;
    valueLength = (int) valueLen;
    pos = start + (int) total;
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

  /** Array holding the current value. */
  public byte[] valueBuffer() {
    return buffer;
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
    return java.util.Arrays.copyOfRange(buffer, valueOffset, valueOffset + valueLength);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
