package io.kvstore.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The stop of a SparkContext closes the store readers of its JVM ({@link ExecutorStores}), the
 * ones its driver-side point queries opened among them: a class of its own, as it stops its
 * session (the sharing of readers and their closing when superseded are tested in
 * {@link KeyValueDataSourceTest}).
 */
public class ExecutorStoresTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void everyReaderIsClosedWhenTheSparkContextStops() throws Exception {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("kvstore-stop-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    KeyValueStoreReader reader;
    byte[] key = "key".getBytes(StandardCharsets.UTF_8);
    try {
      Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
      Path store = new Path(new File(tmp.getRoot(), "store").toURI());
      try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(store)) {
        w.put(key, "value".getBytes(StandardCharsets.UTF_8));
      }
      List<Row> rows = spark.read().format("kvstore").load(store.toString())
          .where(functions.col("key").equalTo(functions.lit(key))).collectAsList();
      assertEquals(1, rows.size());
      reader = KeyValueDataSourceTest.currentReader(spark, conf, store);
      assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), reader.get(key));
    } finally {
      spark.stop();
    }
    KeyValueDataSourceTest.assertClosed(reader, key);
  }
}
