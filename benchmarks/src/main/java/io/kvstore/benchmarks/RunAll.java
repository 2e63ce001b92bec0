package io.kvstore.benchmarks;

import io.kvstore.KeyValueConf;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole comparison of issue 5 and prints a Markdown table of medians and ratios; writes
 * {@code results.json} and {@code results.md} to the output directory.
 *
 * <pre>
 * RunAll [--quick] [--datasets 1M:100,10M:100,100k:10000] [--workloads build,lookup,scan,hdfs,mr,memory,compression]
 *        [--compression-datasets 1M:200:text,1M:200:logs,1M:100:random]
 *        [--reps 3] [--work DIR] [--out DIR] [--seed 42] [--keep]
 * </pre>
 */
public final class RunAll {
  private static final Logger LOG = LoggerFactory.getLogger(RunAll.class);
  private static final String ALL = "build,lookup,scan,hdfs,mr,memory,compression";

  private RunAll() {}

  /** Options of one run. */
  static final class Options {
    List<int[]> datasets = new ArrayList<>();
    /** Workload 8's data sets: count, value length, value kind. */
    List<DataSet> compressionDatasets = new ArrayList<>();
    double lookupSeconds = 2;
    Set<String> workloads = new LinkedHashSet<>(Arrays.asList(ALL.split(",")));
    int reps = 3;
    int warmups = 3;
    int iterations = 5;
    double hdfsSeconds = 3;
    File work = new File("bench-results/data");
    File out = new File("bench-results");
    long seed = 42;
    boolean keep;

