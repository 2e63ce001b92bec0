package io.kvstore.spark;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * kvstore against Parquet under Spark, {@code local[2]}: write a DataFrame of {@code n} pairs
 * (16-byte keys, 100-byte values) and time the part of kvstore's write that is Spark's own (the
 * same hash exchange and sort into the {@code noop} sink, and the exchange alone), read it all,
 * query one key, and enrich a probe DataFrame by
 * a lookup join against the shuffle join a user would otherwise write. Prints a Markdown table
 * (after one warm-up run: the median of 3 timed runs for reads and joins of up to 200,000 probe
 * rows, a single run for larger joins; the one-key query, on both sides, the median of
 * {@code kvstore.benchmark.query.runs} (21) after {@code kvstore.benchmark.query.warmups} (20),
 * over a DataFrame loaded once and over one loaded per query, the four taking turns). {@code
 * -Dkvstore.benchmark.only=write} stops after the writes, {@code =query} after the queries.
 *
 * <p>Usage: {@code SparkBenchmark <dir> <pairs> <probe rows>...}; run through
 * {@code bin/spark-benchmark} (see the README).
 */
public final class SparkBenchmark {
  private SparkBenchmark() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    File dir = new File(args[0]);
    long n = Long.parseLong(args[1]);
    List<Long> probes = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      probes.add(Long.parseLong(args[i]));
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("kvstore-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    StageTimes stages = new StageTimes(Boolean.getBoolean("kvstore.benchmark.stages"));
    spark.sparkContext().addSparkListener(stages);
    Map<String, String> writeOptions = options(System.getProperty("kvstore.benchmark.options", ""));
    String only = System.getProperty("kvstore.benchmark.only", "");
    boolean writeOnly = "write".equals(only);
    boolean queryOnly = "query".equals(only);
    int queryWarmUps = Integer.getInteger("kvstore.benchmark.query.warmups", 20);
    int queryRuns = Integer.getInteger("kvstore.benchmark.query.runs", 21);
    String kv = new File(dir, "store").toURI().toString();
    String pq = new File(dir, "parquet").toURI().toString();
    // Both writes start from the same cached DataFrame, so they time the sinks, not the
    // generation of the pairs (which the range distribution's sampling would pay twice).
    Dataset<Row> pairs = pairs(spark, n).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    pairs.count();
    List<String> table = new ArrayList<>();
    table.add("| operation (" + n + " pairs, local[2]) | kvstore | Parquet | ratio |");
    table.add("|---|---:|---:|---:|");

    // Warm-up: the first job of a JVM pays for class loading and JIT compilation.
    Dataset<Row> small = pairs(spark, 20_000);
    small.write().format("kvstore").save(new File(dir, "warm-kv").toURI().toString());
    small.write().parquet(new File(dir, "warm-pq").toURI().toString());
    noop(small.repartition(8, functions.col("key")).sortWithinPartitions("key"));

    double kvCpu = stages.cpuSeconds(spark);
    double kvWrite = stages.timeWrite("kvstore", () -> {
      pairs.write().format("kvstore").options(writeOptions).save(kv);
      return null;
    });
    kvCpu = stages.cpuSeconds(spark) - kvCpu;
    double pqCpu = stages.cpuSeconds(spark);
    double pqWrite = stages.timeWrite("Parquet", () -> {
      pairs.write().parquet(pq);
      return null;
    });
    pqCpu = stages.cpuSeconds(spark) - pqCpu;
    // The part of kvstore's write that is Spark's own: the same hash exchange into the same
    // number of tasks and the same sort within each, into the noop sink.
    double floorCpu = stages.cpuSeconds(spark);
    double floor = stages.timeWrite("Spark exchange + sort", () -> {
      noop(pairs.repartition(Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")),
          functions.col("key")).sortWithinPartitions("key"));
      return null;
    });
    floorCpu = stages.cpuSeconds(spark) - floorCpu;
    // The floor of any sink that must bring equal keys into one task (so a lookup routes to one
    // partition), before it sorts or writes anything: the hash exchange alone.
    double exchangeCpu = stages.cpuSeconds(spark);
    double exchange = stages.timeWrite("Spark exchange", () -> {
      noop(pairs.repartition(Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")),
          functions.col("key")));
      return null;
    });
    exchangeCpu = stages.cpuSeconds(spark) - exchangeCpu;
    table.add(row("write", kvWrite, pqWrite));
    table.add(row("write, CPU time of its tasks", kvCpu, pqCpu));
    table.add(row("Spark's hash exchange + sort of the pairs alone (noop sink), against"
        + " Parquet's write", floor, pqWrite));
    table.add(row("the same, CPU time of its tasks", floorCpu, pqCpu));
    table.add(row("Spark's hash exchange of the pairs alone, no sort (noop sink), against"
        + " Parquet's write", exchange, pqWrite));
    table.add(row("the same, CPU time of its tasks", exchangeCpu, pqCpu));
    if (writeOnly) {
      System.out.println(String.join("\n", table));
      spark.stop();
      return;
    }

    Dataset<Row> kvDf = spark.read().format("kvstore").load(kv);
    Dataset<Row> pqDf = spark.read().parquet(pq);
    if (!queryOnly) {
      double kvRead = median(() -> noop(kvDf), 3);
      double pqRead = median(() -> noop(pqDf), 3);
      table.add(row("full read", kvRead, pqRead));
    }

    // The same query, timed the same way on both sides: the median (and range) of queryRuns
    // after queryWarmUps, over a DataFrame loaded once and one loaded per query. The four are
    // interleaved, run by run, so the machine's other work (and the writeback of what was
    // just written) falls on all of them alike.
    byte[] one = spark.range(n / 3, n / 3 + 1).selectExpr(key("id")).first().getAs(0);
    Column isOne = functions.col("key").equalTo(functions.lit(one));
    List<Supplier<Object>> queries = List.of(
        () -> single(kvDf.where(isOne)),
        () -> single(pqDf.where(isOne)),
        () -> single(spark.read().format("kvstore").load(kv).where(isOne)),
        () -> single(spark.read().parquet(pq).where(isOne)));
    double[][] q = interleaved(queries, queryWarmUps, queryRuns, stages, spark);
    table.add(queryRow("where(key = x), one key, DataFrame loaded once", q[0], q[1]));
    table.add(queryRow("load(path).where(key = x), one key", q[2], q[3]));
    table.add(queryRow("CPU time of where(key = x), DataFrame loaded once", q[4], q[5]));
    table.add(queryRow("CPU time of load(path).where(key = x)", q[6], q[7]));
    if (queryOnly) {
      System.out.println(String.join("\n", table));
      spark.stop();
      return;
    }

    for (long m : probes) {
      // Every other probe key is in the store (ids below n), the rest absent.
      Dataset<Row> probe = spark.range(m).selectExpr("id AS probe_id",
          key("(id * 2) % " + (2 * n)) + " AS k").cache();
      probe.count();
      int runs = m <= 200_000 ? 3 : 1;
      double lookup = median(() -> noop(KeyValueSpark.lookupJoin(probe, "k", kv, "v")), runs);
      double join = median(() -> noop(probe.join(pqDf, probe.col("k").equalTo(pqDf.col("key")),
          "left_outer").select(probe.col("probe_id"), pqDf.col("value"))), runs);
      table.add(row("lookup join of " + m + " probe rows vs shuffle join", lookup, join));
      probe.unpersist();
    }
    System.out.println(String.join("\n", table));
    spark.stop();
  }

