package io.kvstore.mapreduce;

import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import io.kvstore.fs.FileOperations;
import io.kvstore.format.RollingPartitionWriter;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Builds stores for input-side tests straight from the core format classes. */
public final class InputTestStores {
  private InputTestStores() {}

  /** A map ordered like the store (unsigned bytes). */
  public static TreeMap<byte[], byte[]> sortedMap() {
    return new TreeMap<>(io.kvstore.Bytes::compare);
  }

  /** {@code count} pairs "key-%08d" -> "value-%d-" padded to {@code valueBytes}. */
  public static TreeMap<byte[], byte[]> pairs(int count, int valueBytes) {
    TreeMap<byte[], byte[]> pairs = sortedMap();
    for (int i = 0; i < count; i++) {
      byte[] key = String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
      byte[] value = new byte[valueBytes];
      byte[] prefix = ("value-" + i + "-").getBytes(StandardCharsets.UTF_8);
      System.arraycopy(prefix, 0, value, 0, Math.min(prefix.length, valueBytes));
      pairs.put(key, value);
    }
    return pairs;
  }

  /**
   * Writes a complete store of {@code pairs} at {@code dir}, rolling partitions at
   * {@code partitionSizeMax} bytes; returns its partitions.
   */
  public static List<PartitionInfo> write(FileSystem fs, Path dir, Map<byte[], byte[]> pairs,
      long partitionSizeMax) throws IOException {
    return write(fs, dir, pairs, partitionSizeMax,
        (String) KeyValueConf.COMPRESSION_CODEC.getDefaultValue());
  }

  /** {@link #write(FileSystem, Path, Map, long)} with values compressed by {@code codec}. */
  public static List<PartitionInfo> write(FileSystem fs, Path dir, Map<byte[], byte[]> pairs,
      long partitionSizeMax, String codec) throws IOException {
    Configuration conf = new Configuration(fs.getConf());
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, partitionSizeMax);
    KeyValueConf.COMPRESSION_CODEC.setString(conf, codec);
    FileOperations ops = FileOperations.of(fs);
    ops.mkdirs(dir);
    RollingPartitionWriter writer = new RollingPartitionWriter(ops, dir,
        n -> String.format("part-%05d%s", n, StoreLayout.PARTITION_EXTENSION), conf);
    for (Map.Entry<byte[], byte[]> e : pairs.entrySet()) {
      writer.put(e.getKey(), e.getValue());
    }
    List<PartitionInfo> partitions = writer.finish();
    new StoreManifest(Routing.byRange(), partitions, Collections.emptyMap())
        .publish(ops, dir, false);
    return partitions;
  }
}
