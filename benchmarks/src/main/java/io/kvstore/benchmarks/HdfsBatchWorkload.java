package io.kvstore.benchmarks;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched lookups on a MiniDFSCluster (two DataNodes, two replicas, so hedged reads have a second
 * replica to ask): the latency of one positional read of a record, of one get, and of a
 * multi-get of 100 present keys, p50 and p99; throughput of single gets and of batched lookups;
 * the CPU time of the whole process (client and DataNodes: the mini cluster runs in this JVM)
 * per positional read and per batched key, and from it the floor of a batch's latency when its
 * reads are bound by the machine's cores; the reads a batch makes (coalesced or not); then the
 * same with Hadoop's hedged reads enabled, and with batches of neighbouring keys. Writes
 * {@code hdfs-batch.md}.
 *
 * <pre>
 * HdfsBatchWorkload [--keys 200k] [--work DIR] [--out DIR] [--threshold-ms 5]
 * </pre>
 */
public final class HdfsBatchWorkload {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsBatchWorkload.class);
  private static final int BATCH = 100;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private HdfsBatchWorkload() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    int keys = 200_000;
    File work = new File("bench-results/hdfs-batch");
    File out = new File("bench-results");
    long threshold = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--keys":
          keys = RunAll.Options.parseCount(args[++i]);
          break;
        case "--work":
          work = new File(args[++i]);
          break;
        case "--out":
          out = new File(args[++i]);
          break;
        case "--threshold-ms":
          threshold = Long.parseLong(args[++i]);
          break;
        default:
          throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    DataSet data = DataSet.generate(keys, 100, 42);
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(work, "minidfs").getAbsolutePath());
    conf.setInt("dfs.replication", 2);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(2).format(true).build();
    StringBuilder md = new StringBuilder();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      Configuration c = new Configuration(cluster.getConfiguration(0));
      // 16 MB partitions: the lookups spread over several files, as in a real store.
      KeyValueConf.PARTITION_SIZE_MAX.setLong(c, 16L << 20);
      Path dir = new Path("/bench/kvstore");
      KvstoreSystem system = new KvstoreSystem(c);
      system.build(data, fs, dir);
      Verifier.verify(data, system, fs, dir, 1000);
      md.append("HDFS lookups, MiniDFSCluster of 2 DataNodes (2 replicas), ").append(data.label())
          .append(", load average ").append(Environment.firstLine("/proc/loadavg"))
          .append("\n\n| variant | pread p50/p99 us | get p50/p99 us | multi-get of ")
          .append(BATCH).append(" p50/p99 us | multi-get ÷ pread (p50) | single gets/s |"
              + " batched keys/s | batched ÷ single | CPU us per pread | CPU us per batched key"
              + " | reads per batch | floor of a batch on " + CORES + " cores ÷ pread (p50) |"
              + "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (int parallelism : new int[] {1, 4, 16}) {
        Configuration p = new Configuration(c);
        KeyValueConf.READ_LOOKUP_PARALLELISM.setLong(p, parallelism);
        measure(md, parallelism + " reads at once", new KvstoreSystem(p), fs, dir, data, false);
      }
      Configuration separate = new Configuration(c);
      KeyValueConf.READ_LOOKUP_COALESCE_BYTES.setLong(separate, 0);
      measure(md, "16 reads at once, no coalescing", new KvstoreSystem(separate), fs, dir, data,
          false);
      measure(md, "16 reads at once, batches of 100 neighbouring keys", new KvstoreSystem(c), fs,
          dir, data, true);
      measure(md, "16 reads at once, neighbouring keys, no coalescing",
          new KvstoreSystem(separate), fs, dir, data, true);
      Configuration hedgedConf = new Configuration(c);
      hedgedConf.setBoolean("fs.hdfs.impl.disable.cache", true);
      hedgedConf.setInt("dfs.client.hedged.read.threadpool.size", 16);
      hedgedConf.setLong("dfs.client.hedged.read.threshold.millis", threshold);
      try (FileSystem hedgedFs = FileSystem.newInstance(fs.getUri(), hedgedConf)) {
        measure(md, "16 reads at once, hedged reads, threshold " + threshold + " ms",
            new KvstoreSystem(hedgedConf), hedgedFs, dir, data, false);
      }
      readSizes(md, fs, dir);
    } finally {
      cluster.shutdown(true);
    }
    out.mkdirs();
    Files.write(new File(out, "hdfs-batch.md").toPath(),
        md.toString().getBytes(StandardCharsets.UTF_8));
    System.out.println(md);
  }

  /**
   * One row: {@code neighbours} makes each batch 100 keys that follow one another in key order
   * (so in the files), else 100 keys drawn at random.
   */
  private static void measure(StringBuilder md, String variant, KvstoreSystem system,
      FileSystem fs, Path dir, DataSet data, boolean neighbours) throws Exception {
    long[] words = data.lookupOrder(1 << 16, data.seed() + 3);
    try (KeyValueStoreReader reader = system.openReader(fs, dir)) {
      List<Path> files = new ArrayList<>();
      for (PartitionInfo p : reader.partitions()) {
        files.add(p.getPath());
      }
      int recordLength = HdfsWorkload.recordLength(data);
      byte[] key = new byte[DataSet.KEY_LENGTH];
      byte[][] batch = new byte[BATCH][DataSet.KEY_LENGTH];
      int w = 0;
      // Warm up: streams, connections, JIT.
      for (int i = 0; i < 2000; i++) {
        DataSet.presentKey(words[w++], key);
        reader.get(key);
      }
      for (int b = 0; b < 20; b++) {
        for (int i = 0; i < BATCH; i++) {
          DataSet.presentKey(words[w++], batch[i]);
        }
        reader.getAll(batch);
      }
      long cpu0 = processCpuNanos();
      double[] preads = preads(fs, files, recordLength, 600);
      double preadCpu = (processCpuNanos() - cpu0) / 1e3 / (600 + 200);
      double[] gets = new double[600];
      for (int i = 0; i < gets.length; i++) {
        DataSet.presentKey(words[w++ & 0xFFFF], key);
        long t0 = System.nanoTime();
        if (reader.get(key) == null) {
          throw new IllegalStateException("present key not found");
        }
        gets[i] = (System.nanoTime() - t0) / 1e3;
      }
      double[] batches = new double[80];
      long reads0 = reader.statistics().getRecordReads();
      long batchCpu = 0;
      for (int b = 0; b < batches.length; b++) {
        int first = (int) Long.remainderUnsigned(words[w & 0xFFFF], data.keyCount() - BATCH);
        for (int i = 0; i < BATCH; i++) {
          if (neighbours) {
            data.keyAt(first + i, batch[i]);
          } else {
            DataSet.presentKey(words[w++ & 0xFFFF], batch[i]);
          }
        }
        w++;
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        byte[][] values = reader.getAll(batch);
        batches[b] = (System.nanoTime() - t0) / 1e3;
        batchCpu += processCpuNanos() - c0;
        for (byte[] v : values) {
          if (v == null) {
            throw new IllegalStateException("present key not found");
          }
        }
      }
      double pread50 = pct(preads, 50);
      double get50 = pct(gets, 50);
      double batch50 = pct(batches, 50);
      double single = 1e6 / mean(gets);
      double batched = BATCH * 1e6 / mean(batches);
      double readsPerBatch = (reader.statistics().getRecordReads() - reads0)
          / (double) batches.length;
      // A batch's reads cannot take less than their CPU time spread over every core.
      double floor = readsPerBatch * preadCpu / CORES;
      String row = String.format(Locale.ROOT,
          "| %s | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.2fx | %.0f | %.0f | %.2fx | %.0f"
              + " | %.0f | %.1f | %.0fx |%n",
          variant, pread50, pct(preads, 99), get50, pct(gets, 99), batch50, pct(batches, 99),
          batch50 / pread50, single, batched, batched / single, preadCpu,
          batchCpu / 1e3 / (BATCH * batches.length), readsPerBatch, floor / pread50);
      md.append(row);
      LOG.info("{}", row.trim());
    }
  }

  /** Latencies in microseconds of positional reads of a record's length at random offsets. */
  private static double[] preads(FileSystem fs, List<Path> files, int length, int n)
      throws Exception {
    FSDataInputStream[] ins = new FSDataInputStream[files.size()];
    long[] lengths = new long[files.size()];
    double[] out = new double[n];
    try {
      for (int f = 0; f < ins.length; f++) {
        ins[f] = fs.open(files.get(f));
        lengths[f] = fs.getFileStatus(files.get(f)).getLen();
      }
      SplittableRandom random = new SplittableRandom(5);
      byte[] buf = new byte[length];
      for (int i = -200; i < n; i++) {
        int f = random.nextInt(ins.length);
        long t0 = System.nanoTime();
        ins[f].readFully(random.nextLong(lengths[f] - length), buf, 0, length);
        if (i >= 0) {
          out[i] = (System.nanoTime() - t0) / 1e3;
        }
      }
    } finally {
      for (FSDataInputStream in : ins) {
        if (in != null) {
          in.close();
        }
      }
    }
    return out;
  }

  /**
   * What one positional read costs by its length, one thread: latency and the process's CPU time
   * (client and DataNodes). A read's cost is mostly per read, which is what coalescing the reads
   * of neighbouring records saves, and its CPU time bounds how many reads the cores can serve.
   */
  private static void readSizes(StringBuilder md, FileSystem fs, Path dir) throws Exception {
    List<Path> files = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
      if (st.getLen() > (2 << 20)) {
        files.add(st.getPath());
      }
    }
    md.append("\nOne positional read by length, 1 thread, load average ")
        .append(Environment.firstLine("/proc/loadavg"))
        .append("\n\n| bytes read | p50 us | CPU us per read (process: client and DataNodes) |"
            + "\n|---:|---:|---:|\n");
    for (int length : new int[] {130, 4096, 65536, 262144, 1 << 20}) {
      int n = length > 100_000 ? 200 : 600;
      long cpu0 = processCpuNanos();
      double[] reads = preads(fs, files, length, n);
      double cpu = (processCpuNanos() - cpu0) / 1e3 / (n + 200);
      md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f |%n", length, pct(reads, 50), cpu));
    }
  }

  /** CPU time of this whole process: the client and the mini cluster's DataNodes. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double pct(double[] v, int p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }
}
