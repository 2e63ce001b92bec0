package io.kvstore.spark;

import io.kvstore.KeyValueConf;
import io.kvstore.commit.OutputPathCheck;
import io.kvstore.commit.TableOutput;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.RelationProvider;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The {@code kvstore} Spark data source. Reads are DataSource V2 ({@link KeyValueTable}: one
 * input partition per store partition, key filters pushed down, {@code count()} from the
 * manifest). Writes come in through the V1 entry point, because Spark offers a V2
 * {@code TableProvider} only the save modes append and overwrite: this class applies the mode
 * ({@code errorifexists}, the default, refuses any existing path; {@code ignore} skips it;
 * {@code overwrite} replaces a complete store once the new one is complete; {@code append} is
 * refused, stores being write-once) and then runs the V2 write ({@link KeyValueSink}), which asks
 * Spark for a hash or range distribution by key ({@link KeyValueWrite}). With the option {@code table}, the write publishes its
 * store as the next version of that table ({@link TableOutput}).
 */
public final class KeyValueDataSource
    implements TableProvider, CreatableRelationProvider, RelationProvider, DataSourceRegister {
  private static final Logger LOG = LoggerFactory.getLogger(KeyValueDataSource.class);
  /** The short name: {@code format("kvstore")}. */
  public static final String SHORT_NAME = "kvstore";

  /** Creates the source; Spark instantiates it through its service entry. */
  public KeyValueDataSource() {}

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return StoreOptions.readSchema(options.asCaseSensitiveMap());
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning,
      Map<String, String> properties) {
    return new KeyValueTable(properties);
  }

  /**
   * The V1 read, used only where Spark resolves a catalog table through V1 (Spark 3.5's session
   * catalog); see {@link KeyValueRelation}.
   */
  @Override
  public BaseRelation createRelation(SQLContext sqlContext,
      scala.collection.immutable.Map<String, String> parameters) {
    return new KeyValueRelation(sqlContext, new HashMap<>(CollectionConverters.asJava(parameters)));
  }

  @Override
  public BaseRelation createRelation(SQLContext sqlContext, SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters, Dataset<Row> data) {
    Map<String, String> options = new HashMap<>(CollectionConverters.asJava(parameters));
    String keyColumn = StoreOptions.get(options, StoreOptions.KEY_COLUMN,
        StoreOptions.DEFAULT_KEY);
    String valueColumn = StoreOptions.get(options, StoreOptions.VALUE_COLUMN,
        StoreOptions.DEFAULT_VALUE);
    StoreOptions.keyOrValueField(data.schema(), keyColumn, "key");
    StoreOptions.keyOrValueField(data.schema(), valueColumn, "value");
    Dataset<Row> pairs = data.select(data.col(keyColumn).as(StoreOptions.DEFAULT_KEY),
        data.col(valueColumn).as(StoreOptions.DEFAULT_VALUE));
    Configuration conf = StoreOptions.hadoopConf(data.sparkSession(), options);
    String table = StoreOptions.get(options, StoreOptions.TABLE);
    if (table != null) {
      writeTable(pairs, new Path(table), mode, conf, options);
      return relation(sqlContext, options);
    }
    try {
      Path path = new Path(StoreOptions.path(options));
      FileOperations ops = FileOperations.forPath(path, conf);
      Path store = ops.makeQualified(path);
      StoreLayout.State state = StoreLayout.stateOf(ops, store);
      switch (mode) {
        case Append:
          throw new UnsupportedOperationException("kvstore: save mode append is not supported:"
              + " stores are write-once. Write a new store (mode errorifexists), or replace "
              + store + " as a whole with mode overwrite");
        case Ignore:
          if (state != StoreLayout.State.ABSENT) {
            LOG.info("kvstore: {} exists ({}); save mode ignore writes nothing", store, state);
            return relation(sqlContext, options);
          }
          write(pairs, store, options);
          break;
        case Overwrite:
          if (state == StoreLayout.State.ABSENT) {
            write(pairs, store, options);
          } else if (state == StoreLayout.State.COMPLETE) {
            overwrite(pairs, ops, store, options);
          } else {
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(
                OutputPathCheck.describeRefusal(ops, store, state)
                + "; mode overwrite replaces only a complete store");
          }
          break;
        default:
          if (state != StoreLayout.State.ABSENT) {
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(
                OutputPathCheck.describeRefusal(ops, store, state));
          }
          write(pairs, store, options);
          break;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    return relation(sqlContext, options);
  }

  /**
   * Writes {@code pairs} as the next version of {@code table}: the store is built at the
   * table's job store path ({@link TableOutput#configure}) and published into the table at job
   * commit ({@link KeyValueWrite}). Every write publishes a new version, so the modes that keep
   * or add to what exists ({@code ignore}, {@code append}) are refused.
   */
  private static void writeTable(Dataset<Row> pairs, Path table, SaveMode mode,
      Configuration conf, Map<String, String> options) {
    if (StoreOptions.get(options, "path") != null) {
      throw new IllegalArgumentException("kvstore: give either a store path or the option "
          + StoreOptions.TABLE + ", not both (path " + StoreOptions.get(options, "path")
          + ", table " + table + ")");
    }
    if (mode == SaveMode.Append || mode == SaveMode.Ignore) {
      throw new UnsupportedOperationException("kvstore: save mode " + mode + " is not supported"
          + " with the option " + StoreOptions.TABLE + ": each write publishes a new version of "
          + table + " (use the default mode, or overwrite)");
    }
    try {
      Path qualified = FileOperations.forPath(table, conf).makeQualified(table);
      Path store = TableOutput.configure(conf, qualified);
      Map<String, String> sinkOptions = new HashMap<>(options);
      sinkOptions.keySet().removeIf(k -> k.equalsIgnoreCase(StoreOptions.TABLE));
      // A kvstore.* option reaches the write's configuration: the write publishes into it.
      sinkOptions.put(KeyValueConf.OUTPUT_TABLE.getKey(), KeyValueConf.OUTPUT_TABLE.getString(conf));
      write(pairs, store, sinkOptions);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Runs the V2 write of {@code pairs} into the absent path {@code store}. */
  private static void write(Dataset<Row> pairs, Path store, Map<String, String> options) {
    Map<String, String> sinkOptions = new HashMap<>(options);
    sinkOptions.remove("path");
    sinkOptions.keySet().removeIf(k -> k.equalsIgnoreCase("path"));
    pairs.write().format(KeyValueSink.class.getName()).options(sinkOptions)
        .mode(SaveMode.Append).save(store.toString());
  }

  /**
   * Replaces the complete store at {@code store}: writes the new store completely beside it
   * (under a temp name readers never open), moves its partition files into the store directory
   * (their names are unique to the write, so none replaces an old file), and then replaces the
   * manifest with one rename. Until that rename readers open the old store, from then on the new
   * one; at no moment is the path incomplete. The old store's partition files are deleted last.
   * A failure before the rename leaves the old store as it was (with at most some unreferenced
   * new files, which readers never open).
   */
  private static void overwrite(Dataset<Row> pairs, FileOperations ops, Path store,
      Map<String, String> options) throws IOException {
    Path temp = new Path(store.getParent(), StoreLayout.TEMP_PREFIX + "overwrite_"
        + store.getName() + "_" + UUID.randomUUID().toString().replace("-", ""));
    try {
      write(pairs, temp, options);
      StoreManifest old = StoreManifest.read(ops, store);
      StoreManifest fresh = StoreManifest.read(ops, temp);
      Set<String> oldFiles = new HashSet<>();
      old.getPartitions().forEach(p -> oldFiles.add(p.getFileName()));
      for (io.kvstore.PartitionInfo p : fresh.getPartitions()) {
        if (oldFiles.contains(p.getFileName())) {
          throw new IOException("kvstore: cannot overwrite " + store + ": the new store's file "
              + p.getFileName() + " has the name of a file of the old store");
        }
        ops.rename(new Path(temp, p.getFileName()), new Path(store, p.getFileName()));
      }
      fresh.publish(ops, store, true);
      LOG.info("kvstore: replaced store {} ({} pairs) by a new one ({} pairs)", store,
          old.getKeyCount(), fresh.getKeyCount());
      for (String name : oldFiles) {
        ops.delete(new Path(store, name), false);
      }
    } finally {
      ops.delete(temp, true);
    }
  }

  private static BaseRelation relation(SQLContext sqlContext, Map<String, String> options) {
    StructType schema = StoreOptions.readSchema(options);
    return new BaseRelation() {
      @Override
      public SQLContext sqlContext() {
        return sqlContext;
      }

      @Override
      public StructType schema() {
        return schema;
      }
    };
  }
}
