package io.kvstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks the bars of issue 5 against a report; each line says met, not met or not measured. */
final class Bars {
  /** Two threads must give at least this many times the one-thread rate to count as scaling. */
  static final double SCALING = 1.6;
  /** "Far ahead of MapFile" on HDFS. */
  static final double FAR_AHEAD = 2.0;

  private Bars() {}

  static List<String> evaluate(Report report, List<String> datasets, String lookupDataset,
      String hdfsDataset, String memoryDataset) {
    List<String> out = new ArrayList<>();
    for (String d : datasets) {
      double kv = report.median(Workload.BUILD, d, "", KvstoreSystem.NAME);
      double raw = report.median(Workload.BUILD, d, "", "raw write");
      double best = max(report, Workload.BUILD, d, "", Report.PEERS);
      out.add(line("1. build " + d + ": >= 0.8x raw write and ahead of every peer",
          kv / raw >= 0.8 && kv > best,
          fmt("%.2fx raw write, %.2fx best peer", kv / raw, kv / best), kv));
    }
    String one = "1 thread";
    String two = "2 threads";
    double kv1 = report.median(Workload.LOOKUP_PRESENT, lookupDataset, one, KvstoreSystem.NAME);
    double kv2 = report.median(Workload.LOOKUP_PRESENT, lookupDataset, two, KvstoreSystem.NAME);
    double best1 = max(report, Workload.LOOKUP_PRESENT, lookupDataset, one,
        List.of(PalDbSystem.NAME, SparkeySystem.NAME));
    double map1 = report.median(Workload.LOOKUP_PRESENT, lookupDataset, one, MapFileSystem.NAME);
    double map2 = report.median(Workload.LOOKUP_PRESENT, lookupDataset, two, MapFileSystem.NAME);
    out.add(line("2. present lookups " + lookupDataset
        + ": 1 thread ahead of best of PalDB/Sparkey, 2 threads >= " + SCALING
        + "x 1 thread, >= 50x MapFile",
        kv1 > best1 && kv2 >= SCALING * kv1 && kv1 >= 50 * map1 && kv2 >= 50 * map2,
        fmt("%.2fx best of PalDB/Sparkey, 2 threads %.2fx 1 thread, %.0fx/%.0fx MapFile"
            + " (1/2 threads)", kv1 / best1, kv2 / kv1, kv1 / map1, kv2 / map2), kv1 + kv2));
    for (String d : datasets) {
      for (String t : List.of(one, two)) {
        double present = report.median(Workload.LOOKUP_PRESENT, d, t, KvstoreSystem.NAME);
        double absent = report.median(Workload.LOOKUP_ABSENT, d, t, KvstoreSystem.NAME);
        out.add(line("3. absent lookups " + d + ", " + t + ": >= present", absent >= present,
            fmt("%.2fx present", absent / present), absent));
      }
    }
    for (String d : datasets) {
      double raw = report.median(Workload.SCAN, d, "", Workload.SCAN.reference());
      for (String v : List.of(ScanWorkload.ITERATOR, ScanWorkload.SCANNER)) {
        double kv = report.median(Workload.SCAN, d, v, KvstoreSystem.NAME);
        out.add(line("4. scan " + d + " through " + v + ": >= 0.8x raw sequential read",
            kv / raw >= 0.8, fmt("%.2fx raw", kv / raw), kv));
      }
    }
    for (String t : List.of(one, two)) {
      double kv = report.median(Workload.HDFS_LOOKUP, hdfsDataset, t, KvstoreSystem.NAME);
      double raw = report.median(Workload.HDFS_LOOKUP, hdfsDataset, t,
          Workload.HDFS_LOOKUP.reference());
      double map = report.median(Workload.HDFS_LOOKUP, hdfsDataset, t, MapFileSystem.NAME);
      out.add(line("5. HDFS lookups " + hdfsDataset + ", " + t + ": >= 0.8x raw pread, >= "
          + FAR_AHEAD + "x MapFile", kv / raw >= 0.8 && kv / map >= FAR_AHEAD,
          fmt("%.2fx raw pread, %.1fx MapFile", kv / raw, kv / map), kv));
    }
    for (Measurement m : report.measurements()) {
      if (m.workload() == Workload.MAPREDUCE && m.system().equals(KvstoreSystem.NAME)) {
        double kv = m.median();
        double id = report.median(Workload.MAPREDUCE, m.dataset(), m.variant(),
            Workload.MAPREDUCE.reference());
        out.add(line("6. CloneStoreMapReduce " + m.dataset() + ": <= 1.25x identity job",
            kv / id <= 1.25, fmt("%.2fx identity job", kv / id), kv));
      }
    }
    double perKey = report.median(Workload.MEMORY, memoryDataset, "", KvstoreSystem.NAME);
    out.add(line("7. heap per key " + memoryDataset + ": <= 16 bytes", perKey <= 16,
        fmt("%.1f bytes per key", perKey), perKey));
    return out;
  }

  private static double max(Report report, Workload w, String d, String v, List<String> systems) {
    double best = Double.NaN;
    for (String s : systems) {
      double m = report.median(w, d, v, s);
      if (!Double.isNaN(m) && (Double.isNaN(best) || m > best)) {
        best = m;
      }
    }
    return best;
  }

  private static String line(String bar, boolean met, String detail, double guard) {
    String verdict = Double.isNaN(guard) || detail.contains("NaN") ? "not measured"
        : met ? "MET" : "NOT MET";
    return "- " + bar + ": **" + verdict + "** (" + detail + ")";
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
