package io.kvstore.format;

import java.nio.charset.StandardCharsets;

/**
 * Constants and small codecs of the partition file format (docs/format.md). All fixed-width
 * integers in partition files are little-endian; lengths in records are unsigned LEB128 varints.
 */
public final class PartitionFormat {
  /** First eight bytes of every partition file. */
  static final byte[] HEADER_MAGIC = "KVSTPART".getBytes(StandardCharsets.US_ASCII);
  /** Last magic, in the footer. */
  static final byte[] FOOTER_MAGIC = "KVSTPEND".getBytes(StandardCharsets.US_ASCII);
  /**
   * Partition format version this code writes: 3, whose hash index carries a checksum per chunk
   * of slots so that a reader verifies only the chunks its lookups touch.
   */
  public static final int FORMAT_VERSION = 3;
  /** Oldest partition format version this code reads. */
  public static final int OLDEST_READABLE_VERSION = 1;
  /** Header: magic, version, flags. */
  static final int HEADER_SIZE = 16;
  /** Fixed-size footer at the end of a version-1 file. */
  static final int FOOTER_SIZE_V1 = 64;
  /** Fixed-size footer at the end of a version-2 file. */
  static final int FOOTER_SIZE_V2 = 84;
  /**
   * Fixed-size footer at the end of a version-3 file: version 2's fields, the index chunk size and
   * the hashes of the first and last keys.
   */
  static final int FOOTER_SIZE_V3 = 104;
  /** Most slots of one hash index chunk a version-3 file may declare (a power of two). */
  static final int MAX_INDEX_CHUNK_SLOTS = 1 << 24;
  /** Record trailer: CRC32C of the record. */
  static final int RECORD_CRC_SIZE = 4;
  /** Bits of a hash slot holding the record offset; the rest hold the key fingerprint. */
  static final int OFFSET_BITS = 48;
  /** Mask of the offset in a slot. */
  static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
  /** Largest partition file the slot encoding can address. */
  public static final long MAX_FILE_SIZE = 1L << OFFSET_BITS;
  /** Most slots a hash index may have (a Java array). */
  static final int MAX_SLOTS = Integer.MAX_VALUE - 16;

  private PartitionFormat() {}

  /** Number of hash slots for {@code keys} keys at {@code loadFactor}; always one empty slot. */
  static long slotCount(long keys, double loadFactor) {
    return (long) Math.ceil(keys / loadFactor) + 1;
  }

  /**
   * Bytes of a record of the current format holding a key and a value of these lengths
   * uncompressed (what codec {@code none} writes; a compressed record is never larger).
   */
  public static long uncompressedRecordBytes(int keyLength, int valueLength) {
    return RecordCodec.rawRecordSize(keyLength, valueLength);
  }

  /** Bytes of the footer of format {@code version} (1, 2 or 3). */
  static int footerSize(int version) {
    return version == 1 ? FOOTER_SIZE_V1 : version == 2 ? FOOTER_SIZE_V2 : FOOTER_SIZE_V3;
  }

  /** Chunks of {@code chunkSlots} slots covering {@code slotCount} slots (the last may be short). */
  static long indexChunkCount(long slotCount, int chunkSlots) {
    return (slotCount + chunkSlots - 1) / chunkSlots;
  }

  /**
   * Bytes of the hash index and what follows it up to the footer: the slots and, in version 3,
   * the chunk checksum section ({@code 4} per chunk and its own {@code 4}); in versions 1 and 2 the
   * index's one checksum.
   */
  static long hashIndexBytes(long slotCount, int chunkSlots) {
    return slotCount * 8 + (chunkSlots == 0 ? 4 : 4 * indexChunkCount(slotCount, chunkSlots) + 4);
  }

  /** The slot value for a key fingerprint and record offset; never 0. */
  static long slot(long hash, long offset) {
    return ((hash & 0xFFFFL) << OFFSET_BITS) | offset;
  }

  /** Whether slot {@code slot} carries the fingerprint of {@code hash}. */
  static boolean fingerprintMatches(long slot, long hash) {
    return (slot >>> OFFSET_BITS) == (hash & 0xFFFFL);
  }

  static void putIntLE(byte[] buf, int pos, int v) {
    buf[pos] = (byte) v;
    buf[pos + 1] = (byte) (v >>> 8);
    buf[pos + 2] = (byte) (v >>> 16);
    buf[pos + 3] = (byte) (v >>> 24);
  }

  static void putLongLE(byte[] buf, int pos, long v) {
    for (int i = 0; i < 8; i++) {
      buf[pos + i] = (byte) (v >>> (8 * i));
    }
  }

  static int getIntLE(byte[] buf, int pos) {
    return (buf[pos] & 0xFF) | ((buf[pos + 1] & 0xFF) << 8) | ((buf[pos + 2] & 0xFF) << 16)
        | ((buf[pos + 3] & 0xFF) << 24);
  }

  static long getLongLE(byte[] buf, int pos) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFFL);
    }
    return v;
  }
}
