package io.kvstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Workload 7, in a JVM of its own (started by {@link MemoryWorkload} with the serial collector):
 * heap in use after a full collection, before and after opening a store and looking up a few
 * keys (MapFile loads its index on the first lookup). Prints {@code HEAP_BYTES=n}.
 *
 * <p>Arguments: system, store directory, keys, value length, seed, then optional
 * {@code key=value} Hadoop settings.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    String system = args[0];
    Path dir = new Path(args[1]);
    DataSet data = DataSet.generate(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
        Long.parseLong(args[4]));
    Configuration conf = new Configuration();
    for (int i = 5; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      conf.set(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    conf.get("fs.defaultFS");
    FileSystem fs = FileSystem.getLocal(conf);
    BenchSystem bench = Systems.byName(system, conf);
    long[] words = data.lookupOrder(1000, data.seed() + 3);
    data = null;
    byte[] key = new byte[DataSet.KEY_LENGTH];
    long before = usedAfterGc();
    Lookup lookup = bench.open(fs, dir);
    for (long hi : words) {
      DataSet.presentKey(hi, key);
      if (lookup.get(key) == null) {
        throw new IllegalStateException(system + " lost a key");
      }
    }
    long after = usedAfterGc();
    Reference.reachabilityFence(lookup);
    System.out.println("HEAP_BYTES=" + (after - before));
    lookup.close();
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // A few rounds: finalisable and softly reachable leftovers go in the later ones.
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, bean.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
