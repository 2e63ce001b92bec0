package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Decodes one record held in a {@link ByteBuffer} at an absolute index, checking its bounds and
 * CRC32C. Shared by the record sources so both apply the same checks.
 */
final class RecordDecoder {
  /** What a decode found: key bounds and record length, or a need for more bytes. */
  static final class Layout {
    int keyStart;
    int keyLength;
    int valueStart;
    int valueLength;
    int totalLength;
  }

  private RecordDecoder() {}

  /**
   * Reads the record header at {@code index}.
   *
   * @param available bytes of {@code buf} from {@code index} that belong to the data section
   *     (the whole record must lie within {@code maxLength} bytes of it)
   * @param maxLength most bytes the record may have: to the end of the data section, and no more
   *     than the partition's largest record
   * @return false if more than {@code available} bytes are needed (the record is longer)
   */
  static boolean readHeader(ByteBuffer buf, int index, int available, long maxLength,
      Layout out, Object file, long offset) throws CorruptStoreException {
    int p = index;
    int end = index + available;
    long keyLen = 0;
    int shift = 0;
    int b;
    do {
      if (p >= end || shift > 28) {
        throw new CorruptStoreException(file, "invalid key length at offset " + offset);
      }
      b = buf.get(p++) & 0xFF;
      keyLen |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    long valueLen = 0;
    shift = 0;
    do {
      if (p >= end || shift > 28) {
        throw new CorruptStoreException(file, "invalid value length at offset " + offset);
      }
      b = buf.get(p++) & 0xFF;
      valueLen |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    long total = (p - index) + keyLen + valueLen + PartitionFormat.RECORD_CRC_SIZE;
    if (total > maxLength || total > Integer.MAX_VALUE - 16) {
      throw new CorruptStoreException(file, "record at offset " + offset + " of " + total
          + " bytes runs past the data section or exceeds the partition's largest record");
    }
    out.keyStart = p;
    out.keyLength = (int) keyLen;
    out.valueStart = p + (int) keyLen;
    out.valueLength = (int) valueLen;
    out.totalLength = (int) total;
    return total <= available;
  }

  /**
   * Checks the CRC32C of the record of {@code totalLength} bytes at {@code index} (its last four
   * bytes, little-endian).
   */
  static void checkCrc(ByteBuffer buf, int index, int totalLength, Object file, long offset)
      throws CorruptStoreException {
    int crcAt = index + totalLength - PartitionFormat.RECORD_CRC_SIZE;
    ByteBuffer view = buf.duplicate();
    view.limit(crcAt).position(index);
    CRC32C crc = new CRC32C();
    crc.update(view);
    int stored = (buf.get(crcAt) & 0xFF) | ((buf.get(crcAt + 1) & 0xFF) << 8)
        | ((buf.get(crcAt + 2) & 0xFF) << 16) | ((buf.get(crcAt + 3) & 0xFF) << 24);
    if ((int) crc.getValue() != stored) {
      throw new CorruptStoreException(file, "record checksum mismatch at offset " + offset);
    }
  }

  /** Whether the record key at {@code keyStart} equals {@code key[off, off + len)}. */
  static boolean keyEquals(ByteBuffer buf, int keyStart, int keyLength, byte[] key, int off,
      int len) {
    if (keyLength != len) {
      return false;
    }
    if (buf.hasArray()) {
      int base = buf.arrayOffset() + keyStart;
      return Arrays.equals(buf.array(), base, base + len, key, off, off + len);
    }
    for (int i = 0; i < len; i++) {
      if (buf.get(keyStart + i) != key[off + i]) {
        return false;
      }
    }
    return true;
  }
}
