package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.PositionedReadable;

/**
 * The header and fixed-size footer of a partition file, which locate its sections. Parsing
 * validates magic, version, checksum and that every section lies inside the file, so nothing is
 * read from a file whose layout is damaged. Reads format versions 1 to 3, writes version 3.
 */
final class PartitionFooter {
  final int version;
  final long keyCount;
  /** Offset of the first record: the end of the header (v1) or of the compression section. */
  final long dataStart;
  final long dataEnd;
  final long hashIndexOffset;
  final long slotCount;
  final long hashSeed;
  final int maxRecordLength;
  /** Longest value once decoded; equals {@link #maxRecordLength} for version 1 (a bound). */
  final int maxValueLength;
  /** Sum of the key and value lengths of all pairs, uncompressed; -1 for version 1. */
  final long pairBytes;
  final long fileLength;
  /**
   * Slots per checksummed chunk of the hash index (a power of two), or 0 for versions 1 and 2,
   * whose index has one checksum.
   */
  final int indexChunkSlots;
  /**
   * {@link KeyHash#hash64} of the first and of the last key under {@link #hashSeed} (version 3; 0
   * when the partition is empty or the version older): an open compares them with the manifest's
   * keys without reading the sparse index.
   */
  final long firstKeyHash;
  final long lastKeyHash;

  PartitionFooter(int version, long keyCount, long dataStart, long dataEnd, long hashIndexOffset,
      long slotCount, long hashSeed, int maxRecordLength, int maxValueLength, long pairBytes,
      long fileLength, int indexChunkSlots, long firstKeyHash, long lastKeyHash) {
    this.version = version;
    this.keyCount = keyCount;
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
    this.hashIndexOffset = hashIndexOffset;
    this.slotCount = slotCount;
    this.hashSeed = hashSeed;
    this.maxRecordLength = maxRecordLength;
    this.maxValueLength = maxValueLength;
    this.pairBytes = pairBytes;
    this.fileLength = fileLength;
    this.indexChunkSlots = indexChunkSlots;
    this.firstKeyHash = firstKeyHash;
    this.lastKeyHash = lastKeyHash;
  }

  /** {@link #firstKeyHash} and {@link #lastKeyHash} of a partition's key range, 0 when empty. */
  static long keyHash(byte[] key, long seed) {
    return key == null ? 0 : KeyHash.hash64(key, 0, key.length, seed);
  }

  /** Offset of the chunk checksum section (version 3): right after the slots. */
  long chunkTableOffset() {
    return hashIndexOffset + slotCount * 8;
  }

  /** Number of hash index chunks (version 3). */
  int indexChunkCount() {
    return (int) PartitionFormat.indexChunkCount(slotCount, indexChunkSlots);
  }

  /** Offset of the block index section. */
  long blockIndexOffset() {
    return dataEnd;
  }

  /** Length of the block index section, its checksum included. */
  long blockIndexLength() {
    return hashIndexOffset - dataEnd;
  }

  /** The footer's bytes, in this footer's format version. */
  byte[] toBytes() {
    int size = PartitionFormat.footerSize(version);
    byte[] b = new byte[size];
    PartitionFormat.putLongLE(b, 0, keyCount);
    PartitionFormat.putLongLE(b, 8, dataEnd);
    PartitionFormat.putLongLE(b, 16, hashIndexOffset);
    PartitionFormat.putLongLE(b, 24, slotCount);
    PartitionFormat.putLongLE(b, 32, hashSeed);
    PartitionFormat.putIntLE(b, 40, maxRecordLength);
    PartitionFormat.putIntLE(b, 44, KeyHash.FUNCTION_ID);
    if (version >= 2) {
      PartitionFormat.putLongLE(b, 48, dataStart);
      PartitionFormat.putLongLE(b, 56, pairBytes);
      PartitionFormat.putIntLE(b, 64, maxValueLength);
    }
    if (version >= 3) {
      PartitionFormat.putIntLE(b, 68, indexChunkSlots);
      PartitionFormat.putLongLE(b, 72, firstKeyHash);
      PartitionFormat.putLongLE(b, 80, lastKeyHash);
    }
    // The trailer (version, magic, CRC) is the last 16 bytes in every version.
    PartitionFormat.putIntLE(b, size - 16, version);
    System.arraycopy(PartitionFormat.FOOTER_MAGIC, 0, b, size - 12, 8);
    CRC32C crc = new CRC32C();
    crc.update(b, 0, size - 4);
    PartitionFormat.putIntLE(b, size - 4, (int) crc.getValue());
    return b;
  }

