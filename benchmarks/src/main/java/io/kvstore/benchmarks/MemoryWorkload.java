package io.kvstore.benchmarks;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Workload 7: heap held by an open reader per key for every system, and per partition for kvstore
 * (the same pairs stored in one partition and in many small ones).
 */
final class MemoryWorkload {
  private MemoryWorkload() {}

  static void run(DataSet data, Configuration conf, FileSystem fs, Path root,
      List<BenchSystem> systems, Report report) throws Exception {
    for (BenchSystem s : systems) {
      long heap = probe(s.name(), new Path(root, s.name()), data, List.of());
      report.add(new Measurement(Workload.MEMORY, data.label(), "", s.name(),
          new double[] {(double) heap / data.keyCount()}));
    }
  }

  /** Per-partition heap from a store of {@code data} cut into partitions of {@code bytes}. */
  static void runPartitions(DataSet data, Configuration conf, FileSystem fs, Path root,
      long partitionBytes, Report report) throws Exception {
    Path one = new Path(root, KvstoreSystem.NAME);
    Path many = new Path(root, "kvstore-small-partitions");
    Configuration small = new Configuration(conf);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(small, partitionBytes);
    fs.delete(many, true);
    new KvstoreSystem(small).build(data, fs, many);
    int pOne = partitions(conf, fs, one);
    int pMany = partitions(conf, fs, many);
    long hOne = probe(KvstoreSystem.NAME, one, data, List.of());
    long hMany = probe(KvstoreSystem.NAME, many, data, List.of());
    fs.delete(many, true);
    report.add(new Measurement(Workload.MEMORY_PARTITION, data.label(),
        pOne + " vs " + pMany + " partitions", KvstoreSystem.NAME,
        new double[] {(double) (hMany - hOne) / (pMany - pOne)}));
  }

  private static int partitions(Configuration conf, FileSystem fs, Path dir) throws IOException {
    try (KeyValueStoreReader r = new KvstoreSystem(conf).openReader(fs, dir)) {
      return r.partitions().size();
    }
  }

  static long probe(String system, Path dir, DataSet data, List<String> settings)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx8g");
    String log4j = System.getProperty("log4j.configuration");
    if (log4j != null) {
      cmd.add("-Dlog4j.configuration=" + log4j);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemoryProbe.class.getName());
    cmd.add(system);
    cmd.add(dir.toString());
    cmd.add(Integer.toString(data.keyCount()));
    cmd.add(Integer.toString(data.valueLength()));
    cmd.add(Long.toString(data.seed()));
    cmd.addAll(settings);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Long heap = null;
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("HEAP_BYTES=")) {
          heap = Long.parseLong(line.substring("HEAP_BYTES=".length()));
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || heap == null) {
      throw new IOException("memory probe of " + system + " failed with exit code " + rc);
    }
    return heap;
  }
}
