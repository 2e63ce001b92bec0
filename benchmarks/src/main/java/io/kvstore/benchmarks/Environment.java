package io.kvstore.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.util.VersionInfo;

/** The machine and software a run was made on. */
final class Environment {
  private Environment() {}

  static Map<String, String> describe() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("date", Instant.now().toString());
    env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    env.put("cpu", procValue("/proc/cpuinfo", "model name"));
    String mem = procValue("/proc/meminfo", "MemTotal");
    env.put("ram", mem.endsWith(" kB")
        ? String.format(java.util.Locale.ROOT, "%.1f GiB",
            Long.parseLong(mem.substring(0, mem.length() - 3).trim()) / 1048576.0)
        : mem);
    env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    env.put("hadoop", VersionInfo.getVersion());
    env.put("loadavg at start", firstLine("/proc/loadavg"));
    return env;
  }

  static String firstLine(String file) {
    try {
      List<String> lines = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0);
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String procValue(String file, String name) {
    try {
      List<String> lines = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return "unknown";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
