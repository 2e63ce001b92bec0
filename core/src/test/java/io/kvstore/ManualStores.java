package io.kvstore;

import io.kvstore.format.RollingPartitionWriter;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Builds stores the way a MapReduce job does, with the format classes directly: each of
 * {@code partitions} writers receives the keys {@code partitionOf} assigns it, and one manifest
 * lists them all, so key ranges may overlap and routing may be by bucket.
 */
final class ManualStores {
  private ManualStores() {}

  /**
   * Writes {@code content} into {@code dir} (created) split by {@code partitionOf}.
   *
   * @param routing when by bucket, partition {@code p}'s files get bucket {@code p}
   */
  static void build(Path dir, Map<byte[], byte[]> content, int partitions,
      ToIntFunction<byte[]> partitionOf, Routing routing) throws IOException {
    Configuration conf = new Configuration();
    // Many writers are open at once, as in many reducers: keep their buffers small.
    KeyValueConf.WRITE_BUFFER_SIZE.setLong(conf, 64 * 1024);
    FileSystem fs = dir.getFileSystem(conf);
    FileOperations ops = FileOperations.of(fs);
    ops.mkdirs(dir);
    List<RollingPartitionWriter> writers = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      final int part = p;
      writers.add(new RollingPartitionWriter(ops, dir,
          n -> String.format("part-%05d-%d.kvp", part, n), conf));
    }
    for (Map.Entry<byte[], byte[]> e : content.entrySet()) {
      writers.get(partitionOf.applyAsInt(e.getKey())).put(e.getKey(), e.getValue());
    }
    List<PartitionInfo> infos = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      for (PartitionInfo info : writers.get(p).finish()) {
        infos.add(routing.isByBucket() ? info.withBucket(p) : info);
      }
    }
    // Manifest order must not matter for lookups.
    Collections.reverse(infos);
    new StoreManifest(routing, infos, Collections.emptyMap()).publish(ops, dir, false);
  }
}
