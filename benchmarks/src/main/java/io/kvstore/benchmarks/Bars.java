package io.kvstore.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the bars of issue 5 against a report; each line says MET, NOT MET or NOT MEASURED. A
 * bar is judged only when every figure it compares was measured: a missing peer, reference or
 * kvstore figure, or one that is zero or not finite (a ratio against it would be infinite or
 * undefined), makes the bar NOT MEASURED and the line names the figures missing.
 */
final class Bars {
  /** Two threads must give at least this many times the one-thread rate to count as scaling. */
  static final double SCALING = 1.6;
  /** "Far ahead of MapFile" on HDFS. */
  static final double FAR_AHEAD = 2.0;
  /** Verdict of a bar whose figures were all measured and satisfy it. */
  static final String MET = "MET";
  /** Verdict of a bar whose figures were all measured and do not satisfy it. */
  static final String NOT_MET = "NOT MET";
  /** Verdict of a bar that lacks at least one of the figures it compares. */
  static final String NOT_MEASURED = "NOT MEASURED";

  private Bars() {}

  /**
   * One line per bar.
   *
   * @param datasets the data sets of bars 1, 3 and 4
   * @param lookupDataset the data set of bar 2, or null if none was chosen
   * @param hdfsDataset the data set of bar 5, or null if HDFS was not run
   * @param mapReduceDataset the data set of bar 6, or null if the jobs were not run
   * @param memoryDataset the data set of bar 7, or null if memory was not measured
   */
  static List<String> evaluate(Report report, List<String> datasets, String lookupDataset,
      String hdfsDataset, String mapReduceDataset, String memoryDataset) {
    List<String> out = new ArrayList<>();
    for (String d : datasets) {
      Figures f = new Figures(report, Workload.BUILD, d, "");
      double kv = f.kvstore();
      double raw = f.of(Workload.BUILD.reference());
      double best = f.maxOf(Report.PEERS);
      out.add(f.line("1. build " + d + ": >= 0.8x raw write and ahead of every peer",
          kv / raw >= 0.8 && kv > best,
          fmt("%.2fx raw write, %.2fx best peer", kv / raw, kv / best)));
    }
    String one = "1 thread";
    String two = "2 threads";
    Figures f1 = new Figures(report, Workload.LOOKUP_PRESENT, lookupDataset, one);
    Figures f2 = f1.variant(two);
    double kv1 = f1.kvstore();
    double kv2 = f2.kvstore();
    double best1 = f1.maxOf(List.of(PalDbSystem.NAME, SparkeySystem.NAME));
    double map1 = f1.of(MapFileSystem.NAME);
    double map2 = f2.of(MapFileSystem.NAME);
    out.add(f2.line("2. present lookups " + label(lookupDataset)
        + ": 1 thread ahead of best of PalDB/Sparkey, 2 threads >= " + SCALING
        + "x 1 thread, >= 50x MapFile",
        kv1 > best1 && kv2 >= SCALING * kv1 && kv1 >= 50 * map1 && kv2 >= 50 * map2,
        fmt("%.2fx best of PalDB/Sparkey, 2 threads %.2fx 1 thread, %.0fx/%.0fx MapFile"
            + " (1/2 threads)", kv1 / best1, kv2 / kv1, kv1 / map1, kv2 / map2)));
    for (String d : datasets) {
      for (String t : List.of(one, two)) {
        Figures f = new Figures(report, Workload.LOOKUP_PRESENT, d, t);
        double present = f.kvstore();
        double absent = f.workload(Workload.LOOKUP_ABSENT).kvstore();
        out.add(f.line("3. absent lookups " + d + ", " + t + ": >= present", absent >= present,
            fmt("%.2fx present", absent / present)));
      }
    }
    for (String d : datasets) {
      for (String v : List.of(ScanWorkload.ITERATOR, ScanWorkload.SCANNER)) {
        Figures f = new Figures(report, Workload.SCAN, d, v);
        double kv = f.kvstore();
        double raw = f.of(Workload.SCAN.reference());
        out.add(f.line("4. scan " + d + " through " + v + ": >= 0.8x raw sequential read",
            kv / raw >= 0.8, fmt("%.2fx raw", kv / raw)));
      }
    }
    for (String t : List.of(one, two)) {
      Figures f = new Figures(report, Workload.HDFS_LOOKUP, hdfsDataset, t);
      double kv = f.kvstore();
      double raw = f.of(Workload.HDFS_LOOKUP.reference());
      double map = f.of(MapFileSystem.NAME);
      out.add(f.line("5. HDFS lookups " + label(hdfsDataset) + ", " + t
          + ": >= 0.8x raw pread, >= " + FAR_AHEAD + "x MapFile",
          kv / raw >= 0.8 && kv / map >= FAR_AHEAD,
          fmt("%.2fx raw pread, %.1fx MapFile", kv / raw, kv / map)));
    }
    Figures mr = new Figures(report, Workload.MAPREDUCE, mapReduceDataset,
        MapReduceWorkload.VARIANT);
    double clone = mr.kvstore();
    double identity = mr.of(Workload.MAPREDUCE.reference());
    out.add(mr.line("6. CloneStoreMapReduce " + label(mapReduceDataset)
        + ": <= 1.25x identity job",
        clone / identity <= 1.25, fmt("%.2fx identity job", clone / identity)));
    Figures mem = new Figures(report, Workload.MEMORY, memoryDataset, "");
    double perKey = mem.kvstore();
    out.add(mem.line("7. heap per key " + label(memoryDataset) + ": <= 16 bytes", perKey <= 16,
        fmt("%.1f bytes per key", perKey)));
    return out;
  }

