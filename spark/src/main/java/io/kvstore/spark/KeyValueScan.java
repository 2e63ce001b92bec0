package io.kvstore.spark;

import io.kvstore.PartitionInfo;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.PartitionSplits;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A planned scan of one store: the manifest is read once, on the driver, and decides the input
 * partitions. Without key filters, one input partition per store partition, preferring the hosts
 * holding most of its blocks; with a range, only the partitions whose key range meets it; with
 * point keys, each key goes to the one partition that can hold it (by the store's routing), and
 * only partitions given a key are read. A pushed-down count is one row from the manifest.
 */
final class KeyValueScan implements SupportsReportStatistics, Batch {
  private final Map<String, String> options;
  private final KeyBounds bounds;
  private final Filter[] pushed;
  private final int countColumns;
  private final Configuration conf;
  private final Path store;
  private final StoreManifest manifest;
  private final FileOperations ops;

  KeyValueScan(Map<String, String> options, KeyBounds bounds, Filter[] pushed,
      int countColumns) {
    this.options = options;
    this.bounds = bounds;
    this.pushed = pushed;
    this.countColumns = countColumns;
    this.conf = StoreOptions.hadoopConf(SparkSession.active(), options);
    try {
      Path path = new Path(StoreOptions.path(options));
      this.ops = FileOperations.forPath(path, conf);
      this.store = ops.makeQualified(path);
      StoreLayout.requireComplete(ops, store);
      this.manifest = StoreManifest.read(ops, store);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  @Override
  public StructType readSchema() {
    if (countColumns >= 0) {
      StructField[] fields = new StructField[countColumns];
      for (int i = 0; i < countColumns; i++) {
        fields[i] = DataTypes.createStructField("count_" + i, DataTypes.LongType, false);
      }
      return new StructType(fields);
    }
    return StoreOptions.readSchema(options);
  }

  @Override
  public String description() {
    return "kvstore " + store + " PushedFilters: " + Arrays.toString(pushed)
        + (countColumns >= 0 ? " PushedAggregation: count from the manifest" : "")
        + (bounds.isConstrained() ? " Keys: " + bounds : "");
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public Statistics estimateStatistics() {
    long rows = bounds.isPoints() ? bounds.points().size() : manifest.getKeyCount();
    long bytes = bounds.isPoints() && manifest.getKeyCount() > 0
        ? Math.max(1, manifest.getSizeBytes() / manifest.getKeyCount() * rows)
        : manifest.getSizeBytes();
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(bytes);
      }

      @Override
      public OptionalLong numRows() {
        return OptionalLong.of(countColumns >= 0 ? 1 : rows);
      }
    };
  }

  @Override
  public InputPartition[] planInputPartitions() {
    if (countColumns >= 0) {
      return new InputPartition[] {
          KeyValueInputPartition.count(manifest.getKeyCount(), countColumns)};
    }
    List<PartitionInfo> partitions = manifest.getPartitions();
    List<InputPartition> planned = new ArrayList<>();
    try {
      if (bounds.isPoints()) {
        Map<PartitionInfo, List<byte[]>> byPartition = new LinkedHashMap<>();
        Routing routing = manifest.getRouting();
        for (byte[] key : bounds.points()) {
          int bucket = routing.isByBucket() ? routing.bucketOf(key, 0, key.length) : -1;
          for (PartitionInfo p : partitions) {
            if ((bucket < 0 || p.getBucket() == bucket) && p.mayContain(key, 0, key.length)) {
              // A store holds each key at most once: the first candidate is the only one.
              byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(key);
              break;
            }
          }
        }
        for (Map.Entry<PartitionInfo, List<byte[]>> e : byPartition.entrySet()) {
          planned.add(KeyValueInputPartition.points(e.getKey().getFileName(), e.getValue(),
              hosts(e.getKey())));
        }
      } else {
        KeyBounds range = bounds.rangeOnly();
        for (PartitionInfo p : partitions) {
          if (p.getKeyCount() > 0 && range.overlaps(p)) {
            planned.add(KeyValueInputPartition.range(p.getFileName(), range, hosts(p)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    return planned.toArray(new InputPartition[0]);
  }

  private String[] hosts(PartitionInfo p) throws IOException {
    Path file = new Path(store, p.getFileName());
    BlockLocation[] blocks;
    try {
      blocks = ops.getFileBlockLocations(file, 0, p.getSizeBytes());
    } catch (FileNotFoundException e) {
      throw new io.kvstore.CorruptStoreException(file, "partition listed in the manifest of "
          + store + " is missing", e);
    }
    return PartitionSplits.hostsHoldingMost(blocks, p.getSizeBytes());
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new KeyValuePartitionReaders(store.toString(), new SerializableConfiguration(conf),
        ExecutorStores.token(manifest), StoreOptions.isStringType(options, StoreOptions.KEY_TYPE),
        StoreOptions.isStringType(options, StoreOptions.VALUE_TYPE));
  }

  @Override
  public String toString() {
    return description() + " partitions " + Arrays.stream(planInputPartitions())
        .map(Object::toString).collect(Collectors.joining(", "));
  }
}
