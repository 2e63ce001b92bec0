package io.kvstore.spark;

import static io.kvstore.spark.SparkStores.ABSENT_KEYS;
import static io.kvstore.spark.SparkStores.key;
import static io.kvstore.spark.SparkStores.value;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.Bytes;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import scala.Tuple2;

/**
 * The {@code kvstore} data source in local mode ({@code local[2,3]}: two cores, three attempts
 * per task), one SparkSession for the class: writes of 1, 4 and 64 partitions checked pair by
 * pair and with {@value SparkStores#ABSENT_KEYS} absent keys through the client and the reader,
 * task and job failures, save modes, every pushed-down filter against an unfiltered scan, the
 * partitions a pushed filter reads, the count from the manifest, SQL, string keys, lookup joins
 * and the RDD helpers.
 */
public class KeyValueDataSourceTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final AtomicInteger STORES = new AtomicInteger();
  private static final StructType BINARY = new StructType()
      .add("key", DataTypes.BinaryType, false).add("value", DataTypes.BinaryType, false);
  private static SparkSession spark;
  private static Configuration conf;

  @BeforeClass
  public static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2,3]")
        .appName("kvstore-datasource-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.hadoop.fs." + FailFirstAttemptFileSystem.SCHEME + ".impl",
            FailFirstAttemptFileSystem.class.getName())
        .getOrCreate();
    conf = new Configuration(spark.sparkContext().hadoopConfiguration());
  }

  @AfterClass
  public static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static String newStore() {
    return new Path(new File(TMP.getRoot(), "store-" + STORES.incrementAndGet()).toURI())
        .toString();
  }

  /** Pairs {@code 0..n-1} of {@link SparkStores}, in no order, in 3 DataFrame partitions. */
  private static Dataset<Row> pairs(int n) {
    List<Row> rows = new ArrayList<>();
    for (long i = n - 1; i >= 0; i--) {
      rows.add(RowFactory.create(key(i), value(i)));
    }
    return spark.createDataFrame(rows, BINARY).repartition(3);
  }

  private static StoreManifest manifest(String store) throws Exception {
    Path p = new Path(store);
    return StoreManifest.read(p.getFileSystem(conf), p);
  }

  /** Every pair and the absent keys, through the client and through the reader. */
  private static void assertStoreReadsBack(String store, int n) throws Exception {
    SparkStores.assertExactStore(conf, new Path(store), n);
    List<Row> rows = spark.read().format("kvstore").load(store).collectAsList();
    assertEquals(n, rows.size());
    TreeMap<byte[], byte[]> read = new TreeMap<>(Bytes::compare);
    for (Row r : rows) {
      assertNull("a key read twice", read.put((byte[]) r.get(0), (byte[]) r.get(1)));
    }
    for (long i = 0; i < n; i++) {
      assertArrayEquals("value of pair " + i, value(i), read.get(key(i)));
    }
    List<byte[]> absent = new ArrayList<>();
    for (long i = n; i < n + ABSENT_KEYS; i++) {
      absent.add(key(i));
    }
    Dataset<Row> lookups = spark.read().format("kvstore").load(store)
        .where(functions.col("key").isin(absent.toArray()));
    assertEquals("absent keys through the reader", 0, lookups.count());
  }

  /**
   * Writes 3,000 pairs into {@code partitions} tasks with {@code distribution} (null: the
   * default, hash) and checks the store and its routing: Spark's hash buckets, one per task, or
   * disjoint key ranges in manifest order; neither needs the duplicate check to read anything.
   */
  private static void writeAndCheck(int partitions, String distribution) throws Exception {
    String store = newStore();
    int n = 3000;
    DataFrameWriter<Row> writer = pairs(n).write().format("kvstore")
        .option("partitions", partitions);
    if (distribution != null) {
      writer = writer.option("distribution", distribution);
    }
    writer.save(store);
    assertStoreReadsBack(store, n);
    StoreManifest m = manifest(store);
    assertEquals(Integer.toString(partitions), m.getProperties().get("kvstore.commit.tasks"));
    assertEquals("buckets or disjoint ranges need no duplicate check reads", "0",
        m.getProperties().get("kvstore.commit.duplicate.check.records"));
    List<PartitionInfo> ps = m.getPartitions();
    if (!"range".equals(distribution)) {
      assertEquals(Routing.byBucket(BucketFunction.SPARK_MURMUR3, 42, partitions),
          m.getRouting());
      for (PartitionInfo p : ps) {
        assertTrue(p.getFileName(), p.getBucket() >= 0 && p.getBucket() < partitions);
      }
      return;
    }
    assertFalse("range routing", m.getRouting().isByBucket());
    for (int i = 1; i < ps.size(); i++) {
      assertTrue("partition " + i + " starts after the previous one ends",
          Bytes.compare(ps.get(i - 1).getLastKey(), ps.get(i).getFirstKey()) < 0);
    }
  }

  @Test
  public void writeOfOnePartitionReadsBackEveryPair() throws Exception {
    writeAndCheck(1, null);
  }

  @Test
  public void writeOfFourPartitionsReadsBackEveryPair() throws Exception {
    writeAndCheck(4, null);
  }

  @Test
  public void writeOfFourRangePartitionsReadsBackEveryPair() throws Exception {
    writeAndCheck(4, "range");
  }

  @Test
  public void writeOfSixtyFourPartitionsReadsBackEveryPair() throws Exception {
    writeAndCheck(64, null);
  }

  @Test
  public void hashWriteWithoutAPartitionCountHasOneBucketPerShufflePartition()
      throws Exception {
    // Adaptive execution would coalesce these small partitions if the sink left the count open.
    String store = newStore();
    pairs(300).write().format("kvstore").save(store);
    assertStoreReadsBack(store, 300);
    assertEquals(Routing.byBucket(BucketFunction.SPARK_MURMUR3, 42, 4), manifest(store).getRouting());
    try {
      pairs(10).write().format("kvstore").option("distribution", "random").save(newStore());
      fail("an unknown distribution must be refused");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("must be hash or range, not random"));
    }
  }

  @Test
  public void failedJobPublishesNothingAndARerunWorks() throws Exception {
    String store = newStore();
    Dataset<Row> failing = pairs(500).map(
        (org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> {
          throw new IllegalStateException("deliberate failure");
        }, org.apache.spark.sql.Encoders.row(BINARY));
    try {
      failing.write().format("kvstore").save(store);
      fail("the job must fail");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString("deliberate failure"));
    }
    Path p = new Path(store);
    assertEquals(StoreLayout.State.ABSENT, StoreLayout.stateOf(io.kvstore.fs.FileOperations.forPath(p, conf), p));
    pairs(500).write().format("kvstore").save(store);
    assertStoreReadsBack(store, 500);
  }

  @Test
  public void writeTaskFailingItsFirstAttemptIsRetriedAndTheStoreIsExact() throws Exception {
    String store = FailFirstAttemptFileSystem.SCHEME + "://" + new Path(newStore()).toUri().getPath();
    pairs(800).write().format("kvstore").option("partitions", 4).save(store);
    assertStoreReadsBack(store, 800);
    Path dir = new Path(store);
    FileSystem fs = dir.getFileSystem(conf);
    java.util.Set<String> expected = new java.util.TreeSet<>();
    manifest(store).getPartitions().forEach(p -> expected.add(p.getFileName()));
    expected.add(StoreLayout.MANIFEST_NAME);
    expected.add("_SUCCESS");
    java.util.Set<String> found = new java.util.TreeSet<>();
    for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(dir)) {
      if (!s.getPath().getName().startsWith(".")) {
        found.add(s.getPath().getName());
      }
    }
    assertEquals("only the committed attempts' files and the manifest", expected, found);
  }

  @Test
  public void duplicateKeyFailsTheJobNamingItAndPublishesNothing() throws Exception {
    String store = newStore();
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      rows.add(RowFactory.create(key(i), value(i)));
    }
    rows.add(RowFactory.create(key(77), "another value".getBytes(StandardCharsets.UTF_8)));
    try {
      spark.createDataFrame(rows, BINARY).write().format("kvstore").save(store);
      fail("a duplicate key must fail the job");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString(Bytes.toPrintable(key(77))));
    }
    Path p = new Path(store);
    assertEquals(StoreLayout.State.ABSENT, StoreLayout.stateOf(io.kvstore.fs.FileOperations.forPath(p, conf), p));
  }

  /** The names in the table directory. */
  private static java.util.Set<String> entries(Path table) throws Exception {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (org.apache.hadoop.fs.FileStatus s : table.getFileSystem(conf).listStatus(table)) {
      names.add(s.getPath().getName());
    }
    return names;
  }

  @Test
  public void savesIntoATablePublishVersionsAndAFailedSaveChangesNothing() throws Exception {
    Path table = new Path(newStore());
    KeyValueSystem system = KeyValueSystem.Factory.create(conf);
    system.createTable(table);
    pairs(300).write().format("kvstore").option("table", table.toString()).save();
    JavaPairRDD<byte[], byte[]> second = pairs(500).javaRDD()
        .mapToPair(r -> new Tuple2<>((byte[]) r.get(0), (byte[]) r.get(1)));
    KeyValueSpark.saveAsTableVersion(second, table.toString(), Map.of("partitions", "3"));
    List<io.kvstore.TableVersion> versions = system.listVersions(table);
    assertEquals(versions.toString(), 2, versions.size());
    assertEquals(1, versions.get(0).getVersion());
    assertFalse(versions.get(0).isCurrent());
    assertEquals(300, versions.get(0).getPairCount());
    assertEquals(2, versions.get(1).getVersion());
    assertTrue(versions.get(1).isCurrent());
    assertEquals(500, versions.get(1).getPairCount());
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertEquals(500, reader.size());
      for (long i = 0; i < 500; i++) {
        assertArrayEquals("value of pair " + i, value(i), reader.get(key(i)));
      }
      assertNull(reader.get(key(500)));
    }
    // Spark reads a table as its current version: a scan, a point query and a lookup join.
    assertEquals(500, spark.read().format("kvstore").load(table.toString()).count());
    assertEquals(500, spark.read().format("kvstore").load(table.toString())
        .where("value IS NOT NULL").count());
    List<Row> one = spark.read().format("kvstore").load(table.toString())
        .where(functions.col("key").equalTo(functions.lit(key(499)))).collectAsList();
    assertEquals(1, one.size());
    assertArrayEquals(value(499), (byte[]) one.get(0).get(1));
    Dataset<Row> probe = spark.createDataFrame(
        Arrays.asList(RowFactory.create(key(7)), RowFactory.create(key(900))),
        new StructType().add("k", DataTypes.BinaryType));
    List<Row> joined = KeyValueSpark.lookupJoin(probe, "k", table.toString(), "v")
        .collectAsList();
    assertEquals(2, joined.size());
    for (Row r : joined) {
      boolean present = Arrays.equals(key(7), (byte[]) r.get(0));
      assertArrayEquals(present ? value(7) : null, (byte[]) r.get(1));
    }
    java.util.Set<String> before = entries(table);
    assertFalse(before.toString(), before.contains(io.kvstore.commit.TableOutput.JOB_STORE_NAME));

    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      rows.add(RowFactory.create(key(i), value(i)));
    }
    rows.add(RowFactory.create(key(77), "another value".getBytes(StandardCharsets.UTF_8)));
    try {
      spark.createDataFrame(rows, BINARY).write().format("kvstore")
          .option("table", table.toString()).save();
      fail("a duplicate key must fail the job");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString(Bytes.toPrintable(key(77))));
    }
    assertEquals("nothing left behind", before, entries(table));
    List<io.kvstore.TableVersion> after = system.listVersions(table);
    assertEquals(after.toString(), 2, after.size());
    assertTrue("version 2 still current", after.get(1).isCurrent());
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertEquals(500, reader.size());
    }

    String notATable = newStore();
    try {
      pairs(10).write().format("kvstore").option("table", notATable).save();
      fail("a path that is not a table must be refused");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString("table"));
    }
    assertFalse("nothing created", new File(new Path(notATable).toUri()).exists());
  }

  @Test
  public void saveModes() throws Exception {
    String store = newStore();
    pairs(300).write().format("kvstore").save(store);
    try {
      pairs(10).write().format("kvstore").save(store);
      fail("errorifexists must refuse an existing store");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString("already holds a complete key-value store"));
    }
    pairs(10).write().format("kvstore").mode("ignore").save(store);
    try {
      pairs(10).write().format("kvstore").mode("append").save(store);
      fail("append must be refused");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString("write-once"));
    }
    assertStoreReadsBack(store, 300);
    KeyValueStoreReader before = KeyValueSystem.Factory.create(conf).openStore(new Path(store));
    pairs(120).write().format("kvstore").mode("overwrite").save(store);
    assertStoreReadsBack(store, 120);
    before.close();
    FileSystem fs = new Path(store).getFileSystem(conf);
    for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(new Path(store).getParent())) {
      assertFalse("overwrite leaves no temp store: " + s.getPath(),
          s.getPath().getName().startsWith(StoreLayout.TEMP_PREFIX));
    }
  }

  @Test
  public void otherColumnTypesAreRefusedNamingTheColumnAndType() {
    Dataset<Row> df = spark.range(10).selectExpr("id AS key", "CAST(CAST(id AS STRING) AS BINARY) AS value");
    try {
      df.write().format("kvstore").save(newStore());
      fail("a bigint key must be refused");
    } catch (Exception e) {
      assertThat(rootMessage(e), containsString("'key' has type bigint"));
    }
  }

  @Test
  public void keyAndValueColumnsByOption() throws Exception {
    String store = newStore();
    pairs(100).toDF("k", "v").write().format("kvstore").option("keyColumn", "k")
        .option("valueColumn", "v").save(store);
    SparkStores.assertExactStore(conf, new Path(store), 100);
  }

  @Test
  public void stringKeysSortAndRouteAsTheirUtf8Bytes() throws Exception {
    String store = newStore();
    List<String> keys = new ArrayList<>(Arrays.asList("a", "b", "z", "A", "é", "日本", "\uD83D\uDE00",
        "\u007F", "\u0080", "ÿ", "Ā", ""));
    for (int i = 0; i < 300; i++) {
      keys.add("k" + i + "\u00e9" + (char) ('a' + i % 26));
    }
    List<Row> rows = new ArrayList<>();
    for (String k : keys) {
      rows.add(RowFactory.create(k, "v:" + k));
    }
    StructType strings = new StructType().add("key", DataTypes.StringType, false)
        .add("value", DataTypes.StringType, false);
    spark.createDataFrame(rows, strings).write().format("kvstore").option("partitions", 4)
        .option("distribution", "range").save(store);
    String hashed = newStore();
    spark.createDataFrame(rows, strings).write().format("kvstore").option("partitions", 4)
        .option("distribution", "hash").save(hashed);
    for (String s : Arrays.asList(store, hashed)) {
      try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf).openStore(new Path(s))) {
        assertEquals(keys.size(), r.size());
        for (String k : keys) {
          assertArrayEquals(k, ("v:" + k).getBytes(StandardCharsets.UTF_8),
              r.get(k.getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    assertTrue("routed by Spark's hash of the UTF-8 bytes",
        manifest(hashed).getRouting().isByBucket());
    List<PartitionInfo> ps = manifest(store).getPartitions();
    for (int i = 1; i < ps.size(); i++) {
      assertTrue(Bytes.compare(ps.get(i - 1).getLastKey(), ps.get(i).getFirstKey()) < 0);
    }
    long expected = keys.stream().filter(k -> k.startsWith("k1")).count();
    for (String s : Arrays.asList(store, hashed)) {
      Dataset<Row> asStrings = spark.read().format("kvstore").option("keyType", "string")
          .option("valueType", "string").load(s);
      List<Row> prefixed = asStrings.where(functions.col("key").startsWith("k1")).collectAsList();
      assertEquals(expected, prefixed.size());
      for (Row r : prefixed) {
        assertEquals("v:" + r.getString(0), r.getString(1));
      }
    }
  }

  /** Binary keys with the bytes where signed and unsigned order differ. */
  private static List<byte[]> edgeKeys() {
    List<byte[]> keys = new ArrayList<>();
    int[][] raw = {{}, {0x00}, {0x00, 0x00}, {0x7F}, {0x7F, 0xFF}, {0x80}, {0x80, 0x00},
        {0xFF}, {0xFF, 0xFF}, {0xFF, 0xFF, 0xFF}, {0x01, 0xFF}, {0xFE, 0xFF}};
    for (int[] k : raw) {
      byte[] b = new byte[k.length];
      for (int i = 0; i < k.length; i++) {
        b[i] = (byte) k[i];
      }
      keys.add(b);
    }
    return keys;
  }

  @Test
  public void everyPushedFilterReturnsWhatAnUnfilteredScanAndFilterReturn() throws Exception {
    // 14 rounds of random bounds here and 2 on the hash-distributed store: the suite's time
    // stays what the range store's 20 took alone.
    checkEveryPushedFilter("range", 14);
  }

  @Test
  public void everyPushedFilterOnAHashDistributedStoreReturnsWhatAScanAndFilterReturn()
      throws Exception {
    checkEveryPushedFilter("hash", 2);
  }

  /**
   * Writes 2,000 pairs and the edge keys with {@code distribution} into 8 partitions, then
   * checks every pushed filter of the edge keys and {@code 3 * rounds} random bounds against an
   * unfiltered scan, and the partitions each opens: under range routing those whose key range
   * can hold a key, under bucket routing a point key's one partition of its bucket and, for a
   * range, every partition whose key range meets it.
   */
  private static void checkEveryPushedFilter(String distribution, int rounds) throws Exception {
    String store = newStore();
    List<Row> rows = new ArrayList<>();
    List<byte[]> all = new ArrayList<>();
    for (long i = 0; i < 2000; i++) {
      rows.add(RowFactory.create(key(i), value(i)));
      all.add(key(i));
    }
    for (byte[] k : edgeKeys()) {
      rows.add(RowFactory.create(k, ("edge" + Bytes.toPrintable(k)).getBytes(StandardCharsets.UTF_8)));
      all.add(k);
    }
    spark.createDataFrame(rows, BINARY).write().format("kvstore").option("partitions", 8)
        .option("distribution", distribution).save(store);
    StoreManifest m = manifest(store);
    assertEquals(distribution.equals("hash"), m.getRouting().isByBucket());
    Dataset<Row> df = spark.read().format("kvstore").load(store);
    TreeMap<byte[], byte[]> full = new TreeMap<>(Bytes::compare);
    for (Row r : df.collectAsList()) {
      full.put((byte[]) r.get(0), (byte[]) r.get(1));
    }
    assertEquals(rows.size(), full.size());

    Random random = new Random(42);
    List<byte[]> probes = new ArrayList<>(edgeKeys());
    for (int i = 0; i < rounds; i++) {
      probes.add(all.get(random.nextInt(all.size())));
      probes.add(key(100_000 + i)); // absent
      byte[] b = new byte[1 + random.nextInt(3)];
      random.nextBytes(b);
      probes.add(b);
    }
    Column key = functions.col("key");
    for (byte[] x : probes) {
      byte[] y = probes.get(random.nextInt(probes.size()));
      byte[] z = key(5);
      check(df, full, m, key.equalTo(functions.lit(x)), k -> Bytes.compare(k, x) == 0,
          p -> canHold(m, p, x));
      check(df, full, m, key.gt(functions.lit(x)), k -> Bytes.compare(k, x) > 0,
          p -> Bytes.compare(p.getLastKey(), x) > 0);
      check(df, full, m, key.geq(functions.lit(x)), k -> Bytes.compare(k, x) >= 0,
          p -> Bytes.compare(p.getLastKey(), x) >= 0);
      check(df, full, m, key.lt(functions.lit(x)), k -> Bytes.compare(k, x) < 0,
          p -> Bytes.compare(p.getFirstKey(), x) < 0);
      check(df, full, m, key.leq(functions.lit(x)), k -> Bytes.compare(k, x) <= 0,
          p -> Bytes.compare(p.getFirstKey(), x) <= 0);
      check(df, full, m, key.geq(functions.lit(x)).and(key.lt(functions.lit(y))),
          k -> Bytes.compare(k, x) >= 0 && Bytes.compare(k, y) < 0,
          p -> Bytes.compare(x, y) < 0 && Bytes.compare(p.getLastKey(), x) >= 0
              && Bytes.compare(p.getFirstKey(), y) < 0);
      check(df, full, m, key.isin(x, y, z), k -> Bytes.compare(k, x) == 0
          || Bytes.compare(k, y) == 0 || Bytes.compare(k, z) == 0,
          p -> canHold(m, p, x) || canHold(m, p, y) || canHold(m, p, z));
    }
  }

  /** Whether the store's routing sends a lookup of {@code key} to partition {@code p}. */
  private static boolean canHold(StoreManifest m, PartitionInfo p, byte[] key) {
    Routing r = m.getRouting();
    return (!r.isByBucket() || p.getBucket() == r.bucketOf(key, 0, key.length))
        && p.mayContain(key, 0, key.length);
  }

  @Test
  public void sparkMurmur3BucketsAreSparksOwnHashAndHashPartitioning() {
    Random random = new Random(11);
    List<byte[]> keys = new ArrayList<>(edgeKeys());
    // The keys whose hashes core's FormatDocumentationTest pins.
    keys.addAll(Arrays.asList(new byte[] {'a'}, new byte[] {'a', 'b', 'c', 'd'},
        "kvstore".getBytes(StandardCharsets.US_ASCII),
        new byte[] {(byte) 0x80, (byte) 0xFF, 0x00, 0x7F, 0x01}));
    for (int len = 0; len <= 64; len++) {
      for (int r = 0; r < 24; r++) {
        byte[] k = new byte[len];
        random.nextBytes(k);
        for (int i = 0; i < len && r % 3 == 0; i++) {
          k[i] |= (byte) 0x80; // only bytes 0x80-0xFF, negative as Java bytes
        }
        keys.add(k);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      rows.add(RowFactory.create(keys.get(i), i));
    }
    StructType schema = new StructType().add("key", DataTypes.BinaryType, false)
        .add("i", DataTypes.IntegerType, false);
    int buckets = 7;
    Column key = functions.col("key");
    for (Row r : spark.createDataFrame(rows, schema).repartition(buckets, key)
        .select(functions.col("i"), functions.hash(key), functions.spark_partition_id())
        .collectAsList()) {
      byte[] k = keys.get(r.getInt(0));
      String name = Bytes.toPrintable(k);
      assertEquals("Spark's hash of " + name, r.getInt(1),
          BucketFunction.sparkMurmur3(k, 0, k.length, BucketFunction.SPARK_HASH_SEED));
      assertEquals("Spark's hash partition of " + name, r.getInt(2),
          BucketFunction.SPARK_MURMUR3.bucket(k, 0, k.length, BucketFunction.SPARK_HASH_SEED,
              buckets));
    }
    // Strings hash as their UTF-8 bytes.
    List<Row> strings = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      StringBuilder b = new StringBuilder();
      for (int c = random.nextInt(20); c > 0; c--) {
        int kind = random.nextInt(3); // 1, 2-3 and 4 UTF-8 bytes, no surrogates
        b.appendCodePoint(kind == 0 ? 32 + random.nextInt(95)
            : kind == 1 ? 0xA0 + random.nextInt(0xD800 - 0xA0) : 0x10000 + random.nextInt(0x100000));
      }
      strings.add(RowFactory.create(b.toString()));
    }
    StructType stringSchema = new StructType().add("key", DataTypes.StringType, false);
    for (Row r : spark.createDataFrame(strings, stringSchema).repartition(buckets, key)
        .select(key, functions.hash(key), functions.spark_partition_id()).collectAsList()) {
      byte[] k = r.getString(0).getBytes(StandardCharsets.UTF_8);
      assertEquals(r.getString(0), r.getInt(1),
          BucketFunction.sparkMurmur3(k, 0, k.length, BucketFunction.SPARK_HASH_SEED));
      assertEquals(r.getString(0), r.getInt(2), BucketFunction.SPARK_MURMUR3.bucket(k, 0,
          k.length, BucketFunction.SPARK_HASH_SEED, buckets));
    }
  }

  /**
   * Asserts that {@code condition} on the store returns exactly the pairs of {@code full} that
   * {@code expected} accepts, is wholly pushed down, and opens exactly the store partitions
   * whose key range can hold a key it accepts ({@code canHold}).
   */
  private static void check(Dataset<Row> df, TreeMap<byte[], byte[]> full, StoreManifest m,
      Column condition, Predicate<byte[]> expected, Predicate<PartitionInfo> canHold) {
    // Before planning: a point query answered on the driver is looked up when it is planned.
    long opened = ExecutorStores.PARTITIONS_OPENED.get();
    Dataset<Row> filtered = df.where(condition);
    String plan = filtered.queryExecution().executedPlan().toString();
    assertFalse("fully pushed down, nothing left for Spark: " + plan, plan.contains("Filter "));
    // A point query answered on the driver is a local table, which prints no pushed filters.
    assertTrue("pushed to the scan: " + plan, plan.contains("PushedFilters: [")
        || plan.startsWith("LocalTableScan "));
    List<Row> got = filtered.collectAsList();
    long openedNow = ExecutorStores.PARTITIONS_OPENED.get() - opened;
    TreeMap<byte[], byte[]> want = new TreeMap<>(Bytes::compare);
    full.forEach((k, v) -> {
      if (expected.test(k)) {
        want.put(k, v);
      }
    });
    assertEquals(condition.toString(), want.size(), got.size());
    for (Row r : got) {
      assertArrayEquals(condition.toString(), want.get((byte[]) r.get(0)), (byte[]) r.get(1));
    }
    long partitions = m.getPartitions().stream().filter(canHold).count();
    assertEquals(condition + ": store partitions opened", partitions, openedNow);
  }

  /** Counts the Spark jobs started, once the listener bus has delivered every event. */
  private static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
    private final AtomicInteger started = new AtomicInteger();

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
      started.incrementAndGet();
    }

    int jobs() throws java.util.concurrent.TimeoutException {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return started.get();
    }
  }

  @Test
  public void pointQueriesRunNoSparkJobAndReturnWhatAnUnfilteredScanAndFilterReturn()
      throws Exception {
    String store = newStore();
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 500; i++) {
      rows.add(RowFactory.create(key(i), value(i)));
    }
    for (byte[] k : edgeKeys()) {
      rows.add(RowFactory.create(k, ("edge" + Bytes.toPrintable(k)).getBytes(StandardCharsets.UTF_8)));
    }
    spark.createDataFrame(rows, BINARY).write().format("kvstore").option("partitions", 4)
        .save(store);
    Dataset<Row> df = spark.read().format("kvstore").load(store);
    TreeMap<byte[], byte[]> full = new TreeMap<>(Bytes::compare);
    for (Row r : df.collectAsList()) {
      full.put((byte[]) r.get(0), (byte[]) r.get(1));
    }
    assertEquals(rows.size(), full.size());
    Column key = functions.col("key");
    List<Object[]> queries = new ArrayList<>();
    queries.add(new Object[] {key(7)}); // present
    queries.add(new Object[] {key(100_000)}); // absent
    queries.add(new Object[] {key(3), key(3), key(100_001), key(499), key(3)}); // duplicates
    queries.add(edgeKeys().toArray());
    queries.add(new Object[] {new byte[] {0x00, 0x01}, new byte[] {(byte) 0x80, 0x01},
        new byte[] {(byte) 0xFF, 0x00}, new byte[] {0x7F, 0x00}}); // absent near the edges

    JobCounter counter = new JobCounter();
    spark.sparkContext().addSparkListener(counter);
    try {
      int before = counter.jobs();
      for (Object[] q : queries) {
        Column condition = q.length == 1 ? key.equalTo(functions.lit(q[0])) : key.isin(q);
        List<Row> got = df.where(condition).collectAsList();
        TreeMap<byte[], byte[]> want = new TreeMap<>(Bytes::compare);
        for (Object k : q) {
          byte[] v = full.get((byte[]) k);
          if (v != null) {
            want.put((byte[]) k, v);
          }
        }
        assertEquals(condition.toString(), want.size(), got.size());
        for (Row r : got) {
          assertArrayEquals(condition.toString(), want.get((byte[]) r.get(0)), (byte[]) r.get(1));
        }
        assertEquals(condition + ": Spark jobs", before, counter.jobs());
      }
      // The counter sees jobs: more keys than the driver limit are looked up by tasks.
      List<Row> byTasks = spark.read().format("kvstore")
          .option("kvstore.spark.driver.lookup.keys", "2").load(store)
          .where(key.isin(key(1), key(2), key(3))).collectAsList();
      assertEquals(3, byTasks.size());
      assertTrue("a lookup of more keys than the limit runs a job", counter.jobs() > before);
    } finally {
      spark.sparkContext().removeSparkListener(counter);
    }
  }

  @Test
  public void countIsAnsweredFromTheManifest() throws Exception {
    String store = newStore();
    pairs(700).write().format("kvstore").save(store);
    Dataset<Row> df = spark.read().format("kvstore").load(store);
    long opened = ExecutorStores.PARTITIONS_OPENED.get();
    assertEquals(700, df.count());
    assertEquals("no partition was read", opened, ExecutorStores.PARTITIONS_OPENED.get());
    assertThat(df.groupBy().count().queryExecution().executedPlan().toString(),
        containsString("count from the manifest"));
    assertEquals(1, df.where(functions.col("key").equalTo(functions.lit(key(3)))).count());
  }

  @Test
  public void explainShowsThePushedFilters() throws Exception {
    String store = newStore();
    pairs(50).write().format("kvstore").save(store);
    Column point = functions.col("key").equalTo(functions.lit(key(1)));
    String plan = spark.read().format("kvstore").option("kvstore.spark.driver.lookup.keys", "0")
        .load(store).where(point)
        .queryExecution().explainString(org.apache.spark.sql.execution.SimpleMode$.MODULE$);
    assertThat(plan, containsString("PushedFilters: [EqualTo(key,"));
    // Answered on the driver, the query is a local table: Spark's LocalTableScan prints only
    // its columns, and no Filter is left above it.
    String local = spark.read().format("kvstore").load(store).where(point)
        .queryExecution().explainString(org.apache.spark.sql.execution.SimpleMode$.MODULE$);
    assertThat(local, containsString("LocalTableScan [key#"));
    assertFalse(local, local.contains("Filter"));
  }

  @Test
  public void sqlTableOverAStore() throws Exception {
    String store = newStore();
    pairs(400).write().format("kvstore").save(store);
    spark.sql("CREATE TABLE kv_sql USING kvstore LOCATION '" + store + "'");
    try {
      spark.createDataFrame(List.of(RowFactory.create((Object) key(9))),
          new StructType().add("k", DataTypes.BinaryType)).createOrReplaceTempView("probe");
      List<Row> rows = spark.sql("SELECT value FROM kv_sql WHERE key = (SELECT first(k) FROM"
          + " probe)").collectAsList();
      assertEquals(1, rows.size());
      assertArrayEquals(value(9), (byte[]) rows.get(0).get(0));
      String hex = Bytes.toPrintable(key(9));
      StringBuilder literal = new StringBuilder("X'");
      for (byte b : key(9)) {
        literal.append(String.format("%02X", b & 0xFF));
      }
      literal.append("'");
      List<Row> direct = spark.sql("SELECT value FROM kv_sql WHERE key = " + literal)
          .collectAsList();
      assertEquals(hex, 1, direct.size());
      assertArrayEquals(value(9), (byte[]) direct.get(0).get(0));
      assertEquals(400L, spark.sql("SELECT count(*) FROM kv_sql").collectAsList().get(0)
          .getLong(0));
    } finally {
      spark.sql("DROP TABLE IF EXISTS kv_sql");
    }
  }

  @Test
  public void lookupJoinMatchesAPlainJoinOnAHundredThousandRows() throws Exception {
    String store = newStore();
    int n = 20_000;
    pairs(n).write().format("kvstore").save(store);
    List<Row> probeRows = new ArrayList<>();
    int present = 0;
    for (long i = 0; i < 100_000; i++) {
      long k = (i * 7) % (2L * n); // keys 0..2n-1, repeated: pairs below n are in the store
      probeRows.add(RowFactory.create(i, key(k)));
      present += k < n ? 1 : 0;
    }
    StructType probeSchema = new StructType().add("id", DataTypes.LongType, false)
        .add("k", DataTypes.BinaryType, false);
    Dataset<Row> probe = spark.createDataFrame(probeRows, probeSchema).repartition(4);
    Dataset<Row> looked = KeyValueSpark.lookupJoin(probe, "k", store, "v");
    Dataset<Row> storeDf = spark.read().format("kvstore").load(store);
    Dataset<Row> joined = probe.join(storeDf, probe.col("k").equalTo(storeDf.col("key")),
        "left_outer").select(probe.col("id"), storeDf.col("value"));
    Map<Long, byte[]> expected = new java.util.HashMap<>();
    for (Row r : joined.collectAsList()) {
      expected.put(r.getLong(0), (byte[]) r.get(1));
    }
    List<Row> got = looked.collectAsList();
    assertEquals(100_000, got.size());
    assertEquals(100_000, expected.size());
    int found = 0;
    for (Row r : got) {
      byte[] v = (byte[]) r.get(2);
      assertArrayEquals("row " + r.getLong(0), expected.get(r.getLong(0)), v);
      found += v == null ? 0 : 1;
    }
    assertEquals(present, found);
    String plan = looked.queryExecution().executedPlan().toString();
    assertFalse("no join and no shuffle by key: " + plan,
        plan.contains("Join") || plan.contains("hashpartitioning"));
  }

  @Test
  public void rddHelpersSaveAndLoadCopiedPairs() throws Exception {
    String store = newStore();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Tuple2<byte[], byte[]>> list = new ArrayList<>();
    for (long i = 0; i < 600; i++) {
      list.add(new Tuple2<>(key(i), value(i)));
    }
    KeyValueSpark.saveAsStore(sc.parallelizePairs(list, 3), store);
    SparkStores.assertExactStore(conf, new Path(store), 600);
    JavaPairRDD<byte[], byte[]> loaded = KeyValueSpark.loadStore(sc, store);
    List<Tuple2<byte[], byte[]>> three = loaded.take(3);
    assertNotSame(three.get(0)._1, three.get(1)._1);
    assertFalse(Arrays.equals(three.get(0)._1, three.get(1)._1));
    assertFalse(Arrays.equals(three.get(1)._1, three.get(2)._1));
    TreeMap<byte[], byte[]> all = new TreeMap<>(Bytes::compare);
    for (Tuple2<byte[], byte[]> t : loaded.collect()) {
      all.put(t._1, t._2);
    }
    assertEquals(600, all.size());
    for (long i = 0; i < 600; i++) {
      assertArrayEquals(value(i), all.get(key(i)));
    }
  }

  /** Key {@code i} of the stores {@link #writeGeneration} writes: they sort by {@code i}. */
  private static byte[] genKey(int i) {
    return String.format("key-%03d", i).getBytes(StandardCharsets.UTF_8);
  }

  /** The value of key {@code i} in generation {@code g}: the same length in every generation. */
  private static byte[] genValue(int g, int i) {
    return String.format("value-%d-%03d", g, i).getBytes(StandardCharsets.UTF_8);
  }

  /** Writes keys {@code 0..99} with generation {@code g}'s values as a new store (core writer). */
  private static Path writeGeneration(int g) throws Exception {
    Path store = new Path(newStore());
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(store)) {
      for (int i = 0; i < 100; i++) {
        w.put(genKey(i), genValue(g, i));
      }
    }
    return store;
  }

  /** The value of key {@code i} by a point query of {@code path}, answered on the driver. */
  private static byte[] pointQuery(Path path, int i) {
    List<Row> rows = spark.read().format("kvstore").load(path.toString())
        .where(functions.col("key").equalTo(functions.lit(genKey(i)))).collectAsList();
    assertEquals("rows for key " + i, 1, rows.size());
    return (byte[]) rows.get(0).get(1);
  }

  /** The JVM's reader of the store {@code path} now holds (its lease released). */
  static KeyValueStoreReader currentReader(SparkSession session, Configuration c, Path path)
      throws Exception {
    ExecutorStores.Planned planned =
        ExecutorStores.plan(session.sparkContext(), c, path.toString());
    try (ExecutorStores.Lease lease =
        ExecutorStores.acquire(c, planned.dir.toString(), planned.token)) {
      return lease.reader();
    }
  }

  static void assertClosed(KeyValueStoreReader reader, byte[] key) {
    IllegalStateException e = org.junit.Assert.assertThrows(IllegalStateException.class,
        () -> reader.get(key));
    assertThat(e.getMessage(), containsString("closed"));
  }

  @Test
  public void pointQueriesOfAnUnchangedStoreShareOneReaderAndReadItsManifestOnce()
      throws Exception {
    Path store = writeGeneration(1);
    long opened = ExecutorStores.STORES_OPENED.get();
    long manifests = ExecutorStores.MANIFESTS_READ.get();
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(genValue(1, i * 7), pointQuery(store, i * 7));
    }
    assertEquals("readers opened", 1, ExecutorStores.STORES_OPENED.get() - opened);
    assertEquals("manifests read", 1, ExecutorStores.MANIFESTS_READ.get() - manifests);
    assertArrayEquals(genValue(1, 3), currentReader(spark, conf, store).get(genKey(3)));
  }

  @Test
  public void anOverwrittenStoreIsSeenByTheNextQueryAndItsOldReaderIsClosed() throws Exception {
    Path store = writeGeneration(1);
    assertArrayEquals(genValue(1, 5), pointQuery(store, 5));
    KeyValueStoreReader old = currentReader(spark, conf, store);
    // A manifest of the same length (same keys, values of the same length): the new one is
    // told apart by its modification time.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create(genKey(i), genValue(2, i)));
    }
    spark.createDataFrame(rows, BINARY).write().format("kvstore").option("partitions", 1)
        .mode("overwrite").save(store.toString());
    assertArrayEquals(genValue(2, 5), pointQuery(store, 5));
    assertArrayEquals(genValue(2, 6), pointQuery(store, 6));
    assertClosed(old, genKey(5));
  }

  @Test
  public void aNewTableVersionIsSeenByTheNextQueryAndTheOldOneClosedAfterItsLastLease()
      throws Exception {
    KeyValueSystem system = KeyValueSystem.Factory.create(conf);
    Path table = new Path(newStore());
    system.createTable(table);
    system.publishVersion(table, writeGeneration(1));
    assertArrayEquals(genValue(1, 9), pointQuery(table, 9));
    ExecutorStores.Planned v1 = ExecutorStores.plan(spark.sparkContext(), conf, table.toString());
    try (ExecutorStores.Lease lease =
        ExecutorStores.acquire(conf, v1.dir.toString(), v1.token)) {
      system.publishVersion(table, writeGeneration(2));
      assertArrayEquals(genValue(2, 9), pointQuery(table, 9));
      // A job planned against version 1 still holds it: it stays open until released.
      assertArrayEquals(genValue(1, 9), lease.reader().get(genKey(9)));
      KeyValueStoreReader old = lease.reader();
      lease.close();
      assertClosed(old, genKey(9));
    }
    assertArrayEquals(genValue(2, 10), pointQuery(table, 10));
  }

  private static String rootMessage(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      s.append(t.getMessage()).append(" | ");
    }
    return s.toString();
  }
}
