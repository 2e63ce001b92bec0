package io.kvstore.benchmarks;

import io.kvstore.KeyValueConf;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup bars of issue 11 in one run, kvstore beside Sparkey on the same data: single get,
 * multi-get of {@link LookupBenchmark#BATCH} keys, get into a caller array (with JMH's gc
 * profiler for the bytes allocated per lookup), two threads, the heap index on transparent huge
 * pages, all on freshly written files and on copies made by one plain 16 MB-block copy; then open
 * time and open plus the first 10,000 gets (with the minor page faults they took). It also shows
 * what its figures rest on: kvstore's gets and multi-gets with the record CRC32C off (what that
 * check costs), and how much of each system's mapped files sit on 2 MB pages
 * ({@code FilePmdMapped} of {@code /proc/self/smaps}), so "equal page sizes" is measured, not
 * assumed. Prints a Markdown table of medians (min-max of the iterations) and ratios, and the
 * bars; writes {@code lookup-bars.md} to the output directory.
 *
 * <pre>
 * LookupBars [--keys 10M] [--value 100] [--work DIR] [--out DIR] [--iterations 5] [--opens 7] [--reuse]
 *            [--codec none]
 * </pre>
 *
 * <p>kvstore's values are stored uncompressed by default, as Sparkey's are: the bars compare
 * lookups, not decompression ({@code --codec zstd} measures kvstore's default codec instead).
 *
 * <p>{@code --reuse} keeps the stores of an earlier run in the work directory and builds only
 * those missing (delete one system's directories to rebuild it).
 */
public final class LookupBars {
  private static final Logger LOG = LoggerFactory.getLogger(LookupBars.class);
  private static final String[] SYSTEMS = {KvstoreSystem.NAME, SparkeySystem.NAME};
  private static final int FIRST_GETS = 10_000;
  /** kvstore with {@code kvstore.read.mmap.index=false}: the index read into heap at open. */
  private static final String HEAP_INDEX = "kvstore-heap-index";
  /**
   * kvstore with {@code kvstore.read.verify.checksums=false}: no record CRC32C, to show what that
   * check costs beside Sparkey (which checks nothing); the hash index chunks are still verified.
   */
  private static final String NO_RECORD_CRC = "kvstore-no-record-crc";

  private LookupBars() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    int keys = 10_000_000;
    int valueLength = 100;
    File work = new File("bench-results/lookup-data");
    File out = new File("bench-results");
    int iterations = 5;
    int opens = 7;
    boolean reuse = false;
    String codec = "none";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--keys":
          keys = RunAll.Options.parseCount(args[++i]);
          break;
        case "--value":
          valueLength = Integer.parseInt(args[++i]);
          break;
        case "--work":
          work = new File(args[++i]);
          break;
        case "--out":
          out = new File(args[++i]);
          break;
        case "--iterations":
          iterations = Integer.parseInt(args[++i]);
          break;
        case "--opens":
          opens = Integer.parseInt(args[++i]);
          break;
        case "--reuse":
          reuse = true;
          break;
        case "--codec":
          codec = args[++i];
          break;
        default:
          throw new IllegalArgumentException("Unknown option " + args[i] + "; usage: LookupBars"
              + " [--keys 10M] [--value 100] [--work DIR] [--out DIR] [--iterations N]"
              + " [--opens N] [--reuse] [--codec none|lz4|zstd]");
      }
    }
    Map<String, String> env = Environment.describe();
    Configuration conf = new Configuration();
    // Sparkey's files here are uncompressed; kvstore's default (zstd) would add a decompression
    // to every kvstore lookup. With --reuse, a kvstore store built with another codec is kept.
    KeyValueConf.COMPRESSION_CODEC.setString(conf, codec);
    FileSystem fs = FileSystem.getLocal(conf);
    DataSet data = DataSet.generate(keys, valueLength, 42);
    File fresh = new File(work, "fresh");
    File copied = new File(work, "copied");
    List<BenchSystem> systems = List.of(new KvstoreSystem(conf), new SparkeySystem());
    if (!reuse) {
      fs.delete(new Path(work.getAbsolutePath()), true);
    }
    for (BenchSystem s : systems) {
      if (new File(fresh, s.name()).isDirectory() && new File(copied, s.name()).isDirectory()) {
        LOG.info("Reusing the stores of {}", s.name());
        continue;
      }
      fs.delete(new Path(new File(fresh, s.name()).getAbsolutePath()), true);
      fs.delete(new Path(new File(copied, s.name()).getAbsolutePath()), true);
      LOG.info("Building {} of {}", s.name(), data.label());
      Path dir = new Path(new File(fresh, s.name()).getAbsolutePath());
      s.build(data, fs, dir);
      Verifier.verify(data, s, fs, dir, 10_000);
      copyTree(new File(fresh, s.name()), new File(copied, s.name()));
      Verifier.verify(data, s, fs, new Path(new File(copied, s.name()).getAbsolutePath()),
          10_000);
    }
    Map<String, double[]> figures = new LinkedHashMap<>();
    Map<String, Double> allocation = new LinkedHashMap<>();
    cpuRates(figures, fresh, copied, data, systems, fs, iterations);
    // Allocation per lookup does not depend on the machine's load: JMH's gc profiler.
    jmh(figures, allocation, "fresh, JMH gc", fresh, data, 3, "getInto",
        new String[] {KvstoreSystem.NAME}, 1, List.of());
    // The heap index on 2 MB pages needs JVM flags, so a forked JVM each way (wall clock).
    jmh(figures, allocation, "fresh, JMH", fresh, data, iterations, "get",
        new String[] {KvstoreSystem.NAME}, 1, List.of());
    jmh(figures, allocation, "fresh, THP heap", fresh, data, iterations, "get",
        new String[] {KvstoreSystem.NAME}, 1,
        List.of("-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"));
    for (File root : new File[] {fresh, copied}) {
      openTimes(figures, root == fresh ? "fresh" : "copied", root, data, systems, fs, opens);
    }
    String md = table(figures, allocation, data, env, codec);
    out.mkdirs();
    Files.write(new File(out, "lookup-bars.md").toPath(), md.getBytes(StandardCharsets.UTF_8));
    System.out.println(md);
  }

  /**
   * Lookup rates per CPU-second ({@link CpuRate}) of every variant, interleaved: each round
   * measures every variant once, so a change of the machine's load hits all of them alike.
   */
  private static void cpuRates(Map<String, double[]> figures, File fresh, File copied,
      DataSet data, List<BenchSystem> systems, FileSystem fs, int rounds) throws Exception {
    long[] words = data.lookupOrder(LookupBenchmark.SEQUENCE, data.seed() + 1);
    int valueLength = data.valueLength();
    List<String> names = new ArrayList<>();
    List<Lookup> lookups = new ArrayList<>();
    List<CpuRate.Method> methods = new ArrayList<>();
    List<Integer> threadCounts = new ArrayList<>();
    Map<String, Lookup> open = new LinkedHashMap<>();
    // A second handle per store for the second thread, kept for the whole run: closing a
    // Sparkey duplicate closes the reader it came from.
    Map<Lookup, Lookup> second = new LinkedHashMap<>();
    try {
      for (File root : new File[] {fresh, copied}) {
        String files = root == fresh ? "fresh" : "copied";
        for (BenchSystem s : systems) {
          Path dir = new Path(new File(root, s.name()).getAbsolutePath());
          Lookup l = s.open(fs, dir);
          open.put(s.name() + " " + files, l);
          second.put(l, l.forThread());
          if (s.name().equals(KvstoreSystem.NAME)) {
            // The same files with the hash index read into heap at open instead of mapped.
            Configuration heapIndex = new Configuration();
            KeyValueConf.READ_MMAP_INDEX.setBoolean(heapIndex, false);
            Lookup h = new KvstoreSystem(heapIndex).open(fs, dir);
            open.put(HEAP_INDEX + " " + files, h);
            names.add(key("get", HEAP_INDEX, files, 1));
            lookups.add(h);
            methods.add(CpuRate.Method.GET);
            threadCounts.add(1);
            Configuration noCrc = new Configuration();
            KeyValueConf.VERIFY_CHECKSUMS.setBoolean(noCrc, false);
            Lookup c = new KvstoreSystem(noCrc).open(fs, dir);
            open.put(NO_RECORD_CRC + " " + files, c);
            for (CpuRate.Method m : new CpuRate.Method[] {CpuRate.Method.GET,
                CpuRate.Method.GET_ALL}) {
              names.add(key(m == CpuRate.Method.GET ? "get" : "getAll", NO_RECORD_CRC, files, 1));
              lookups.add(c);
              methods.add(m);
              threadCounts.add(1);
            }
          }
          for (int threads : root == fresh ? new int[] {1, 2} : new int[] {1}) {
            names.add(key("get", s.name(), files, threads));
            lookups.add(l);
            methods.add(CpuRate.Method.GET);
            threadCounts.add(threads);
            if (s.name().equals(KvstoreSystem.NAME)) {
              names.add(key("getAll", s.name(), files, threads));
              lookups.add(l);
              methods.add(CpuRate.Method.GET_ALL);
              threadCounts.add(threads);
              if (threads == 1) {
                names.add(key("getInto", s.name(), files, threads));
                lookups.add(l);
                methods.add(CpuRate.Method.GET_INTO);
                threadCounts.add(threads);
              }
            }
          }
        }
      }
      for (String name : names) {
        figures.put(name, new double[rounds]);
      }
      for (int round = -1; round < rounds; round++) {
        for (int v = 0; v < names.size(); v++) {
          // Round -1 warms every variant up (JIT, page tables) and is not recorded.
          double seconds = round < 0 ? 1.0 : 0.5;
          double rate = threadCounts.get(v) == 1
              ? CpuRate.measure(lookups.get(v), methods.get(v), words, round * 4099 + v * 65537,
                  valueLength, seconds)
              : CpuRate.measureTwo(lookups.get(v), second.get(lookups.get(v)), methods.get(v),
                  words, valueLength, seconds);
          if (round >= 0) {
            figures.get(names.get(v))[round] = rate;
          }
        }
        LOG.info("round {} done", round);
      }
      // Every variant has now touched its whole store: what page sizes did its maps get?
      for (File root : new File[] {fresh, copied}) {
        for (BenchSystem s : systems) {
          long[] kb = PageMaps.residentAndPmdKb(new File(root, s.name()).getAbsolutePath());
          figures.put("pmd " + s.name() + " " + (root == fresh ? "fresh" : "copied"),
              new double[] {kb[0], kb[1]});
        }
      }
    } finally {
      for (Lookup l : second.values()) {
        l.close();
      }
      for (Lookup l : open.values()) {
        l.close();
      }
    }
    for (String name : names) {
      LOG.info("{}: {}", name, Arrays.toString(figures.get(name)));
    }
  }

  /** Copies every file of {@code from} into {@code to} by 16 MB reads and writes. */
  static void copyTree(File from, File to) throws IOException {
    to.mkdirs();
    byte[] block = new byte[16 << 20];
    for (File f : from.listFiles()) {
      if (f.isDirectory()) {
        copyTree(f, new File(to, f.getName()));
        continue;
      }
      try (InputStream in = new FileInputStream(f);
          OutputStream o = new FileOutputStream(new File(to, f.getName()))) {
        int n;
        while ((n = in.readNBytes(block, 0, block.length)) > 0) {
          o.write(block, 0, n);
        }
      }
    }
  }

  private static void jmh(Map<String, double[]> figures, Map<String, Double> allocation,
      String files, File root, DataSet data, int iterations, String method, String[] systems,
      int threads, List<String> extraJvmArgs) throws Exception {
    List<String> jvmArgs = new ArrayList<>(List.of("-Xmx6g", "-XX:+UseParallelGC"));
    jvmArgs.addAll(extraJvmArgs);
    String log4j = System.getProperty("log4j.configuration");
    if (log4j != null) {
      jvmArgs.add("-Dlog4j.configuration=" + log4j);
    }
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include(LookupBenchmark.class.getName() + "." + method + "$")
        .param("system", systems)
        .param("root", root.getAbsolutePath())
        .param("keys", Integer.toString(data.keyCount()))
        .param("valueLength", Integer.toString(data.valueLength()))
        .param("seed", Long.toString(data.seed()))
        .param("keySet", "present")
        .threads(threads)
        .forks(1)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgs(jvmArgs.toArray(new String[0]))
        .shouldFailOnError(true);
    if (method.equals("getInto")) {
      b.addProfiler(GCProfiler.class);
    }
    Collection<RunResult> results = new Runner(b.build()).run();
    for (RunResult rr : results) {
      String system = rr.getParams().getParam("system");
      List<Double> scores = new ArrayList<>();
      for (BenchmarkResult br : rr.getBenchmarkResults()) {
        for (IterationResult ir : br.getIterationResults()) {
          scores.add(ir.getPrimaryResult().getScore());
        }
      }
      String name = key(method, system, files, threads);
      figures.put(name, scores.stream().mapToDouble(Double::doubleValue).toArray());
      for (Map.Entry<String, Result> e : rr.getAggregatedResult().getSecondaryResults()
          .entrySet()) {
        if (e.getKey().endsWith("gc.alloc.rate.norm")) {
          allocation.put(name, e.getValue().getScore());
        }
      }
      LOG.info("{}: {}", name, Arrays.toString(figures.get(name)));
    }
  }

  private static String key(String method, String system, String files, int threads) {
    return method + " " + system + " " + files + " " + threads + "t";
  }

  /**
   * Opens each system's store {@code opens} times, alternating systems: the time to open, and to
   * open and look up the first 10,000 keys (random present keys), in milliseconds. The first
   * round runs before the JIT has compiled anything and is reported as well.
   */
  private static void openTimes(Map<String, double[]> figures, String files, File root,
      DataSet data, List<BenchSystem> systems, FileSystem fs, int opens) throws Exception {
    long[] words = data.lookupOrder(FIRST_GETS * opens, data.seed() + 9);
    byte[] key = new byte[DataSet.KEY_LENGTH];
    for (BenchSystem s : systems) {
      figures.put("open " + s.name() + " " + files, new double[opens]);
      figures.put("open+10k " + s.name() + " " + files, new double[opens]);
      figures.put("faults " + s.name() + " " + files, new double[opens]);
    }
    for (int r = 0; r < opens; r++) {
      for (BenchSystem s : systems) {
        Path dir = new Path(new File(root, s.name()).getAbsolutePath());
        System.gc();
        long f0 = PageMaps.minorFaults();
        long t0 = System.nanoTime();
        Lookup lookup = s.open(fs, dir);
        long t1 = System.nanoTime();
        for (int i = 0; i < FIRST_GETS; i++) {
          DataSet.presentKey(words[r * FIRST_GETS + i], key);
          if (lookup.get(key) == null) {
            throw new IllegalStateException(s.name() + " lost a key");
          }
        }
        long t2 = System.nanoTime();
        long f2 = PageMaps.minorFaults();
        lookup.close();
        figures.get("faults " + s.name() + " " + files)[r] = f0 < 0 ? Double.NaN : f2 - f0;
        figures.get("open " + s.name() + " " + files)[r] = (t1 - t0) / 1e6;
        figures.get("open+10k " + s.name() + " " + files)[r] = (t2 - t0) / 1e6;
      }
    }
    for (BenchSystem s : systems) {
      LOG.info("open {} {}: {} ms", s.name(), files,
          Arrays.toString(figures.get("open " + s.name() + " " + files)));
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static String range(double[] v, boolean rate) {
    if (v == null) {
      return "not measured";
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return rate ? String.format(Locale.ROOT, "%s (%s-%s)", rate(median(s)), rate(s[0]),
        rate(s[s.length - 1])) : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(s), s[0],
        s[s.length - 1]);
  }

  private static String rate(double v) {
    return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
        : String.format(Locale.ROOT, "%.0fk", v / 1e3);
  }

  private static String table(Map<String, double[]> f, Map<String, Double> allocation,
      DataSet data, Map<String, String> env, String codec) {
    StringBuilder sb = new StringBuilder();
    sb.append("Lookups, ").append(data.label()).append(", kvstore values compressed with ")
        .append(codec).append(", Sparkey's uncompressed; page cache warm. Machine: ")
        .append(env.get("cpus")).append(" CPUs, ").append(env.get("jdk"))
        .append("; load average at start ").append(env.get("loadavg at start"))
        .append(", at end ").append(Environment.firstLine("/proc/loadavg")).append("\n\n");
    sb.append("Rates are lookups per CPU-second of the looking-up thread (two threads: the sum of"
        + " both), medians of interleaved rounds with min-max; times in ms.\n\n");
    sb.append("| figure | files | kvstore | Sparkey (or other) | ratio |\n|---|---|---:|---:|---:|\n");
    for (String files : List.of("fresh", "copied")) {
      double[] kv = f.get(key("get", KvstoreSystem.NAME, files, 1));
      double[] sp = f.get(key("get", SparkeySystem.NAME, files, 1));
      row(sb, "single get/s, 1 thread", files, kv, sp, true);
      double[] all = f.get(key("getAll", KvstoreSystem.NAME, files, 1));
      row(sb, "multi-get (16) keys/s vs Sparkey get", files, all, sp, true);
      row(sb, "multi-get (16) keys/s vs kvstore get", files, all, kv, true);
      double[] into = f.get(key("getInto", KvstoreSystem.NAME, files, 1));
      row(sb, "get into caller array/s vs Sparkey get", files, into, sp, true);
      row(sb, "single get/s, 1 thread: mapped index (default) vs heap index", files, kv,
          f.get(key("get", HEAP_INDEX, files, 1)), true);
      row(sb, "single get/s, kvstore with record CRC32C off vs Sparkey get", files,
          f.get(key("get", NO_RECORD_CRC, files, 1)), sp, true);
      row(sb, "multi-get (16) keys/s, kvstore with record CRC32C off vs Sparkey get", files,
          f.get(key("getAll", NO_RECORD_CRC, files, 1)), sp, true);
      pmdRow(sb, files, f.get("pmd " + KvstoreSystem.NAME + " " + files),
          f.get("pmd " + SparkeySystem.NAME + " " + files));
    }
    double[] kv2 = f.get(key("get", KvstoreSystem.NAME, "fresh", 2));
    double[] sp2 = f.get(key("get", SparkeySystem.NAME, "fresh", 2));
    row(sb, "single get/s, 2 threads", "fresh", kv2, sp2, true);
    row(sb, "2 threads ÷ 1 thread (kvstore | Sparkey)", "fresh",
        ratioOf(kv2, f.get(key("get", KvstoreSystem.NAME, "fresh", 1))),
        ratioOf(sp2, f.get(key("get", SparkeySystem.NAME, "fresh", 1))), false);
    double[] all2 = f.get(key("getAll", KvstoreSystem.NAME, "fresh", 2));
    row(sb, "multi-get 2 threads ÷ 1 thread", "fresh",
        ratioOf(all2, f.get(key("getAll", KvstoreSystem.NAME, "fresh", 1))), null, false);
    row(sb, "kvstore single get/s (JMH, wall clock): heap on THP + AlwaysPreTouch | without",
        "fresh", f.get(key("get", KvstoreSystem.NAME, "fresh, THP heap", 1)),
        f.get(key("get", KvstoreSystem.NAME, "fresh, JMH", 1)), true);
    for (String files : List.of("fresh", "copied")) {
      row(sb, "open, ms", files, f.get("open kvstore " + files),
          f.get("open Sparkey " + files), false);
      row(sb, "open + first 10,000 gets, ms", files, f.get("open+10k kvstore " + files),
          f.get("open+10k Sparkey " + files), false);
      row(sb, "minor page faults in open + first 10,000 gets", files,
          f.get("faults kvstore " + files), f.get("faults Sparkey " + files), false);
    }
    for (Map.Entry<String, Double> e : allocation.entrySet()) {
      sb.append("| bytes allocated per lookup (JMH -prof gc), ").append(e.getKey())
          .append(" | | ").append(String.format(Locale.ROOT, "%.2f", e.getValue()))
          .append(" | | |\n");
    }
    return sb.toString();
  }

  /** Iteration-wise ratios of two equally long series (their order is the run's). */
  private static double[] ratioOf(double[] a, double[] b) {
    if (a == null || b == null) {
      return null;
    }
    double mb = median(b);
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / mb;
    }
    return r;
  }

  /**
   * The share of each system's resident file pages that its maps hold on 2 MB pages: the files'
   * page sizes, which decide how many TLB misses a lookup takes.
   */
  private static void pmdRow(StringBuilder sb, String files, double[] kv, double[] other) {
    sb.append("| resident file pages mapped on 2 MB pages (FilePmdMapped ÷ Rss, MB) | ")
        .append(files).append(" | ").append(pmd(kv)).append(" | ").append(pmd(other))
        .append(" | |\n");
  }

  private static String pmd(double[] kb) {
    if (kb == null || kb[0] <= 0) {
      return "not measured";
    }
    return String.format(Locale.ROOT, "%.0f%% (%.0f of %.0f)", 100 * kb[1] / kb[0], kb[1] / 1024,
        kb[0] / 1024);
  }

  private static void row(StringBuilder sb, String figure, String files, double[] kv,
      double[] other, boolean rate) {
    sb.append("| ").append(figure).append(" | ").append(files).append(" | ")
        .append(kv == null ? "" : range(kv, rate)).append(" | ")
        .append(other == null ? "" : range(other, rate)).append(" | ");
    if (kv != null && other != null) {
      sb.append(String.format(Locale.ROOT, "%.2fx", median(kv) / median(other)));
    }
    sb.append(" |\n");
  }
}
