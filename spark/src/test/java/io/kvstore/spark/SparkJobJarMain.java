package io.kvstore.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A user's job, packaged in a job jar with kvstore by {@link SparkSubmitJobJarTest} and run by
 * {@code SparkSubmit}: writes {@code n} pairs with {@code format("kvstore")}, reads them back,
 * runs a lookup join and fails (non-zero exit) on any wrong answer.
 */
public final class SparkJobJarMain {
  private SparkJobJarMain() {}

  /** Arguments: the store path and the number of pairs. */
  public static void main(String[] args) {
    String store = args[0];
    int n = Integer.parseInt(args[1]);
    SparkSession spark = SparkSession.builder().appName("kvstore-job-jar").getOrCreate();
    StructType schema = new StructType().add("key", DataTypes.BinaryType, false)
        .add("value", DataTypes.BinaryType, false);
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      rows.add(RowFactory.create(SparkStores.key(i), SparkStores.value(i)));
    }
    spark.createDataFrame(rows, schema).write().format("kvstore").save(store);
    long read = spark.read().format("kvstore").load(store).count();
    Dataset<Row> probe = spark.createDataFrame(rows, schema).select("key");
    long found = KeyValueSpark.lookupJoin(probe, "key", store, "v").where("v IS NOT NULL")
        .count();
    spark.stop();
    if (read != n || found != n) {
      throw new IllegalStateException("read " + read + " and found " + found + " of " + n);
    }
    System.out.println("kvstore job jar: wrote, read and looked up " + n + " pairs");
  }
}
