package io.kvstore.spark;

import io.kvstore.KeyValueConf;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The options of the {@code kvstore} data source and the Hadoop configuration they make. Every
 * {@code kvstore.*} option that names a {@link KeyValueConf} setting is passed through as is, so
 * a new setting needs no change here; any other {@code kvstore.*} option is refused as a typo.
 */
final class StoreOptions {
  /** Option: the DataFrame column written as the key (default {@value #DEFAULT_KEY}). */
  static final String KEY_COLUMN = "keyColumn";
  /** Option: the DataFrame column written as the value (default {@value #DEFAULT_VALUE}). */
  static final String VALUE_COLUMN = "valueColumn";
  /**
   * Option: the number of store partitions (Spark write tasks) a write produces; default
   * {@code spark.sql.shuffle.partitions}.
   */
  static final String PARTITIONS = "partitions";
  /**
   * Option of a write: {@code hash} or {@code range}, how rows are distributed to the write
   * tasks; default {@link KeyValueConf#SPARK_WRITE_DISTRIBUTION}.
   */
  static final String DISTRIBUTION = "distribution";
  /**
   * Option of a write: the path of a table ({@code KeyValueSystem.createTable}); the write builds
   * its store inside the table and publishes it as the table's next current version.
   */
  static final String TABLE = "table";
  /** Option of a read: {@code binary} (default) or {@code string} (UTF-8) key column. */
  static final String KEY_TYPE = "keyType";
  /** Option of a read: {@code binary} (default) or {@code string} (UTF-8) value column. */
  static final String VALUE_TYPE = "valueType";
  /** Default key column. */
  static final String DEFAULT_KEY = "key";
  /** Default value column. */
  static final String DEFAULT_VALUE = "value";
  private static final String KVSTORE_PREFIX = "kvstore.";

  private StoreOptions() {}

  /** The path option, required. */
  static String path(Map<String, String> options) {
    String path = get(options, "path");
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("kvstore: no store path given: use save(path) or"
          + " load(path), or the option 'path'");
    }
    return path;
  }

  /** An option by case-insensitive name, as Spark treats data source options. */
  static String get(Map<String, String> options, String name) {
    String exact = options.get(name);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** An option by name, or {@code defaultValue}. */
  static String get(Map<String, String> options, String name, String defaultValue) {
    String v = get(options, name);
    return v == null ? defaultValue : v;
  }

  /**
   * The Hadoop configuration of a read, only to be read, never changed: the session's own
   * (no copy, which costs more than a driver-side lookup) when no {@code kvstore.*} option is
   * given, else {@link #hadoopConf}.
   *
   * @throws IllegalArgumentException for a {@code kvstore.*} option that is no setting
   */
  static Configuration readConf(SparkSession spark, Map<String, String> options) {
    for (String name : options.keySet()) {
      if (name.toLowerCase(Locale.ROOT).startsWith(KVSTORE_PREFIX)) {
        return hadoopConf(spark, options);
      }
    }
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * The session's Hadoop configuration with the {@code kvstore.*} options applied.
   *
   * @throws IllegalArgumentException for a {@code kvstore.*} option that is no setting
   */
  static Configuration hadoopConf(SparkSession spark, Map<String, String> options) {
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    Map<String, KeyValueConf> settings = new HashMap<>();
    for (KeyValueConf c : KeyValueConf.values()) {
      settings.put(c.getKey().toLowerCase(Locale.ROOT), c);
    }
    for (Map.Entry<String, String> e : options.entrySet()) {
      String name = e.getKey();
      if (!name.toLowerCase(Locale.ROOT).startsWith(KVSTORE_PREFIX)) {
        continue;
      }
      KeyValueConf setting = settings.get(name.toLowerCase(Locale.ROOT));
      if (setting == null) {
        throw new IllegalArgumentException("kvstore: unknown option " + name + "; the kvstore.*"
            + " settings are " + Arrays.stream(KeyValueConf.values()).map(KeyValueConf::getKey)
                .sorted().collect(Collectors.joining(", ")));
      }
      conf.set(setting.getKey(), e.getValue());
    }
    return conf;
  }

  /**
   * Whether a write distributes its rows by Spark's hash partitioning on the key (else by key
   * range): the option {@value #DISTRIBUTION}, else {@link KeyValueConf#SPARK_WRITE_DISTRIBUTION}.
   *
   * @throws IllegalArgumentException for another value
   */
  static boolean hashDistribution(Map<String, String> options, Configuration conf) {
    String v = get(options, DISTRIBUTION, KeyValueConf.SPARK_WRITE_DISTRIBUTION.getString(conf))
        .trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "hash":
        return true;
      case "range":
        return false;
      default:
        throw new IllegalArgumentException("kvstore: option " + DISTRIBUTION + " (or "
            + KeyValueConf.SPARK_WRITE_DISTRIBUTION.getKey() + ") must be hash or range, not "
            + v);
    }
  }

  /** Whether a read option asks for a string column ({@code binary} otherwise). */
  static boolean isStringType(Map<String, String> options, String option) {
    String v = get(options, option, "binary").toLowerCase(Locale.ROOT);
    switch (v) {
      case "binary":
        return false;
      case "string":
        return true;
      default:
        throw new IllegalArgumentException("kvstore: option " + option + " must be binary or"
            + " string, not " + v);
    }
  }

  /** The schema of a read: {@code key} and {@code value}, binary or string. */
  static StructType readSchema(Map<String, String> options) {
    return new StructType(new StructField[] {
        DataTypes.createStructField(DEFAULT_KEY, type(isStringType(options, KEY_TYPE)), false),
        DataTypes.createStructField(DEFAULT_VALUE, type(isStringType(options, VALUE_TYPE)),
            false)});
  }

  private static DataType type(boolean string) {
    return string ? DataTypes.StringType : DataTypes.BinaryType;
  }

  /**
   * The field {@code name} of {@code schema}, which must be binary or string.
   *
   * @param role "key" or "value", for the message
   * @throws IllegalArgumentException naming the column and its type otherwise
   */
  static StructField keyOrValueField(StructType schema, String name, String role) {
    StructField field = null;
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        field = f;
      }
    }
    if (field == null) {
      throw new IllegalArgumentException("kvstore: the DataFrame has no " + role + " column '"
          + name + "' (columns: " + String.join(", ", schema.fieldNames()) + "); name it with"
          + " the option " + (role.equals("key") ? KEY_COLUMN : VALUE_COLUMN));
    }
    DataType t = field.dataType();
    if (!(t instanceof org.apache.spark.sql.types.BinaryType)
        && !(t instanceof org.apache.spark.sql.types.StringType)) {
      throw new IllegalArgumentException("kvstore: the " + role + " column '" + name
          + "' has type " + t.simpleString() + "; kvstore stores binary or string (as UTF-8)"
          + " keys and values: cast it to one of them");
    }
    return field;
  }
}