  /** Bytes of kvstore zstd over Sparkey zstd in 4 KB blocks, at most. */
  static final double BYTES_VS_SPARKEY_ZSTD = 1.2;
  /** Lookups of kvstore zstd over Sparkey zstd, at least. */
  static final double LOOKUPS_VS_SPARKEY_ZSTD = 8;
  /** Lookups of kvstore zstd over kvstore uncompressed, at least. */
  static final double LOOKUPS_VS_UNCOMPRESSED = 0.6;
  /** Build rate of kvstore zstd over Sparkey zstd, at least. */
  static final double BUILD_VS_SPARKEY_ZSTD = 1.5;
  /** Scan rate of kvstore zstd over kvstore uncompressed, at least. */
  static final double SCAN_VS_UNCOMPRESSED = 0.5;
  /** Bytes of kvstore zstd over uncompressed on random values, at most. */
  static final double RANDOM_BYTES = 1.01;
  /** Lookups of kvstore zstd over uncompressed on random values, at least. */
  static final double RANDOM_LOOKUPS = 0.9;

  /**
   * The bars of issue 10 (workload 8): one line per bar and data set.
   *
   * @param textDatasets the compressible data sets (text-like, logs)
   * @param randomDataset the incompressible data set, or null if it was not run
   */
  static List<String> compression(Report report, List<String> textDatasets,
      String randomDataset) {
    List<String> out = new ArrayList<>();
    String zstd = KvstoreSystem.NAME;
    String none = CompressionWorkload.KV_NONE;
    for (String d : textDatasets) {
      Figures b = new Figures(report, Workload.COMPRESSION_BYTES, d, "");
      double kv = b.of(zstd);
      double sz = b.of(SparkeySystem.ZSTD_NAME);
      double ss = b.of(SparkeySystem.SNAPPY_NAME);
      double mf = b.of(MapFileSystem.ZLIB_NAME);
      out.add(b.line("8a. bytes " + d + ": kvstore zstd <= " + BYTES_VS_SPARKEY_ZSTD
          + "x Sparkey zstd 4K, < MapFile zlib, < Sparkey snappy 4K",
          kv <= BYTES_VS_SPARKEY_ZSTD * sz && kv < mf && kv < ss,
          fmt("%.2fx Sparkey zstd, %.2fx MapFile zlib, %.2fx Sparkey snappy", kv / sz, kv / mf,
              kv / ss)));
      Figures l = new Figures(report, Workload.COMPRESSION_LOOKUP, d, "");
      double lk = l.of(zstd);
      double lz = l.of(SparkeySystem.ZSTD_NAME);
      double ln = l.of(none);
      out.add(l.line("8b. lookups " + d + ": kvstore zstd >= " + LOOKUPS_VS_SPARKEY_ZSTD
          + "x Sparkey zstd 4K and >= " + LOOKUPS_VS_UNCOMPRESSED + "x kvstore none",
          lk >= LOOKUPS_VS_SPARKEY_ZSTD * lz && lk >= LOOKUPS_VS_UNCOMPRESSED * ln,
          fmt("%.1fx Sparkey zstd, %.2fx kvstore none", lk / lz, lk / ln)));
      Figures w = new Figures(report, Workload.COMPRESSION_BUILD, d, "");
      double wk = w.of(zstd);
      double wz = w.of(SparkeySystem.ZSTD_NAME);
      out.add(w.line("8c. build " + d + ": kvstore zstd >= " + BUILD_VS_SPARKEY_ZSTD
          + "x Sparkey zstd 4K", wk >= BUILD_VS_SPARKEY_ZSTD * wz,
          fmt("%.2fx Sparkey zstd", wk / wz)));
      Figures c = new Figures(report, Workload.COMPRESSION_SCAN, d, "");
      double ck = c.of(zstd);
      double cn = c.of(none);
      out.add(c.line("8d. scan " + d + " through KeyValueInputFormat's reader: kvstore zstd >= "
          + SCAN_VS_UNCOMPRESSED + "x kvstore none", ck >= SCAN_VS_UNCOMPRESSED * cn,
          fmt("%.2fx kvstore none", ck / cn)));
    }
    Figures rb = new Figures(report, Workload.COMPRESSION_BYTES, randomDataset, "");
    double rk = rb.of(zstd);
    double rn = rb.of(none);
    Figures rl = rb.workload(Workload.COMPRESSION_LOOKUP);
    double lk = rl.of(zstd);
    double ln = rl.of(none);
    out.add(rl.line("8e. random values " + label(randomDataset) + ": kvstore zstd bytes <= "
        + RANDOM_BYTES + "x kvstore none, lookups >= " + RANDOM_LOOKUPS + "x",
        rk <= RANDOM_BYTES * rn && lk >= RANDOM_LOOKUPS * ln,
        fmt("bytes %.4fx, lookups %.2fx kvstore none", rk / rn, lk / ln)));
    return out;
  }