  /** Reads and validates header and footer of {@code file}, of length {@code length}. */
  static PartitionFooter read(PositionedReadable in, long length, Object file) throws IOException {
    int smallest = PartitionFormat.HEADER_SIZE + PartitionFormat.FOOTER_SIZE_V1;
    if (length < smallest) {
      throw new CorruptStoreException(file, "file is " + length + " bytes, shorter than a"
          + " partition's header and footer (" + smallest + "); truncated or not a kvstore"
          + " partition");
    }
    byte[] header = new byte[PartitionFormat.HEADER_SIZE];
    try {
      in.readFully(0, header);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ended before its listed length " + length, e);
    }
    if (!Arrays.equals(Arrays.copyOf(header, 8), PartitionFormat.HEADER_MAGIC)) {
      throw new CorruptStoreException(file, "not a kvstore partition file (header magic "
          + Bytes.toPrintable(Arrays.copyOf(header, 8)) + ")");
    }
    int headerVersion = PartitionFormat.getIntLE(header, 8);
    if (headerVersion < PartitionFormat.OLDEST_READABLE_VERSION
        || headerVersion > PartitionFormat.FORMAT_VERSION) {
      throw new CorruptStoreException(file, "partition format version " + headerVersion
          + " is not supported (this kvstore reads versions "
          + PartitionFormat.OLDEST_READABLE_VERSION + " to " + PartitionFormat.FORMAT_VERSION
          + ")");
    }
    int flags = PartitionFormat.getIntLE(header, 12);
    if (flags != 0) {
      throw new CorruptStoreException(file, "header flags " + flags + " are unknown to format version "
          + headerVersion + " (damaged, or written by a newer kvstore)");
    }
    int size = PartitionFormat.footerSize(headerVersion);
    if (length < PartitionFormat.HEADER_SIZE + size) {
      throw new CorruptStoreException(file, "file is " + length + " bytes, shorter than a"
          + " version-" + headerVersion + " partition's header and footer; truncated");
    }
    byte[] b = new byte[size];
    try {
      in.readFully(length - size, b);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ended before its listed length " + length, e);
    }
    if (!Arrays.equals(Arrays.copyOfRange(b, size - 12, size - 4), PartitionFormat.FOOTER_MAGIC)) {
      throw new CorruptStoreException(file, "footer magic missing: the file is truncated or"
          + " damaged at its end");
    }
    CRC32C crc = new CRC32C();
    crc.update(b, 0, size - 4);
    if ((int) crc.getValue() != PartitionFormat.getIntLE(b, size - 4)) {
      throw new CorruptStoreException(file, "footer checksum mismatch");
    }
    int footerVersion = PartitionFormat.getIntLE(b, size - 16);
    if (footerVersion != headerVersion) {
      throw new CorruptStoreException(file, "footer format version " + footerVersion
          + " differs from the header's " + headerVersion);
    }
    int hashFunction = PartitionFormat.getIntLE(b, 44);
    if (hashFunction != KeyHash.FUNCTION_ID) {
      throw new CorruptStoreException(file, "unknown index hash function " + hashFunction);
    }
    int maxRecordLength = PartitionFormat.getIntLE(b, 40);
    boolean v1 = headerVersion == 1;
    PartitionFooter f = new PartitionFooter(headerVersion, PartitionFormat.getLongLE(b, 0),
        v1 ? PartitionFormat.HEADER_SIZE : PartitionFormat.getLongLE(b, 48),
        PartitionFormat.getLongLE(b, 8), PartitionFormat.getLongLE(b, 16),
        PartitionFormat.getLongLE(b, 24), PartitionFormat.getLongLE(b, 32), maxRecordLength,
        v1 ? maxRecordLength : PartitionFormat.getIntLE(b, 64),
        v1 ? -1 : PartitionFormat.getLongLE(b, 56), length,
        headerVersion >= 3 ? PartitionFormat.getIntLE(b, 68) : 0,
        headerVersion >= 3 ? PartitionFormat.getLongLE(b, 72) : 0,
        headerVersion >= 3 ? PartitionFormat.getLongLE(b, 80) : 0);
    f.validate(file);
    return f;
  }

  private void validate(Object file) throws CorruptStoreException {
    long footerStart = fileLength - PartitionFormat.footerSize(version);
    long smallestDataStart = version == 1 ? PartitionFormat.HEADER_SIZE
        : PartitionFormat.HEADER_SIZE + CompressionSection.EMPTY_SIZE;
    boolean ok = keyCount >= 0
        && dataStart >= smallestDataStart
        && (version == 1 || dataStart <= PartitionFormat.HEADER_SIZE + CompressionSection.MAX_SIZE)
        && dataEnd >= dataStart
        && hashIndexOffset >= dataEnd + 8
        && slotCount > keyCount && slotCount <= PartitionFormat.MAX_SLOTS
        && (version < 3 || (indexChunkSlots > 0
            && indexChunkSlots <= PartitionFormat.MAX_INDEX_CHUNK_SLOTS
            && Integer.bitCount(indexChunkSlots) == 1))
        && hashIndexOffset + PartitionFormat.hashIndexBytes(slotCount, indexChunkSlots)
            == footerStart
        && maxRecordLength >= 0
        && maxValueLength >= 0
        && (version == 1 || pairBytes >= 0)
        && (keyCount == 0) == (dataEnd == dataStart);
    if (!ok) {
      throw new CorruptStoreException(file, "footer describes an impossible layout (keys="
          + keyCount + ", dataStart=" + dataStart + ", dataEnd=" + dataEnd + ", hashIndex="
          + hashIndexOffset + ", slots=" + slotCount
          + (version >= 3 ? ", index chunk slots=" + indexChunkSlots : "") + ", length="
          + fileLength + ")");
    }
  }
}
