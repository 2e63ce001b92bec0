package io.kvstore;

import java.util.Arrays;

/**
 * The one key order of kvstore, unsigned lexicographic bytes (what {@code BytesWritable} and
 * {@code Text} sort by), and printable renderings of binary keys for messages.
 */
public final class Bytes {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final int DEFAULT_PRINT_LIMIT = 256;

  private Bytes() {}

  /** Unsigned lexicographic comparison; a proper prefix sorts first. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** Unsigned lexicographic comparison of two ranges. */
  public static int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
    return Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
  }

  /**
   * The bytes as text: printable ASCII as is, backslash as {@code \\}, anything else as
   * {@code \xHH}; quoted, and cut after 256 bytes with the full length given.
   */
  public static String toPrintable(byte[] bytes) {
    return toPrintable(bytes, DEFAULT_PRINT_LIMIT);
  }

  /** {@link #toPrintable(byte[])} showing at most {@code limit} bytes. */
  public static String toPrintable(byte[] bytes, int limit) {
    if (bytes == null) {
      return "null";
    }
    return toPrintable(bytes, 0, bytes.length, limit);
  }

  /** {@link #toPrintable(byte[], int)} of a range. */
  public static String toPrintable(byte[] bytes, int off, int len, int limit) {
    StringBuilder sb = new StringBuilder(Math.min(len, limit) + 16).append('"');
    appendEscaped(sb, bytes, off, Math.min(len, limit));
    sb.append('"');
    if (len > limit) {
      sb.append("...(").append(len).append(" bytes)");
    }
    return sb.toString();
  }

  /** Appends the escaped form (no quotes) of a range to {@code sb}. */
  public static void appendEscaped(StringBuilder sb, byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      int b = bytes[i] & 0xFF;
      if (b == '\\') {
        sb.append("\\\\");
      } else if (b >= 0x20 && b < 0x7F) {
        sb.append((char) b);
      } else {
        sb.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xF]);
      }
    }
  }

  /** Upper-case hexadecimal of the bytes. */
  public static String toHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >>> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }
}