  /**
   * The figures one bar compares, each recorded as it is read so that the verdict knows whether
   * all of them were measured.
   */
  private static final class Figures {
    private final Report report;
    private final Workload workload;
    private final String dataset;
    private final String variant;
    private final Map<String, Double> read;

    Figures(Report report, Workload workload, String dataset, String variant) {
      this(report, workload, dataset, variant, new LinkedHashMap<>());
    }

    private Figures(Report report, Workload workload, String dataset, String variant,
        Map<String, Double> read) {
      this.report = report;
      this.workload = workload;
      this.dataset = dataset;
      this.variant = variant;
      this.read = read;
    }

    /** The same bar's figures of another variant (they count towards this bar's verdict). */
    Figures variant(String other) {
      return new Figures(report, workload, dataset, other, read);
    }

    /** The same bar's figures of another workload (they count towards this bar's verdict). */
    Figures workload(Workload other) {
      return new Figures(report, other, dataset, variant, read);
    }

    double kvstore() {
      return of(KvstoreSystem.NAME);
    }

    /** The median of {@code system}'s figure; NaN if it was not measured. */
    double of(String system) {
      double m = dataset == null ? Double.NaN : report.median(workload, dataset, variant, system);
      read.put(system + " (" + workload.name().toLowerCase(Locale.ROOT)
          + (variant.isEmpty() ? "" : ", " + variant) + ")", m);
      return m;
    }

    /** The largest of the systems' figures; each one of them must have been measured. */
    double maxOf(List<String> systems) {
      double best = Double.NEGATIVE_INFINITY;
      for (String s : systems) {
        best = Math.max(best, of(s));
      }
      return best;
    }

    String line(String bar, boolean met, String detail) {
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, Double> e : read.entrySet()) {
        double v = e.getValue();
        // Every figure is a rate, a time or a size: zero or infinity is a failed measurement,
        // and a ratio against it would pass or fail a bar on nothing.
        if (!Double.isFinite(v) || v <= 0) {
          missing.add(e.getKey());
        }
      }
      if (!missing.isEmpty()) {
        return "- " + bar + ": **" + NOT_MEASURED + "** (not measured: "
            + String.join(", ", missing) + ")";
      }
      return "- " + bar + ": **" + (met ? MET : NOT_MET) + "** (" + detail + ")";
    }
  }

  /** A data set's name in a bar's line; a bar whose workload did not run has none. */
  private static String label(String dataset) {
    return dataset == null ? "(not run)" : dataset;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