    static Options parse(String[] args) {
      Options o = new Options();
      String datasets = "1M:100,10M:100,100k:10000";
      String compression = "1M:200:text,1M:200:logs,1M:100:random";
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick":
            datasets = "1M:100";
            o.warmups = 2;
            o.iterations = 3;
            o.hdfsSeconds = 2;
            break;
          case "--datasets":
            datasets = args[++i];
            break;
          case "--compression-datasets":
            compression = args[++i];
            break;
          case "--workloads":
            o.workloads = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
            break;
          case "--reps":
            o.reps = Integer.parseInt(args[++i]);
            break;
          case "--work":
            o.work = new File(args[++i]);
            break;
          case "--out":
            o.out = new File(args[++i]);
            break;
          case "--seed":
            o.seed = Long.parseLong(args[++i]);
            break;
          case "--keep":
            o.keep = true;
            break;
          default:
            throw new IllegalArgumentException("Unknown option " + args[i] + "; usage: RunAll"
                + " [--quick] [--datasets 1M:100,10M:100,100k:10000] [--workloads " + ALL + "]"
                + " [--compression-datasets 1M:200:text,1M:200:logs,1M:100:random]"
                + " [--reps N] [--work DIR] [--out DIR] [--seed N] [--keep]");
        }
      }
      for (String d : datasets.split(",")) {
        String[] kv = d.split(":");
        o.datasets.add(new int[] {parseCount(kv[0]), Integer.parseInt(kv[1])});
      }
      for (String d : compression.split(",")) {
        String[] kv = d.split(":");
        o.compressionDatasets.add(DataSet.generate(parseCount(kv[0]), Integer.parseInt(kv[1]),
            o.seed, DataSet.ValueKind.valueOf(kv[2].toUpperCase(java.util.Locale.ROOT))));
      }
      return o;
    }

    static int parseCount(String s) {
      char last = Character.toLowerCase(s.charAt(s.length() - 1));
      long mult = last == 'm' ? 1_000_000 : last == 'k' ? 1_000 : 1;
      String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
      return Math.toIntExact(Long.parseLong(digits) * mult);
    }
  }

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Map<String, String> env = Environment.describe();
    LOG.info("Machine: {}", env);
    Configuration conf = new Configuration();
    // Workloads 1 to 7 compare uncompressed stores (no peer compresses there); workload 8
    // compares codecs and sets its own.
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    FileSystem fs = FileSystem.getLocal(conf);
    Report report = new Report();
    List<BenchSystem> systems = Systems.all(conf);
    List<String> labels = new ArrayList<>();
    String lookupDataset = null;
    String memoryDataset = null;
    String mapReduceDataset = null;
    int largestSmall = 0;
    for (int[] d : o.datasets) {
      if (d[1] == 100 && d[0] >= largestSmall) {
        largestSmall = d[0];
      }
    }
    boolean storesNeeded = false;
    for (String w : List.of("build", "lookup", "scan", "mr", "memory")) {
      storesNeeded |= o.workloads.contains(w);
    }
    for (int[] d : storesNeeded ? o.datasets : new ArrayList<int[]>()) {
      DataSet data = DataSet.generate(d[0], d[1], o.seed);
      labels.add(data.label());
      Path root = new Path(new File(o.work, data.label().replace(" ", "")).getAbsolutePath());
      fs.delete(root, true);
      fs.mkdirs(root);
      LOG.info("Data set {}: building", data.label());
      BuildWorkload.run(data, systems, fs, root, o.workloads.contains("build") ? o.reps : 1,
          o.workloads.contains("build") ? report : new Report());
      for (BenchSystem s : systems) {
        Verifier.verify(data, s, fs, new Path(root, s.name()), 10_000);
      }
      if (o.workloads.contains("lookup")) {
        LOG.info("Data set {}: lookups", data.label());
        lookups(o, data, root, systems, report);
      }
      if (o.workloads.contains("scan")) {
        LOG.info("Data set {}: scans", data.label());
        ScanWorkload.run(data, conf, fs, root, o.reps, report);
      }
      if (o.workloads.contains("mr") && d == o.datasets.get(0)) {
        LOG.info("Data set {}: MapReduce jobs", data.label());
        mapReduceDataset = data.label();
        MapReduceWorkload.run(data, conf, fs, root, o.reps, report);
      }
      boolean memoryHere = d[1] == 100 && d[0] == largestSmall;
      if (d[1] == 100 && d[0] == largestSmall) {
        lookupDataset = data.label();
      }
      if (o.workloads.contains("memory") && memoryHere) {
        LOG.info("Data set {}: memory", data.label());
        memoryDataset = data.label();
        MemoryWorkload.run(data, conf, fs, root, systems, report);
        MemoryWorkload.runPartitions(data, conf, fs, root, 4L << 20, report);
      }
      if (!o.keep) {
        fs.delete(root, true);
      }
      print(report, labels, lookupDataset, null, mapReduceDataset, memoryDataset, env);
    }
    String hdfsDataset = null;
    List<String> compressionText = new ArrayList<>();
    String compressionRandom = null;
    if (o.workloads.contains("hdfs")) {
      int[] d = o.datasets.get(0);
      DataSet data = DataSet.generate(d[0], d[1], o.seed);
      hdfsDataset = data.label();
      LOG.info("Data set {}: MiniDFSCluster", data.label());
      HdfsWorkload.run(data, conf, new File(o.work, "hdfs"), new int[] {1, 2}, o.reps,
          o.hdfsSeconds, report);
    }
    if (o.workloads.contains("compression")) {
      for (DataSet data : o.compressionDatasets) {
        Path root = new Path(new File(o.work, "compression-" + data.label().replace(" ", ""))
            .getAbsolutePath());
        fs.delete(root, true);
        fs.mkdirs(root);
        LOG.info("Data set {}: compression", data.label());
        CompressionWorkload.run(data, new Configuration(), fs, root, o.reps, o.lookupSeconds,
            report);
        if (!o.keep) {
          fs.delete(root, true);
        }
        if (data.kind() == DataSet.ValueKind.RANDOM) {
          compressionRandom = data.label();
        } else {
          compressionText.add(data.label());
        }
      }
    }
    env.put("loadavg at end", Environment.firstLine("/proc/loadavg"));
    String md = print(report, labels, lookupDataset, hdfsDataset, mapReduceDataset,
        memoryDataset, env);
    if (o.workloads.contains("compression")) {
      StringBuilder bars = new StringBuilder("\n### Bars of workload 8 (compression)\n\n");
      for (String line : Bars.compression(report, compressionText, compressionRandom)) {
        bars.append(line).append('\n');
      }
      md += bars;
    }
    o.out.mkdirs();
    Files.write(new File(o.out, "results.json").toPath(),
        report.toJson(env).getBytes(StandardCharsets.UTF_8));
    Files.write(new File(o.out, "results.md").toPath(), md.getBytes(StandardCharsets.UTF_8));
    System.out.println(md);
    LOG.info("Wrote {} and {}", new File(o.out, "results.json"), new File(o.out, "results.md"));
  }

  private static String print(Report report, List<String> labels, String lookupDataset,
      String hdfsDataset, String mapReduceDataset, String memoryDataset,
      Map<String, String> env) {
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(env.get("cpus")).append(" CPUs (").append(env.get("cpu"))
        .append("), ").append(env.get("ram")).append(" RAM, ").append(env.get("jdk"))
        .append(", Hadoop ").append(env.get("hadoop")).append(", ").append(env.get("os"))
        .append("; load average at start ").append(env.get("loadavg at start"));
    if (env.containsKey("loadavg at end")) {
      sb.append(", at end ").append(env.get("loadavg at end"));
    }
    sb.append("\n\n");
    sb.append(report.toMarkdown());
    sb.append("### Bars\n\n");
    for (String line : Bars.evaluate(report, labels, lookupDataset, hdfsDataset,
        mapReduceDataset, memoryDataset)) {
      sb.append(line).append('\n');
    }
    LOG.info("Results so far:\n{}", sb);
    return sb.toString();
  }

  private static void lookups(Options o, DataSet data, Path root, List<BenchSystem> systems,
      Report report) throws Exception {
    String[] names = systems.stream().map(BenchSystem::name).toArray(String[]::new);
    List<String> jvmArgs = new ArrayList<>(List.of("-Xmx6g", "-XX:+UseParallelGC"));
    String log4j = System.getProperty("log4j.configuration");
    if (log4j != null) {
      jvmArgs.add("-Dlog4j.configuration=" + log4j);
    }
    for (int threads : new int[] {1, 2}) {
      ChainedOptionsBuilder b = new OptionsBuilder()
          .include(LookupBenchmark.class.getName() + ".get")
          .param("system", names)
          .param("root", root.toUri().getPath())
          .param("keys", Integer.toString(data.keyCount()))
          .param("valueLength", Integer.toString(data.valueLength()))
          .param("seed", Long.toString(data.seed()))
          .param("keySet", "present", "absent")
          .threads(threads)
          .forks(1)
          .warmupIterations(o.warmups)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(o.iterations)
          .measurementTime(TimeValue.seconds(1))
          .jvmArgs(jvmArgs.toArray(new String[0]))
          .shouldFailOnError(true);
      Collection<RunResult> results = new Runner(b.build()).run();
      for (RunResult rr : results) {
        BenchmarkParams p = rr.getParams();
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult br : rr.getBenchmarkResults()) {
          for (IterationResult ir : br.getIterationResults()) {
            scores.add(ir.getPrimaryResult().getScore());
          }
        }
        Workload w = "present".equals(p.getParam("keySet")) ? Workload.LOOKUP_PRESENT
            : Workload.LOOKUP_ABSENT;
        report.add(new Measurement(w, data.label(),
            threads + (threads == 1 ? " thread" : " threads"), p.getParam("system"),
            scores.stream().mapToDouble(Double::doubleValue).toArray()));
      }
    }
  }
}
