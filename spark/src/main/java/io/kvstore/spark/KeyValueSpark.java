package io.kvstore.spark;

import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.util.Collections;
import java.util.Iterator;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;

/**
 * kvstore for Spark users in one call each: enrich a DataFrame from a store by lookups on the
 * executors ({@link #lookupJoin}), and save or load a store as a {@code JavaPairRDD} of byte
 * arrays. DataFrames are written and read with {@code format("kvstore")} itself
 * ({@link KeyValueDataSource}); the RDD helpers go through it, so they share its commit and its
 * checks.
 */
public final class KeyValueSpark {
  private KeyValueSpark() {}

  /**
   * Adds the store's value of each row's key as a new binary column, null where the store has no
   * such key. Each executor looks the keys up in its one shared reader of the store
   * ({@link ExecutorStores}), so the DataFrame is neither shuffled nor sorted, and rows keep their
   * partitioning and order.
   *
   * @param probe the DataFrame to enrich
   * @param keyColumn its key column, binary or string (looked up as UTF-8)
   * @param store the store's path
   * @param valueColumn the name of the added column
   * @param options {@code kvstore.*} reader settings (may be empty)
   * @return {@code probe} with the value column added
   * @throws UncheckedIOException if the store cannot be opened on the driver
   */
  public static Dataset<Row> lookupJoin(Dataset<Row> probe, String keyColumn, String store,
      String valueColumn, Map<String, String> options) {
    StructType schema = probe.schema();
    StructField key = StoreOptions.keyOrValueField(schema, keyColumn, "key");
    if (java.util.Arrays.asList(schema.fieldNames()).contains(valueColumn)) {
      throw new IllegalArgumentException("kvstore: the DataFrame already has a column '"
          + valueColumn + "'; choose another name for the looked-up value");
    }
    SparkSession spark = probe.sparkSession();
    Configuration conf = StoreOptions.hadoopConf(spark, options);
    String qualified;
    String token;
    try {
      // A table is joined with its current version, fixed for this job.
      ExecutorStores.Planned planned = ExecutorStores.plan(spark.sparkContext(), conf, store);
      token = planned.token;
      qualified = planned.dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    Broadcast<SerializableConfiguration> sharedConf = JavaSparkContext
        .fromSparkContext(spark.sparkContext()).broadcast(new SerializableConfiguration(conf));
    StructType out = schema.add(DataTypes.createStructField(valueColumn, DataTypes.BinaryType,
        true));
    return probe.mapPartitions(new Lookup(sharedConf, qualified, token,
        schema.fieldIndex(keyColumn), key.dataType() instanceof StringType), Encoders.row(out));
  }

  /** {@link #lookupJoin(Dataset, String, String, String, Map)} with default settings. */
  public static Dataset<Row> lookupJoin(Dataset<Row> probe, String keyColumn, String store,
      String valueColumn) {
    return lookupJoin(probe, keyColumn, store, valueColumn, Collections.emptyMap());
  }

  /** The executor side of a lookup join. */
  private static final class Lookup implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableConfiguration> conf;
    private final String store;
    private final String token;
    private final int keyIndex;
    private final boolean keyString;

    Lookup(Broadcast<SerializableConfiguration> conf, String store, String token, int keyIndex,
        boolean keyString) {
      this.conf = conf;
      this.store = store;
      this.token = token;
      this.keyIndex = keyIndex;
      this.keyString = keyString;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
      ExecutorStores.Lease lease = ExecutorStores.acquire(conf.value().value(), store, token);
      // Released when the task ends, however it ends: the iterator may be dropped unfinished.
      TaskContext.get().addTaskCompletionListener((TaskCompletionListener) task -> {
        try {
          lease.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e.getMessage(), e);
        }
      });
      KeyValueStoreReader reader = lease.reader();
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          Object[] values = new Object[row.length() + 1];
          for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
          }
          Object k = row.get(keyIndex);
          if (k != null) {
            byte[] keyBytes = keyString
                ? ((String) k).getBytes(java.nio.charset.StandardCharsets.UTF_8) : (byte[]) k;
            try {
              values[row.length()] = reader.get(keyBytes);
            } catch (IOException e) {
              throw new UncheckedIOException(e.getMessage(), e);
            }
          }
          return RowFactory.create(values);
        }
      };
    }
  }

  /**
   * Saves pairs as a store at {@code path} (which must not exist) through
   * {@code format("kvstore")}: the pairs need not be sorted or partitioned.
   *
   * @param pairs the pairs; keys must be unique
   * @param path the store's path
   * @param options data source options ({@code partitions}, {@code distribution},
   *     {@code kvstore.*} settings)
   */
  public static void saveAsStore(JavaPairRDD<byte[], byte[]> pairs, String path,
      Map<String, String> options) {
    frame(pairs).write().format(KeyValueDataSource.SHORT_NAME).options(options).save(path);
  }

  /**
   * Saves {@code pairs} as the next current version of the table at {@code table} (made by
   * {@code KeyValueSystem.createTable}): the data source's option {@code table}. A failed save
   * leaves the table's current version as it was.
   *
   * @param options further options of the {@code kvstore} data source
   */
  public static void saveAsTableVersion(JavaPairRDD<byte[], byte[]> pairs, String table,
      Map<String, String> options) {
    Map<String, String> all = new java.util.HashMap<>(options);
    all.put(StoreOptions.TABLE, table);
    frame(pairs).write().format(KeyValueDataSource.SHORT_NAME).options(all).save();
  }

  private static Dataset<Row> frame(JavaPairRDD<byte[], byte[]> pairs) {
    SparkSession spark = SparkSession.builder().sparkContext(pairs.context()).getOrCreate();
    StructType schema = StoreOptions.readSchema(Collections.emptyMap());
    return spark.createDataFrame(pairs.map(t -> RowFactory.create(t._1, t._2)), schema);
  }

  /** {@link #saveAsStore(JavaPairRDD, String, Map)} with default options. */
  public static void saveAsStore(JavaPairRDD<byte[], byte[]> pairs, String path) {
    saveAsStore(pairs, path, Collections.emptyMap());
  }

  /**
   * The pairs of the store at {@code path}, one RDD partition per store partition. Every pair
   * holds arrays of its own (unlike a Hadoop record reader's reused objects), so the RDD may be
   * collected, cached or taken from directly.
   */
  public static JavaPairRDD<byte[], byte[]> loadStore(JavaSparkContext sc, String path) {
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    return spark.read().format(KeyValueDataSource.SHORT_NAME).load(path).javaRDD()
        .mapToPair(r -> new Tuple2<>((byte[]) r.get(0), (byte[]) r.get(1)));
  }

}
