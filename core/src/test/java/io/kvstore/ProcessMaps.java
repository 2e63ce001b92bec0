package io.kvstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/**
 * Memory maps of this JVM, read from /proc/self/maps (Linux): each line is one mapping, and a
 * mapping of a file names the file's absolute path.
 */
public final class ProcessMaps {
  private ProcessMaps() {}

  /** Lines of /proc/self/maps whose file path contains {@code pathPart}. */
  public static int count(String pathPart) throws IOException {
    int n = 0;
    for (String line : lines()) {
      if (line.contains(pathPart)) {
        n++;
      }
    }
    return n;
  }

  /** Every mapping of this process. */
  public static int total() throws IOException {
    return lines().size();
  }

  private static List<String> lines() throws IOException {
    return Files.readAllLines(Paths.get("/proc/self/maps"));
  }
}
