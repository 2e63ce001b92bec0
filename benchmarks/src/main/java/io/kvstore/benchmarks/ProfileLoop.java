package io.kvstore.benchmarks;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Runs one kvstore path in a loop for a profiler (e.g. {@code -XX:StartFlightRecording}), without
 * the peers or JMH in the samples. Arguments: {@code build|raw|get|absent|iterate|scan}, keys, value
 * length, repetitions, work directory, and optionally the kind of values ({@code pad}, the default,
 * {@code text}, {@code logs}, {@code random}) and the codec ({@code none}, {@code lz4}, {@code zstd};
 * default {@link KeyValueConf#COMPRESSION_CODEC}'s). Prints the rate of each repetition.
 */
public final class ProfileLoop {
  private ProfileLoop() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    DataSet.ValueKind kind = args.length > 5
        ? DataSet.ValueKind.valueOf(args[5].toUpperCase(java.util.Locale.ROOT))
        : DataSet.ValueKind.PAD;
    DataSet data = DataSet.generate(RunAll.Options.parseCount(args[1]), Integer.parseInt(args[2]),
        42, kind);
    int reps = Integer.parseInt(args[3]);
    Configuration conf = new Configuration();
    if (args.length > 6) {
      KeyValueConf.COMPRESSION_CODEC.setString(conf, args[6]);
    }
    FileSystem fs = FileSystem.getLocal(conf);
    Path dir = new Path(new java.io.File(args[4]).getAbsolutePath(), "kvstore");
    KvstoreSystem kv = new KvstoreSystem(conf);
    double mb = data.payloadBytes() / 1e6;
    if (mode.equals("build") || !fs.exists(dir)) {
      fs.delete(dir, true);
      kv.build(data, fs, dir);
    }
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int r = 0; r < reps; r++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      double rate;
      switch (mode) {
        case "build":
          fs.delete(dir, true);
          rate = mb / Timer.seconds(() -> kv.build(data, fs, dir));
          break;
        case "raw":
          Path raw = new Path(dir.getParent(), "raw.bin");
          fs.delete(raw, false);
          rate = mb / Timer.seconds(() -> RawReference.write(data, fs, raw));
          break;
        case "get":
        case "absent":
          rate = lookups(data, kv.open(fs, dir), mode.equals("get"));
          break;
        case "iterate":
          try (KeyValueStoreReader reader = kv.openReader(fs, dir)) {
            rate = mb / Timer.seconds(() -> ScanWorkload.iterate(reader));
          }
          break;
        case "scan":
          List<Path> files = new ArrayList<>();
          try (KeyValueStoreReader reader = kv.openReader(fs, dir)) {
            for (PartitionInfo p : reader.partitions()) {
              files.add(p.getPath());
            }
          }
          rate = mb / Timer.seconds(() -> ScanWorkload.scan(fs, files, conf));
          break;
        default:
          throw new IllegalArgumentException("Unknown mode " + mode);
      }
      // The machine may be shared: the rate per second of this thread's CPU time is steadier.
      double cpuShare = (threads.getCurrentThreadCpuTime() - cpu0)
          / (double) (System.nanoTime() - wall0);
      System.out.printf("%s %d: %.1f per wall s, %.1f per CPU s%n", mode, r, rate,
          rate / cpuShare);
    }
  }

  private static double lookups(DataSet data, Lookup lookup, boolean present) throws Exception {
    long[] words = present ? data.lookupOrder(LookupBenchmark.SEQUENCE, 43)
        : DataSet.randomWords(LookupBenchmark.SEQUENCE, 44);
    byte[] key = new byte[DataSet.KEY_LENGTH];
    long start = System.nanoTime();
    long found = 0;
    try (Lookup l = lookup) {
      for (long w : words) {
        if (present) {
          DataSet.presentKey(w, key);
        } else {
          DataSet.absentKey(w, key);
        }
        if (l.get(key) != null) {
          found++;
        }
      }
    }
    if (found != (present ? words.length : 0)) {
      throw new IllegalStateException("found " + found + " of " + words.length);
    }
    return words.length / ((System.nanoTime() - start) / 1e9);
  }
}