  /** {@code k=v,k=v} as a map (the kvstore write's options of a run). */
  private static Map<String, String> options(String list) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String entry : list.split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        options.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
      }
    }
    return options;
  }

  /**
   * Sums the CPU time of every completed stage's tasks and, if asked, prints each stage's wall
   * time and its tasks' summed run, CPU and GC times and shuffle bytes.
   */
  private static final class StageTimes extends SparkListener {
    private final boolean print;
    private final java.util.concurrent.atomic.AtomicLong cpuNanos =
        new java.util.concurrent.atomic.AtomicLong();

    StageTimes(boolean print) {
      this.print = print;
    }

    /**
     * Times one write; when printing, also names its span in {@link System#nanoTime} seconds
     * (CLOCK_MONOTONIC on Linux), so a profile taken with {@code perf record -k CLOCK_MONOTONIC}
     * can be cut to it ({@code perf report --time start,end}).
     */
    double timeWrite(String system, Supplier<Object> write) {
      long start = System.nanoTime();
      write.get();
      long end = System.nanoTime();
      if (print) {
        System.err.printf(Locale.ROOT, "%s write: monotonic time %.6f to %.6f s%n", system,
            start / 1e9, end / 1e9);
      }
      return (end - start) / 1e9;
    }

    /** CPU seconds of all tasks of the stages completed so far. */
    double cpuSeconds(SparkSession spark) {
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(e);
      }
      return cpuNanos.get() / 1e9;
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
      StageInfo s = event.stageInfo();
      cpuNanos.addAndGet(s.taskMetrics().executorCpuTime());
      if (!print) {
        return;
      }
      long wall = (Long) s.completionTime().get() - (Long) s.submissionTime().get();
      System.err.printf(Locale.ROOT,
          "stage %d (%s): %d tasks, %.2f s wall, %.2f s task run, %.2f s task CPU, %.2f s GC,"
              + " shuffle write %d MB, shuffle read %d MB, spill %d MB; completed by monotonic"
              + " time %.6f s%n",
          s.stageId(), s.name(), s.numTasks(), wall / 1e3,
          s.taskMetrics().executorRunTime() / 1e3, s.taskMetrics().executorCpuTime() / 1e9,
          s.taskMetrics().jvmGCTime() / 1e3,
          s.taskMetrics().shuffleWriteMetrics().bytesWritten() >> 20,
          s.taskMetrics().shuffleReadMetrics().totalBytesRead() >> 20,
          s.taskMetrics().diskBytesSpilled() >> 20, System.nanoTime() / 1e9);
    }
  }

  static String key(String id) {
    return "substring(unhex(sha2(cast(" + id + " AS string), 256)), 1, 16)";
  }

  /** Pairs 0..n-1: key = 16 bytes of SHA-256(id), value = 100 bytes derived from the id. */
  static Dataset<Row> pairs(SparkSession spark, long n) {
    String h = "unhex(sha2(concat('v', cast(id AS string)), 256))";
    return spark.range(n).selectExpr("id", key("id") + " AS key",
        "concat(" + h + ", " + h + ", " + h + ", substring(" + h + ", 1, 4)) AS value")
        .select("key", "value");
  }

  private static Object noop(Dataset<Row> df) {
    df.write().format("noop").mode("overwrite").save();
    return null;
  }

  /** Collects the query's rows, which must be one (the key is in the store). */
  private static Object single(Dataset<Row> query) {
    List<Row> rows = query.collectAsList();
    if (rows.size() != 1) {
      throw new IllegalStateException("the one-key query returned " + rows.size() + " rows");
    }
    return rows;
  }

  /** The times of {@code runs} runs after {@code warmUps}, sorted. */
  private static double[] times(Supplier<Object> op, int warmUps, int runs) {
    for (int i = 0; i < warmUps; i++) {
      op.get();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      t[i] = time(op);
    }
    Arrays.sort(t);
    return t;
  }

  /**
   * The times of {@code runs} runs of each of the {@code n} operations after {@code warmUps} of
   * each, the operations taking turns: rows {@code 0..n-1} their wall times, rows
   * {@code n..2n-1} their CPU times (the calling thread's, where Spark plans a query and
   * kvstore answers it on the driver, plus that of the tasks of the Spark stages the operation
   * ran; Spark's other driver threads are not counted); each row sorted.
   */
  private static double[][] interleaved(List<Supplier<Object>> ops, int warmUps, int runs,
      StageTimes stages, SparkSession spark) {
    for (int w = 0; w < warmUps; w++) {
      ops.forEach(Supplier::get);
    }
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    int n = ops.size();
    double[][] t = new double[2 * n][runs];
    for (int r = 0; r < runs; r++) {
      for (int i = 0; i < n; i++) {
        double tasksBefore = stages.cpuSeconds(spark);
        long threadBefore = threads.getCurrentThreadCpuTime();
        t[i][r] = time(ops.get(i));
        long thread = threads.getCurrentThreadCpuTime() - threadBefore;
        t[n + i][r] = thread / 1e9 + stages.cpuSeconds(spark) - tasksBefore;
      }
    }
    for (double[] each : t) {
      Arrays.sort(each);
    }
    return t;
  }

  /** A row of medians with their ranges, and the ratio of the medians. */
  private static String queryRow(String name, double[] kv, double[] pq) {
    double k = kv[kv.length / 2];
    double p = pq[pq.length / 2];
    return String.format(Locale.ROOT, "| %s (median of %d, min-max) | %.4f s (%.4f-%.4f) |"
        + " %.4f s (%.4f-%.4f) | kvstore %.1fx %s |", name, kv.length, k, kv[0],
        kv[kv.length - 1], p, pq[0], pq[pq.length - 1], p / k,
        name.startsWith("CPU") ? "less CPU" : "faster");
  }

  private static double time(Supplier<Object> op) {
    long start = System.nanoTime();
    op.get();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(Supplier<Object> op, int runs) {
    return times(op, 1, runs)[runs / 2];
  }

  private static String row(String name, double kv, double pq) {
    return String.format(Locale.ROOT, "| %s | %.4f s | %.4f s | %s |", name, kv, pq,
        kv <= pq ? String.format(Locale.ROOT, "kvstore %.1fx faster", pq / kv)
            : String.format(Locale.ROOT, "kvstore %.2fx the time", kv / pq));
  }
}
