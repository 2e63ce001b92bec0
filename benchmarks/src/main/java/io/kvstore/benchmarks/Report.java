package io.kvstore.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders measurements as Markdown tables of medians and ratios, and as JSON. */
public final class Report {
  /** Peers in column order. */
  static final List<String> PEERS = List.of(MapFileSystem.NAME, PalDbSystem.NAME,
      SparkeySystem.NAME);

  private final List<Measurement> measurements = new ArrayList<>();

  /** Adds a measurement. */
  public synchronized void add(Measurement m) {
    measurements.add(m);
  }

  /** A copy of every measurement, in the order added. */
  public synchronized List<Measurement> measurements() {
    return Collections.unmodifiableList(new ArrayList<>(measurements));
  }

  /**
   * The median of one figure, or NaN if it was not measured. An empty variant of another system
   * stands for every variant (a reference measured once for two kvstore variants); kvstore's own
   * figures stand only for the variant they were measured in.
   */
  public synchronized double median(Workload w, String dataset, String variant, String system) {
    Measurement fallback = null;
    for (Measurement m : measurements) {
      if (m.workload() == w && m.dataset().equals(dataset) && m.system().equals(system)) {
        if (m.variant().equals(variant)) {
          return m.median();
        }
        if (m.variant().isEmpty() && !system.equals(KvstoreSystem.NAME)) {
          fallback = m;
        }
      }
    }
    return fallback == null ? Double.NaN : fallback.median();
  }

  /** One Markdown table per workload measured: medians, then kvstore divided by each other. */
  public synchronized String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    for (Workload w : Workload.values()) {
      List<Measurement> ms = new ArrayList<>();
      for (Measurement m : measurements) {
        if (m.workload() == w) {
          ms.add(m);
        }
      }
      if (ms.isEmpty()) {
        continue;
      }
      List<String> others = new ArrayList<>();
      for (String p : PEERS) {
        if (ms.stream().anyMatch(m -> m.system().equals(p))) {
          others.add(p);
        }
      }
      Set<String> extra = new LinkedHashSet<>();
      for (Measurement m : ms) {
        if (!m.system().equals(KvstoreSystem.NAME) && !PEERS.contains(m.system())) {
          extra.add(m.system());
        }
      }
      others.addAll(extra);
      sb.append("### ").append(w.title()).append(" (").append(w.unit()).append(", ")
          .append(w.higherIsBetter() ? "higher" : "lower").append(" is better)\n\n");
      sb.append("| data | variant | ").append(KvstoreSystem.NAME);
      for (String o : others) {
        sb.append(" | ").append(o);
      }
      for (String o : others) {
        sb.append(" | kvstore ÷ ").append(o);
      }
      sb.append(" |\n|---|---");
      for (int i = 0; i < 1 + 2 * others.size(); i++) {
        sb.append("|---:");
      }
      sb.append("|\n");
      Map<String, List<String>> rows = new LinkedHashMap<>();
      for (Measurement m : ms) {
        List<String> variants = rows.computeIfAbsent(m.dataset(), k -> new ArrayList<>());
        if (!variants.contains(m.variant())) {
          variants.add(m.variant());
        }
      }
      for (Map.Entry<String, List<String>> row : rows.entrySet()) {
        List<String> variants = new ArrayList<>(row.getValue());
        // A shared reference row (empty variant) is folded into the kvstore variants.
        if (variants.size() > 1) {
          variants.remove("");
        }
        for (String variant : variants) {
          double ours = median(w, row.getKey(), variant, KvstoreSystem.NAME);
          sb.append("| ").append(row.getKey()).append(" | ")
              .append(variant.isEmpty() ? "-" : variant).append(" | ").append(format(ours));
          for (String o : others) {
            sb.append(" | ").append(format(median(w, row.getKey(), variant, o)));
          }
          for (String o : others) {
            sb.append(" | ").append(ratio(ours, median(w, row.getKey(), variant, o)));
          }
          sb.append(" |\n");
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Every measurement with its samples and median, as a JSON document. */
  public synchronized String toJson(Map<String, String> environment) {
    StringBuilder sb = new StringBuilder("{\n  \"environment\": {");
    boolean first = true;
    for (Map.Entry<String, String> e : environment.entrySet()) {
      sb.append(first ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": ")
          .append(quote(e.getValue()));
      first = false;
    }
    sb.append("\n  },\n  \"results\": [");
    first = true;
    for (Measurement m : measurements) {
      sb.append(first ? "\n" : ",\n").append("    {\"workload\": ").append(quote(m.workload().name()))
          .append(", \"dataset\": ").append(quote(m.dataset()))
          .append(", \"variant\": ").append(quote(m.variant()))
          .append(", \"system\": ").append(quote(m.system()))
          .append(", \"unit\": ").append(quote(m.workload().unit()))
          .append(", \"median\": ").append(number(m.median()))
          .append(", \"samples\": [");
      double[] s = m.samples();
      for (int i = 0; i < s.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(number(s[i]));
      }
      sb.append("]}");
      first = false;
    }
    sb.append("\n  ]\n}\n");
    return sb.toString();
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (a >= 1e4) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(double ours, double theirs) {
    if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs == 0) {
      return "-";
    }
    double r = ours / theirs;
    return String.format(Locale.ROOT, r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r);
  }

  private static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "null";
    }
    return Double.toString(v);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
