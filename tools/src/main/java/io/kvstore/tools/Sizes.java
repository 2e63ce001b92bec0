package io.kvstore.tools;

import io.kvstore.format.StoreManifest;
import java.util.Locale;

/** Human-readable sizes and durations for command output. */
public final class Sizes {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Sizes() {}

  /** {@code 1536} as {@code "1.5 KiB"}; bytes below 1024 as {@code "17 B"}. */
  public static String bytes(double n) {
    int unit = 0;
    while (n >= 1024 && unit < UNITS.length - 1) {
      n /= 1024;
      unit++;
    }
    return unit == 0 ? String.format(Locale.ROOT, "%.0f B", n)
        : String.format(Locale.ROOT, "%.1f %s", n, UNITS[unit]);
  }

  /** A count with SI suffix: {@code 12500} as {@code "12.5k"}. */
  public static String count(double n) {
    if (n < 1000) {
      return String.format(Locale.ROOT, "%.0f", n);
    }
    String[] suffix = {"k", "M", "G", "T"};
    int i = -1;
    while (n >= 1000 && i < suffix.length - 1) {
      n /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f%s", n, suffix[i]);
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
  public static String duration(long seconds) {
    long h = seconds / 3600;
    long m = (seconds / 60) % 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%d:%02d", m, s);
  }

  /** A store's size as {@code "12 pairs, 1 partition, 1.5 KiB"}. */
  static String contents(StoreManifest store) {
    return plural(store.getKeyCount(), "pair") + ", "
        + plural(store.getPartitions().size(), "partition") + ", " + bytes(store.getSizeBytes());
  }

  /** {@code "1 partition"}, {@code "2 partitions"}. */
  public static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
