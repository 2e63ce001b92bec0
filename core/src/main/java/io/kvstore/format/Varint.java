package io.kvstore.format;

import java.nio.ByteBuffer;

/**
 * The unsigned LEB128 varint of the partition format (docs/format.md): 7 bits a byte, least
 * significant group first, the high bit set on every byte but the last. The one encoder and the
 * one decoder of every varint in a partition file (records, block index).
 */
final class Varint {
  /** Longest varint a reader accepts: 5 bytes, 35 bits. */
  static final int MAX_BYTES = 5;
  /** What {@link #decode} returns for a varint that runs past its end or over 5 bytes. */
  static final long INVALID = -1L;

  private Varint() {}

  /** Bytes of the encoding of {@code v >= 0}. */
  static int size(long v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /** Writes {@code v >= 0} at {@code pos}; returns the position after it. */
  static int put(byte[] buf, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  /**
   * Decodes the varint at {@code index}, reading no byte at or past {@code end}.
   *
   * @return the value (at most 35 bits) in the low 40 bits and the encoding's length in bytes in
   *     bits 40 and up ({@link #value}, {@link #length}), or {@link #INVALID}
   */
  static long decode(ByteBuffer buf, int index, int end) {
    long value = 0;
    int p = index;
    for (int shift = 0; shift < 7 * MAX_BYTES; shift += 7) {
      if (p >= end) {
        return INVALID;
      }
      int b = buf.get(p++);
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value | ((long) (p - index) << 40);
      }
    }
    return INVALID;
  }

  /** The value of a {@link #decode} result. */
  static long value(long decoded) {
    return decoded & ((1L << 40) - 1);
  }

  /** The encoded length of a {@link #decode} result. */
  static int length(long decoded) {
    return (int) (decoded >>> 40);
  }
}
