package io.kvstore.benchmarks;

import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload 1: each system builds a store of the data set on the local filesystem, as does the raw
 * write. The last build of every system is kept for the lookup and scan workloads.
 */
final class BuildWorkload {
  private static final Logger LOG = LoggerFactory.getLogger(BuildWorkload.class);

  private BuildWorkload() {}

  static void run(DataSet data, List<BenchSystem> systems, FileSystem fs, Path root, int reps,
      Report report) throws Exception {
    double mb = data.payloadBytes() / 1e6;
    double[][] rates = new double[systems.size() + 1][reps];
    // Systems take turns within each repetition so drifts (page cache, writeback) hit all alike.
    for (int r = 0; r < reps; r++) {
      Path raw = new Path(root, "raw-write");
      fs.delete(raw, true);
      fs.mkdirs(raw);
      rates[systems.size()][r] = mb / Timer.seconds(
          () -> RawReference.write(data, fs, new Path(raw, "pairs.bin")));
      for (int s = 0; s < systems.size(); s++) {
        BenchSystem system = systems.get(s);
        Path dir = new Path(root, system.name());
        fs.delete(dir, true);
        rates[s][r] = mb / Timer.seconds(() -> system.build(data, fs, dir));
        LOG.info("build {} {}: {} MB/s", data.label(), system.name(), rates[s][r]);
      }
    }
    fs.delete(new Path(root, "raw-write"), true);
    for (int s = 0; s < systems.size(); s++) {
      report.add(new Measurement(Workload.BUILD, data.label(), "", systems.get(s).name(),
          rates[s]));
    }
    report.add(new Measurement(Workload.BUILD, data.label(), "", "raw write",
        rates[systems.size()]));
  }
}
