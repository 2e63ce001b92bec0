package io.kvstore.benchmarks;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionFormat;
import java.io.File;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload 5: lookups of present keys on a one-DataNode MiniDFSCluster, kvstore against MapFile on
 * the same HDFS and against one positional read of a record-sized range of kvstore's own partition
 * files (the least a lookup that leaves the JVM can cost).
 */
final class HdfsWorkload {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsWorkload.class);

  private HdfsWorkload() {}

  static void run(DataSet data, Configuration base, File work, int[] threadCounts, int reps,
      double seconds, Report report) throws Exception {
    Configuration conf = new Configuration(base);
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(work, "minidfs").getAbsolutePath());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      Path root = new Path("/bench");
      List<BenchSystem> systems = List.of(new KvstoreSystem(conf), new MapFileSystem(conf));
      for (BenchSystem s : systems) {
        Path dir = new Path(root, s.name());
        double t = Timer.seconds(() -> s.build(data, fs, dir));
        LOG.info("HDFS build {} {}: {} s", data.label(), s.name(), t);
        Verifier.verify(data, s, fs, dir, 1000);
      }
      List<Path> files = new ArrayList<>();
      try (KeyValueStoreReader r = new KvstoreSystem(conf).openReader(fs,
          new Path(root, KvstoreSystem.NAME))) {
        for (PartitionInfo p : r.partitions()) {
          files.add(p.getPath());
        }
      }
      long[] words = data.lookupOrder(LookupBenchmark.SEQUENCE, data.seed() + 1);
      int recordLength = recordLength(data);
      for (int threads : threadCounts) {
        String variant = threads + (threads == 1 ? " thread" : " threads");
        double[][] rates = new double[systems.size() + 1][reps];
        Lookup[] lookups = new Lookup[systems.size()];
        try {
          for (int s = 0; s < systems.size(); s++) {
            lookups[s] = systems.get(s).open(fs, new Path(root, systems.get(s).name()));
            runLookups(lookups[s], words, threads, 2.0);
          }
          preads(fs, files, recordLength, threads, 2.0, 0);
          // Systems take turns within each repetition, so a DataNode still warming up or a
          // busy machine does not favour whichever is measured last.
          for (int r = 0; r < reps; r++) {
            for (int s = 0; s < systems.size(); s++) {
              rates[s][r] = runLookups(lookups[s], words, threads, seconds);
            }
            rates[systems.size()][r] = preads(fs, files, recordLength, threads, seconds, r + 1);
          }
        } finally {
          for (Lookup l : lookups) {
            if (l != null) {
              l.close();
            }
          }
        }
        for (int s = 0; s < systems.size(); s++) {
          report.add(new Measurement(Workload.HDFS_LOOKUP, data.label(), variant,
              systems.get(s).name(), rates[s]));
        }
        report.add(new Measurement(Workload.HDFS_LOOKUP, data.label(), variant,
            Workload.HDFS_LOOKUP.reference(), rates[systems.size()]));
      }
    } finally {
      cluster.shutdown(true);
    }
  }

  /** Bytes of one uncompressed kvstore record of the data set, by the format's own rule. */
  static int recordLength(DataSet data) {
    return (int) PartitionFormat.uncompressedRecordBytes(DataSet.KEY_LENGTH, data.valueLength());
  }

  /** Lookups per second over {@code seconds} on {@code threads} threads. */
  static double runLookups(Lookup shared, long[] words, int threads, double seconds)
      throws Exception {
    List<Callable<Long>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int start = t * (words.length / threads);
      Lookup handle = t == 0 ? shared : shared.forThread();
      tasks.add(() -> {
        try {
          byte[] key = new byte[DataSet.KEY_LENGTH];
          long deadline = System.nanoTime() + (long) (seconds * 1e9);
          long n = 0;
          int i = start;
          do {
            for (int k = 0; k < 16; k++) {
              DataSet.presentKey(words[i], key);
              i = (i + 1) & (words.length - 1);
              if (handle.get(key) == null) {
                throw new IllegalStateException("present key not found");
              }
            }
            n += 16;
          } while (System.nanoTime() < deadline);
          return n;
        } finally {
          if (handle != shared) {
            handle.close();
          }
        }
      });
    }
    return parallel(tasks, seconds);
  }

  private static double parallel(List<Callable<Long>> tasks, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      long start = System.nanoTime();
      long total = 0;
      List<Future<Long>> futures = pool.invokeAll(tasks);
      for (Future<Long> f : futures) {
        total += f.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Positional reads of {@code length} bytes at random offsets per second. */
  static double preads(FileSystem fs, List<Path> files, int length, int threads, double seconds,
      long seed) throws Exception {
    List<Callable<Long>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long threadSeed = seed * 31 + t;
      tasks.add(() -> {
        FSDataInputStream[] ins = new FSDataInputStream[files.size()];
        long[] lengths = new long[files.size()];
        try {
          for (int f = 0; f < ins.length; f++) {
            ins[f] = fs.open(files.get(f));
            lengths[f] = fs.getFileStatus(files.get(f)).getLen();
          }
          SplittableRandom random = new SplittableRandom(threadSeed);
          byte[] buf = new byte[length];
          long deadline = System.nanoTime() + (long) (seconds * 1e9);
          long n = 0;
          do {
            for (int k = 0; k < 16; k++) {
              int f = random.nextInt(ins.length);
              ins[f].readFully(random.nextLong(lengths[f] - length), buf, 0, length);
            }
            n += 16;
          } while (System.nanoTime() < deadline);
          return n;
        } finally {
          for (FSDataInputStream in : ins) {
            if (in != null) {
              in.close();
            }
          }
        }
      });
    }
    return parallel(tasks, seconds);
  }
}
