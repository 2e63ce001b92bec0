package io.kvstore.mapreduce.jobs;

import io.kvstore.KeyValueConf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;

/**
 * The one tab-separated convention of kvstore, shared by {@code kvstore create} and the
 * {@code build} job ({@link TabSeparatedLineMapper}) so that one file gives one store: a line is
 * {@code KEY<TAB>VALUE}, split at its first tab (later tabs belong to the value); an empty line is
 * skipped; a non-empty line without a tab is an error. Unless raw ({@link KeyValueConf#TSV_RAW}),
 * key and value are UTF-8 text in which {@code \\} stands for a backslash and {@code \xHH} for any
 * byte, the form {@code kvstore scan} and {@code export} print, so their output reads back to the
 * same bytes; any other backslash is an error rather than bytes the user did not mean.
 */
public final class TsvLines {
  private TsvLines() {}

  /** Whether lines are taken as raw bytes (no escapes) under {@code conf}. */
  public static boolean isRaw(Configuration conf) {
    return KeyValueConf.TSV_RAW.getBoolean(conf);
  }

  /** The index of the first tab in {@code line[0, length)}, or -1. */
  public static int firstTab(byte[] line, int length) {
    for (int i = 0; i < length; i++) {
      if (line[i] == '\t') {
        return i;
      }
    }
    return -1;
  }

  /** The message for a non-empty line with no tab, after the line's position. */
  public static final String NO_TAB = "no tab between key and value";

  /**
   * A field of a line: its bytes as they are when {@code raw}, else with escapes decoded.
   *
   * @throws IllegalArgumentException naming the first invalid escape
   */
  public static byte[] field(byte[] src, int off, int len, boolean raw) {
    return raw ? Arrays.copyOfRange(src, off, off + len) : unescape(src, off, len);
  }

  /**
   * Decodes {@code \\} and {@code \xHH} (either case). Any other backslash is refused: kept as
   * typed, a mistyped escape would silently become different bytes than the user meant.
   *
   * @throws IllegalArgumentException naming the first invalid escape
   */
  public static byte[] unescape(byte[] src, int off, int len) {
    int firstBackslash = -1;
    for (int i = off; i < off + len; i++) {
      if (src[i] == '\\') {
        firstBackslash = i;
        break;
      }
    }
    if (firstBackslash < 0) {
      return Arrays.copyOfRange(src, off, off + len);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(len);
    out.write(src, off, firstBackslash - off);
    int end = off + len;
    for (int i = firstBackslash; i < end; i++) {
      byte b = src[i];
      if (b != '\\') {
        out.write(b);
        continue;
      }
      if (i + 1 < end && src[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < end && src[i + 1] == 'x' && Character.digit(src[i + 2], 16) >= 0
          && Character.digit(src[i + 3], 16) >= 0) {
        out.write((Character.digit(src[i + 2], 16) << 4) | Character.digit(src[i + 3], 16));
        i += 3;
      } else {
        int shown = Math.min(end - i, i + 1 < end && src[i + 1] == 'x' ? 4 : 2);
        throw new IllegalArgumentException("invalid escape '"
            + new String(src, i, shown, StandardCharsets.UTF_8)
            + "' (a backslash starts \\\\ or \\xHH)");
      }
    }
    return out.toByteArray();
  }
}
