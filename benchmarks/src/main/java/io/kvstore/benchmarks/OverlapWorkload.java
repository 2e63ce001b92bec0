package io.kvstore.benchmarks;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lookups and a full scan of a store of thousands of overlapping partitions: two stores whose keys
 * interleave, each rolled into small partitions, merged. Arguments: keys per store, partition
 * size limit in bytes, seconds of lookups, work directory. Prints partitions, lookups per second
 * (wall and CPU) of present keys in random order, and for a full iterator the open file
 * descriptors of the process, the heap used and the time to its first pair.
 */
public final class OverlapWorkload {
  private OverlapWorkload() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    int perStore = Integer.parseInt(args[0]);
    long partitionBytes = Long.parseLong(args[1]);
    double seconds = Double.parseDouble(args[2]);
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, partitionBytes);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    FileSystem fs = FileSystem.getLocal(conf);
    Path work = new Path(new File(args[3]).getAbsolutePath());
    Path to = new Path(work, "overlap");
    Path from = new Path(work, "overlap-from");
    fs.delete(to, true);
    fs.delete(from, true);
    byte[] value = new byte[16];
    for (int s = 0; s < 2; s++) {
      try (KeyValueStoreWriter w = kvs.createStore(s == 0 ? to : from)) {
        // Sorted keys 2i + s: the two stores' ranges interleave partition by partition.
        for (long i = 0; i < perStore; i++) {
          w.put(ByteBuffer.allocate(8).putLong(2 * i + s).array(), value);
        }
      }
    }
    kvs.mergeStore(from, to);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      System.out.printf("partitions: %d, keys: %d%n", r.partitions().size(), r.size());
      Random random = new Random(1);
      long n = 2L * perStore;
      for (int rep = 0; rep < 3; rep++) {
        long count = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        byte[] k = new byte[8];
        while (System.nanoTime() < deadline) {
          for (int i = 0; i < 1000; i++) {
            ByteBuffer.wrap(k).putLong(0, (random.nextLong() & Long.MAX_VALUE) % n);
            if (r.get(k) == null) {
              throw new IllegalStateException("lost key " + ByteBuffer.wrap(k).getLong());
            }
          }
          count += 1000;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.printf("lookups: %.0f per wall s, %.0f per CPU s%n", count / wall, count / cpu);
      }
      System.gc();
      long heap0 = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long start = System.nanoTime();
      try (KeyValueIterator it = r.iterator()) {
        it.hasNext();
        double first = (System.nanoTime() - start) / 1e6;
        int fds = new File("/proc/self/fd").list().length;
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - heap0;
        long pairs = 0;
        while (it.hasNext()) {
          it.next();
          pairs++;
        }
        double all = (System.nanoTime() - start) / 1e9;
        System.out.printf("iterator: first pair after %.1f ms, %d open fds, heap +%.1f MB,"
            + " %d pairs in %.2f s%n", first, fds, heap / 1e6, pairs, all);
      }
    }
  }
}
