package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The one owner of the record layout (docs/format.md 3.2), for both format versions: decodes a
 * record held in a {@link ByteBuffer} at an absolute index, checks its bounds and CRC32C, compares
 * its key and decodes its value (decompressing it under format version 2). Every reader of
 * records (lookups through either record source, scans, the multi-get) goes through here; the
 * writer encodes record headers with {@link #putHeader}. Pure: no filesystem.
 *
 * <p>Version 1: {@code varint k, varint v, key, value, CRC32C}. Version 2:
 * {@code varint (k << 1 | c), varint s, [varint v if c = 1], key, stored value (s bytes),
 * CRC32C}, where {@code c} says the stored value is compressed by the file's codec and {@code v}
 * is the value's length once decompressed. The CRC32C covers the stored bytes.
 */
final class RecordCodec {
  /** What a decode found: where key and stored value are, their lengths, the record's length. */
  static final class Layout {
    int keyStart;
    int keyLength;
    int valueStart;
    /** Bytes of the value as stored (compressed or not). */
    int storedLength;
    /** Bytes of the value once decoded. */
    int valueLength;
    boolean compressed;
    int totalLength;
  }

  private final int version;
  private final Compression.Decoder values;
  private final long maxValueLength;

  /**
   * @param version the file's partition format version (1 or 2)
   * @param values the file's value decoder ({@link Compression.Decoder#NONE} for version 1)
   * @param maxValueLength most bytes a decoded value of this file has
   */
  RecordCodec(int version, Compression.Decoder values, long maxValueLength) {
    this.version = version;
    this.values = values;
    this.maxValueLength = maxValueLength;
  }

  /** The value codec of the file. */
  Compression.Decoder values() {
    return values;
  }

  /**
   * Writes a version-2 record header into {@code buf} at {@code pos}; returns the position after.
   *
   * @param compressed whether the stored value is compressed ({@code storedLength} bytes that
   *     decode to {@code valueLength})
   */
  static int putHeader(byte[] buf, int pos, int keyLength, int storedLength, int valueLength,
      boolean compressed) {
    int p = Varint.put(buf, pos, ((long) keyLength << 1) | (compressed ? 1 : 0));
    p = Varint.put(buf, p, storedLength);
    return compressed ? Varint.put(buf, p, valueLength) : p;
  }

  /** Most bytes of a version-2 record header. */
  static final int MAX_HEADER = 3 * Varint.MAX_BYTES;

  /** Bytes of a version-2 record holding the value uncompressed. */
  static long rawRecordSize(int keyLength, int valueLength) {
    return Varint.size((long) keyLength << 1) + Varint.size(valueLength) + (long) keyLength
        + valueLength + PartitionFormat.RECORD_CRC_SIZE;
  }

  /**
   * Reads the record header at {@code index}.
   *
   * @param available bytes of {@code buf} from {@code index} that belong to the data section
   * @param maxLength most bytes the record may have: to the end of the data section, and no more
   *     than the partition's largest record
   * @return false if more than {@code available} bytes are needed (the record is longer)
   * @throws CorruptStoreException if the header is invalid or the record too long
   */
  boolean readHeader(ByteBuffer buf, int index, int available, long maxLength, Layout out,
      Object file, long offset) throws CorruptStoreException {
    int end = index + available;
    long first = Varint.decode(buf, index, end);
    if (first == Varint.INVALID) {
      throw new CorruptStoreException(file, "invalid key length at offset " + offset);
    }
    int p = index + Varint.length(first);
    long keyLen = Varint.value(first);
    boolean compressed = false;
    if (version >= 2) {
      compressed = (keyLen & 1) != 0;
      keyLen >>>= 1;
    }
    long stored = Varint.decode(buf, p, end);
    if (stored == Varint.INVALID) {
      throw new CorruptStoreException(file, "invalid value length at offset " + offset);
    }
    p += Varint.length(stored);
    long storedLen = Varint.value(stored);
    long valueLen = storedLen;
    if (compressed) {
      long decoded = Varint.decode(buf, p, end);
      if (decoded == Varint.INVALID || values.codec == Compression.Codec.NONE) {
        throw new CorruptStoreException(file, "invalid compressed value length at offset "
            + offset);
      }
      p += Varint.length(decoded);
      valueLen = Varint.value(decoded);
      if (valueLen > maxValueLength) {
        throw new CorruptStoreException(file, "record at offset " + offset + " claims a value of "
            + valueLen + " bytes, more than the partition's largest value (" + maxValueLength
            + ")");
      }
    }
    long total = (p - index) + keyLen + storedLen + PartitionFormat.RECORD_CRC_SIZE;
    if (total > maxLength || total > Integer.MAX_VALUE - 16) {
      throw new CorruptStoreException(file, "record at offset " + offset + " of " + total
          + " bytes runs past the data section or exceeds the partition's largest record");
    }
    out.keyStart = p;
    out.keyLength = (int) keyLen;
    out.valueStart = p + (int) keyLen;
    out.storedLength = (int) storedLen;
    out.valueLength = (int) valueLen;
    out.compressed = compressed;
    out.totalLength = (int) total;
    return total <= available;
  }

  /**
   * Checks the CRC32C of the record of {@code totalLength} bytes at {@code index} (its last four
   * bytes, little-endian): the one record checksum check.
   */
  static void checkCrc(ByteBuffer buf, int index, int totalLength, Object file, long offset)
      throws CorruptStoreException {
    int crcAt = index + totalLength - PartitionFormat.RECORD_CRC_SIZE;
    ByteBuffer view = buf.duplicate();
    view.limit(crcAt).position(index);
    CRC32C crc = new CRC32C();
    crc.update(view);
    compareCrc((int) crc.getValue(), buf, crcAt, file, offset);
  }

  /**
   * Compares {@code computed} with the record checksum stored (little-endian) at {@code crcAt}
   * of {@code buf}, and fails naming the file and the record's offset if they differ.
   */
  static void compareCrc(int computed, ByteBuffer buf, int crcAt, Object file, long offset)
      throws CorruptStoreException {
    int stored = (buf.get(crcAt) & 0xFF) | ((buf.get(crcAt + 1) & 0xFF) << 8)
        | ((buf.get(crcAt + 2) & 0xFF) << 16) | ((buf.get(crcAt + 3) & 0xFF) << 24);
    if (computed != stored) {
      throw new CorruptStoreException(file, "record checksum mismatch at offset " + offset);
    }
  }

  /**
   * The routine every lookup (single get, multi-get, copies into caller buffers) ends in: given a
   * located record whose header is decoded into {@code layout}, checks its CRC32C (if
   * {@code verify}), compares its key with {@code key[off, off + len)} and, on a match, sets
   * {@code hit} to the value: its bytes in {@code buf} when stored raw, or decompressed into the
   * holder's own scratch buffer. The checksum is checked before the key is compared, so a damaged
   * record fails instead of looking absent.
   *
   * @return whether the record holds the key
   */
  boolean find(ByteBuffer buf, int index, Layout layout, boolean verify, byte[] key, int off,
      int len, ValueHit hit, Object file, long offset) throws CorruptStoreException {
    if (verify) {
      hit.checkCrc(buf, index, layout.totalLength, file, offset);
    }
    if (!keyEquals(buf, layout.keyStart, layout.keyLength, key, off, len)) {
      return false;
    }
    if (!layout.compressed) {
      hit.set(buf, layout.valueStart, layout.valueLength);
      return true;
    }
    byte[] scratch = hit.scratch(layout.valueLength);
    value(buf, layout, scratch, 0, file, offset);
    hit.setDecoded(layout.valueLength);
    return true;
  }

  /** Decodes the value of the record of {@code layout} into {@code dst} at {@code dstOff}. */
  void value(ByteBuffer buf, Layout layout, byte[] dst, int dstOff, Object file, long offset)
      throws CorruptStoreException {
    if (!layout.compressed) {
      ByteBuffer view = buf.duplicate();
      view.position(layout.valueStart);
      view.get(dst, dstOff, layout.valueLength);
      return;
    }
    try {
      values.decompress(buf, layout.valueStart, layout.storedLength, dst, dstOff,
          layout.valueLength);
    } catch (IllegalArgumentException e) {
      throw new CorruptStoreException(file, "value of the record at offset " + offset
          + " does not decompress (" + values.codec.settingName() + "): " + e.getMessage(), e);
    }
  }

  static boolean keyEquals(ByteBuffer buf, int keyStart, int keyLength, byte[] key,
      int off, int len) {
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
