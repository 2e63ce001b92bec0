package io.kvstore.spark;

import io.kvstore.Bytes;
import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import io.kvstore.format.Routing;
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
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned scan of one store: the manifest is read once, on the driver, and decides the input
 * partitions. Without key filters, one input partition per store partition, preferring the hosts
 * holding most of its blocks; with a range, only the partitions whose key range meets it; with
 * point keys, each key goes to the one partition that can hold it (by the store's routing), and
 * only partitions given a key are read. A pushed-down count is one row from the manifest. A few
 * point keys are looked up on the driver instead, with no job ({@link OnDriver}).
 */
final class KeyValueScan implements SupportsReportStatistics, Batch {
  private static final Logger LOG = LoggerFactory.getLogger(KeyValueScan.class);
  private final Map<String, String> options;
  private final KeyBounds bounds;
  private final Filter[] pushed;
  private final int countColumns;
  private final Configuration conf;
  private final Path store;
  private final StoreManifest manifest;
  private final FileOperations ops;
  private final String token;

  KeyValueScan(Map<String, String> options, KeyBounds bounds, Filter[] pushed,
      int countColumns) {
    this.options = options;
    this.bounds = bounds;
    this.pushed = pushed;
    this.countColumns = countColumns;
    SparkSession spark = SparkSession.active();
    this.conf = StoreOptions.readConf(spark, options);
    try {
      // A table is read as its current version, fixed for this scan.
      ExecutorStores.Planned planned =
          ExecutorStores.plan(spark.sparkContext(), conf, StoreOptions.path(options));
      this.ops = planned.ops;
      this.store = planned.dir;
      this.manifest = planned.manifest;
      this.token = planned.token;
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
        for (Map.Entry<PartitionInfo, List<byte[]>> e : pointsByPartition().entrySet()) {
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

  /**
   * The point keys by the one store partition that can hold each (by the store's routing and
   * the partition's key range); keys no partition can hold are left out.
   */
  private Map<PartitionInfo, List<byte[]>> pointsByPartition() {
    Map<PartitionInfo, List<byte[]>> byPartition = new LinkedHashMap<>();
    Routing routing = manifest.getRouting();
    for (byte[] key : bounds.points()) {
      int bucket = routing.isByBucket() ? routing.bucketOf(key, 0, key.length) : -1;
      for (PartitionInfo p : manifest.getPartitions()) {
        if ((bucket < 0 || p.getBucket() == bucket) && p.mayContain(key, 0, key.length)) {
          // A store holds each key at most once: the first candidate is the only one.
          byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(key);
          break;
        }
      }
    }
    return byPartition;
  }

  /**
   * Whether this scan is point lookups few enough
   * ({@link KeyValueConf#SPARK_DRIVER_LOOKUP_KEYS}) to answer on the driver, where a job's
   * planning and task launch would cost far more than the lookups.
   */
  boolean answersOnDriver() {
    return countColumns < 0 && bounds.isPoints()
        && bounds.points().size() <= KeyValueConf.SPARK_DRIVER_LOOKUP_KEYS.getLong(conf);
  }

  /**
   * The rows of the point lookups, looked up on the driver with one multi-get through the
   * JVM's shared reader of the store ({@link ExecutorStores}), in key order; absent keys give no
   * row.
   */
  InternalRow[] lookUpOnDriver() {
    Map<PartitionInfo, List<byte[]>> byPartition = pointsByPartition();
    List<byte[]> keys = new ArrayList<>();
    byPartition.values().forEach(keys::addAll);
    keys.sort(Bytes::compare);
    try (ExecutorStores.Lease lease = ExecutorStores.acquire(conf, store.toString(), token)) {
      ExecutorStores.PARTITIONS_OPENED.addAndGet(byPartition.size());
      byte[][] values = lease.reader().getAll(keys.toArray(new byte[0][]));
      boolean keyString = StoreOptions.isStringType(options, StoreOptions.KEY_TYPE);
      boolean valueString = StoreOptions.isStringType(options, StoreOptions.VALUE_TYPE);
      // The plan shows a local table: the debug log says what the driver looked up (at INFO
      // a line per query would cost about as much as the lookup).
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: {} keys looked up on the driver", description(), keys.size());
      }
      List<InternalRow> rows = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          rows.add(KeyValuePartitionReaders.row(keys.get(i).clone(), values[i], keyString,
              valueString));
        }
      }
      return rows.toArray(new InternalRow[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * The scan as a {@link LocalScan}: Spark plans it as a local table of {@link #rows()}, which
   * it computes on the driver when planning, and runs no job to read it.
   */
  static final class OnDriver implements LocalScan, SupportsReportStatistics {
    private final KeyValueScan scan;

    OnDriver(KeyValueScan scan) {
      this.scan = scan;
    }

    @Override
    public StructType readSchema() {
      return scan.readSchema();
    }

    @Override
    public String description() {
      return scan.description() + " on the driver";
    }

    @Override
    public Statistics estimateStatistics() {
      return scan.estimateStatistics();
    }

    @Override
    public InternalRow[] rows() {
      return scan.lookUpOnDriver();
    }

    @Override
    public String toString() {
      return description();
    }
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
    // A copy: the session's configuration may change while the tasks are serialized.
    return new KeyValuePartitionReaders(store.toString(),
        new SerializableConfiguration(new Configuration(conf)), token, StoreOptions.isStringType(options, StoreOptions.KEY_TYPE),
        StoreOptions.isStringType(options, StoreOptions.VALUE_TYPE));
  }

  @Override
  public String toString() {
    return description() + " partitions " + Arrays.stream(planInputPartitions())
        .map(Object::toString).collect(Collectors.joining(", "));
  }
}
