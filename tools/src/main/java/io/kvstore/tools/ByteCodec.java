package io.kvstore.tools;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How keys and values are written on the command line, in input files and in output.
 *
 * <p>{@link #TEXT} shows UTF-8 text as is and escapes everything else as {@code \xHH}
 * (control characters including tab and newline, invalid UTF-8, and the backslash as
 * {@code \\}), so every pair prints on one line and the printed form reads back to the same
 * bytes. {@link #HEX} and {@link #BASE64} are for binary keys and values.
 */
public enum ByteCodec {
  /** UTF-8 with escapes. */
  TEXT {
    @Override
    public void encode(StringBuilder sb, byte[] bytes, int off, int len) {
      appendEscapedUtf8(sb, bytes, off, len);
    }

    @Override
    public byte[] decode(byte[] src, int off, int len) {
      return io.kvstore.mapreduce.jobs.TsvLines.unescape(src, off, len);
    }
  },
  /** Hexadecimal, two digits a byte (upper case out, either case in). */
  HEX {
    @Override
    public void encode(StringBuilder sb, byte[] bytes, int off, int len) {
      for (int i = off; i < off + len; i++) {
        sb.append(DIGITS[(bytes[i] >>> 4) & 0xF]).append(DIGITS[bytes[i] & 0xF]);
      }
    }

    @Override
    public byte[] decode(byte[] src, int off, int len) {
      if (len % 2 != 0) {
        throw new IllegalArgumentException("odd number of hex digits");
      }
      byte[] out = new byte[len / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) ((hexDigit(src[off + 2 * i]) << 4) | hexDigit(src[off + 2 * i + 1]));
      }
      return out;
    }
  },
  /** Standard base64 with padding. */
  BASE64 {
    @Override
    public void encode(StringBuilder sb, byte[] bytes, int off, int len) {
      byte[] range = java.util.Arrays.copyOfRange(bytes, off, off + len);
      sb.append(Base64.getEncoder().encodeToString(range));
    }

    @Override
    public byte[] decode(byte[] src, int off, int len) {
      return Base64.getDecoder().decode(java.util.Arrays.copyOfRange(src, off, off + len));
    }
  };

  private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

  /** Appends the encoded form of a byte range. */
  public abstract void encode(StringBuilder sb, byte[] bytes, int off, int len);

  /**
   * Decodes a byte range (a line's field, or an argument's UTF-8 bytes).
   *
   * @throws IllegalArgumentException if the text is not valid in this encoding
   */
  public abstract byte[] decode(byte[] src, int off, int len);

  /** The encoded form of {@code bytes}. */
  public String encode(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    encode(sb, bytes, 0, bytes.length);
    return sb.toString();
  }

  /** How messages and tables show the empty key or value, which would otherwise be blank. */
  public static final String EMPTY = "(empty)";

  /**
   * The form of {@code bytes} in messages and tables: the encoded form, or {@link #EMPTY} for no
   * bytes. Not for pair output, which must read back as the same bytes.
   */
  public String display(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : encode(bytes);
  }

  /** Decodes a command-line argument. */
  public byte[] decode(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return decode(utf8, 0, utf8.length);
  }

  private static int hexDigit(byte b) {
    int d = Character.digit(b, 16);
    if (d < 0) {
      throw new IllegalArgumentException("'" + (char) (b & 0xFF) + "' is not a hex digit");
    }
    return d;
  }

  private static void appendEscapedUtf8(StringBuilder sb, byte[] bytes, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        if (b == '\\') {
          sb.append("\\\\");
        } else if (b < 0x20 || b == 0x7F) {
          appendHexEscape(sb, b);
        } else {
          sb.append((char) b);
        }
        i++;
        continue;
      }
      int sequenceLength = utf8SequenceLength(bytes, i, end);
      if (sequenceLength == 0) {
        appendHexEscape(sb, b);
        i++;
        continue;
      }
      String decoded = new String(bytes, i, sequenceLength, StandardCharsets.UTF_8);
      int codePoint = decoded.codePointAt(0);
      if (Character.isISOControl(codePoint) || !Character.isDefined(codePoint)
          || Character.getType(codePoint) == Character.FORMAT
          || Character.getType(codePoint) == Character.LINE_SEPARATOR
          || Character.getType(codePoint) == Character.PARAGRAPH_SEPARATOR) {
        for (int j = i; j < i + sequenceLength; j++) {
          appendHexEscape(sb, bytes[j] & 0xFF);
        }
      } else {
        sb.append(decoded);
      }
      i += sequenceLength;
    }
  }

  /** Length of the well-formed UTF-8 sequence starting at {@code i}, or 0 if there is none. */
  private static int utf8SequenceLength(byte[] bytes, int i, int end) {
    int b = bytes[i] & 0xFF;
    int length;
    int min;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + length > end) {
      return 0;
    }
    int codePoint = b & (0xFF >>> (length + 1));
    for (int j = 1; j < length; j++) {
      int c = bytes[i + j] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        return 0;
      }
      codePoint = (codePoint << 6) | (c & 0x3F);
    }
    boolean surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
    return codePoint < min || codePoint > 0x10FFFF || surrogate ? 0 : length;
  }

  private static void appendHexEscape(StringBuilder sb, int b) {
    sb.append("\\x").append(DIGITS[b >>> 4]).append(DIGITS[b & 0xF]);
  }
}
