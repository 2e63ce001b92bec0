package io.kvstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Linux says about this process's memory maps and page faults ({@code /proc/self}), so a
 * benchmark can show the page sizes its lookups ran on instead of assuming them. Every figure is
 * -1 where {@code /proc} is missing (not Linux).
 */
final class PageMaps {
  /** The first line of a map in smaps: its address range (the other lines start "Name:"). */
  private static final Pattern HEADER = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");
  private PageMaps() {}

  /**
   * Minor page faults of this process so far (field 10 of {@code /proc/self/stat}): a fault that
   * maps a page already in the page cache, which is what a lookup's first touch of a newly
   * mapped region costs.
   */
  static long minorFaults() {
    try {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")),
          StandardCharsets.US_ASCII);
      // The command name (field 2) may hold spaces; the fields after it are counted from ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Kilobytes of this process's file maps under {@code dir} that are resident ({@code Rss}) and
   * of those mapped on 2 MB pages ({@code FilePmdMapped}), from {@code /proc/self/smaps}; both -1
   * if it cannot be read.
   */
  static long[] residentAndPmdKb(String dir) {
    long[] kb = {0, 0};
    try {
      List<String> lines = Files.readAllLines(Paths.get("/proc/self/smaps"),
          StandardCharsets.UTF_8);
      boolean inDir = false;
      String prefix = dir.endsWith("/") ? dir : dir + "/";
      for (String line : lines) {
        if (HEADER.matcher(line).lookingAt()) {
          // A map's header: address range, permissions, offset, device, inode, path.
          String[] f = line.trim().split("\\s+", 6);
          inDir = f.length == 6 && f[5].startsWith(prefix);
        } else if (inDir && line.startsWith("Rss:")) {
          kb[0] += kilobytes(line);
        } else if (inDir && line.startsWith("FilePmdMapped:")) {
          kb[1] += kilobytes(line);
        }
      }
      return kb;
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  private static long kilobytes(String line) {
    String[] f = line.trim().split("\\s+");
    return Long.parseLong(f[1]);
  }
}
