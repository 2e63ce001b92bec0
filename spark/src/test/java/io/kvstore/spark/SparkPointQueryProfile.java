package io.kvstore.spark;

import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where the milliseconds of a one-key query {@code load(path).where(key = x).collect} go: writes a
 * store of {@code n} pairs (the benchmark's pairs), then runs the query {@code runs} times after
 * {@code warmUps} and prints the median and min-max of each step, Spark's (creating the
 * DataFrame, analysis, optimization with the filter push-down, physical planning, which looks
 * the key up on the driver, and the collect) and ours inside them (the Hadoop configuration, the
 * table and store checks, the manifest, the lookup), and of the same query over a one-row local
 * DataFrame (Spark's floor for any DataFrame query). Not a test: run by hand, e.g. under JFR.
 *
 * <p>Usage: {@code SparkPointQueryProfile <dir> <pairs> <warm-ups> <runs>}, on the classpath
 * {@code bin/spark-benchmark} builds.
 */
public final class SparkPointQueryProfile {
  /** {@code -Dkvstore.profile.queryOnly=true}: time only the query (for a JFR profile of it). */
  private static final boolean QUERY_ONLY = Boolean.getBoolean("kvstore.profile.queryOnly");

  private SparkPointQueryProfile() {}

  /** Runs the profile. */
  public static void main(String[] args) throws Exception {
    File dir = new File(args[0]);
    long n = Long.parseLong(args[1]);
    int warmUps = Integer.parseInt(args[2]);
    int runs = Integer.parseInt(args[3]);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("kvstore-point-query")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    String kv = new File(dir, "store").toURI().toString();
    if (!new File(dir, "store").exists()) {
      SparkBenchmark.pairs(spark, n).write().format("kvstore").save(kv);
    }
    byte[] one = spark.range(n / 3, n / 3 + 1).selectExpr(SparkBenchmark.key("id")).first()
        .getAs(0);
    Column condition = functions.col("key").equalTo(functions.lit(one));
    Dataset<Row> local = spark.createDataFrame(List.of(RowFactory.create(one, new byte[100])),
        StoreOptions.readSchema(Map.of()));

    Map<String, double[]> steps = new LinkedHashMap<>();
    String[] names = {"load (DataFrame creation)", "where (analysis)",
        "optimizer (incl. push-down, scan)", "physical planning (incl. driver lookup)",
        "collect (execution, rows)", "whole query", "  ours: Hadoop configuration",
        "  ours: table pointer, manifest status (and read if changed)", "  (unused)",
        "  ours: lookup (lease + getAll)",
        "floor: local one-row DataFrame where + collect",
        "floor: spark.range(1) where + collect",
        "  before: Hadoop configuration copy per query",
        "  before: table pointer, store state, manifest read per query"};
    for (String s : names) {
      steps.put(s, new double[runs]);
    }
    Map<String, String> options = Map.of("path", kv);
    Dataset<Row> range = spark.range(1).toDF();
    for (int i = -warmUps; i < runs; i++) {
      long t0 = System.nanoTime();
      Dataset<Row> df = spark.read().format("kvstore").load(kv);
      long t1 = System.nanoTime();
      Dataset<Row> q = df.where(condition);
      long t2 = System.nanoTime();
      q.queryExecution().optimizedPlan();
      long t3 = System.nanoTime();
      q.queryExecution().executedPlan();
      long t4 = System.nanoTime();
      List<Row> rows = q.collectAsList();
      long t5 = System.nanoTime();
      if (rows.size() != 1) {
        throw new IllegalStateException("expected one row, got " + rows.size());
      }
      if (i >= 0) {
        long[] t = {t0, t1, t2, t3, t4, t5};
        for (int s = 0; s < 5; s++) {
          steps.get(names[s])[i] = (t[s + 1] - t[s]) / 1e6;
        }
        steps.get(names[5])[i] = (t5 - t0) / 1e6;
      }
      if (QUERY_ONLY) {
        continue; // a profile of the query alone
      }
      // Our steps, the calls KeyValueScan makes, one at a time.
      Configuration conf = StoreOptions.readConf(spark, options);
      long o1 = System.nanoTime();
      ExecutorStores.Planned planned = ExecutorStores.plan(spark.sparkContext(), conf, kv);
      long o2 = System.nanoTime();
      long o3 = o2;
      try (ExecutorStores.Lease lease =
          ExecutorStores.acquire(conf, planned.dir.toString(), planned.token)) {
        lease.reader().getAll(new byte[][] {one});
      }
      long o4 = System.nanoTime();
      // What the scan did per query before the driver kept manifests: copy the configuration,
      // check the store's state, read its manifest.
      Configuration copy = StoreOptions.hadoopConf(spark, options);
      long b1 = System.nanoTime();
      Path path = new Path(kv);
      FileOperations ops = FileOperations.forPath(path, copy);
      Path storeDir = new TableOperations(ops, copy).storeDir(ops.makeQualified(path));
      StoreLayout.requireComplete(ops, storeDir);
      StoreManifest.read(ops, storeDir);
      long b2 = System.nanoTime();
      long f0 = System.nanoTime();
      List<Row> floor = local.where(condition).collectAsList();
      long f1 = System.nanoTime();
      range.where(functions.col("id").equalTo(0L)).collectAsList();
      long f2 = System.nanoTime();
      if (floor.size() != 1) {
        throw new IllegalStateException("floor query returned " + floor.size());
      }
      if (i >= 0) {
        steps.get(names[6])[i] = (o1 - t5) / 1e6;
        steps.get(names[7])[i] = (o2 - o1) / 1e6;
        steps.get(names[8])[i] = (o3 - o2) / 1e6;
        steps.get(names[9])[i] = (o4 - o3) / 1e6;
        steps.get(names[10])[i] = (f1 - f0) / 1e6;
        steps.get(names[12])[i] = (b1 - o4) / 1e6;
        steps.get(names[13])[i] = (b2 - b1) / 1e6;
        steps.get(names[11])[i] = (f2 - f1) / 1e6;
      }
    }
    List<String> out = new ArrayList<>();
    out.add("| step (" + n + " pairs, " + runs + " runs after " + warmUps
        + " warm-ups) | median ms | min-max ms |");
    out.add("|---|---:|---:|");
    for (Map.Entry<String, double[]> e : steps.entrySet()) {
      double[] t = e.getValue().clone();
      Arrays.sort(t);
      if (t[t.length - 1] == 0) {
        continue; // not timed (queryOnly)
      }
      out.add(String.format(Locale.ROOT, "| %s | %.3f | %.3f-%.3f |", e.getKey(),
          t[t.length / 2], t[0], t[t.length - 1]));
    }
    System.out.println(String.join("\n", out));
    spark.stop();
  }
}
