package io.kvstore;

import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.Test;

/** The configuration enum: keys, defaults and typed access. */
public final class KeyValueConfTest {
  private static Configuration empty() {
    return new Configuration(false);
  }

  @Test
  public void everySettingHasAUniqueKeyADefaultAndADescription() {
    Set<String> keys = new HashSet<>();
    for (KeyValueConf c : KeyValueConf.values()) {
      assertTrue(c.getKey(), c.getKey().startsWith("kvstore."));
      assertTrue("duplicate key " + c.getKey(), keys.add(c.getKey()));
      assertTrue(c.name(), c.getDefaultValue() != null);
      assertTrue(c.name(), c.getDescription().length() > 20);
      assertEquals(String.valueOf(c.getDefaultValue()), c.getString(empty()));
    }
  }

  @Test
  public void partitionSizeMaxKeyAndDefault() {
    assertEquals("kvstore.partition.size.bytes.max", KeyValueConf.PARTITION_SIZE_MAX.getKey());
    assertEquals(512L * 1024 * 1024, KeyValueConf.PARTITION_SIZE_MAX.getLong(empty()));
  }

  @Test
  public void setLongThenGetLong() {
    Configuration conf = empty();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 12345);
    assertEquals(12345, KeyValueConf.PARTITION_SIZE_MAX.getLong(conf));
    assertEquals(12345, KeyValueConf.PARTITION_SIZE_MAX.getInt(conf));
    assertEquals("12345", conf.get("kvstore.partition.size.bytes.max"));
  }

  @Test
  public void longsAcceptHadoopSizeSuffixes() {
    Configuration conf = empty();
    conf.set(KeyValueConf.PARTITION_SIZE_MAX.getKey(), "64m");
    assertEquals(64L << 20, KeyValueConf.PARTITION_SIZE_MAX.getLong(conf));
    KeyValueConf.WRITE_BUFFER_SIZE.setString(conf, "2k");
    assertEquals(2048, KeyValueConf.WRITE_BUFFER_SIZE.getInt(conf));
  }

  @Test
  public void getIntRefusesValuesBeyondInt() {
    Configuration conf = empty();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 1L << 40);
    IllegalArgumentException e = expect(IllegalArgumentException.class,
        () -> KeyValueConf.PARTITION_SIZE_MAX.getInt(conf));
    assertTrue(e.getMessage().contains("kvstore.partition.size.bytes.max"));
  }

  @Test
  public void doubleSetting() {
    Configuration conf = empty();
    assertEquals(0.75, KeyValueConf.INDEX_LOAD_FACTOR.getDouble(conf), 0.0);
    KeyValueConf.INDEX_LOAD_FACTOR.setDouble(conf, 0.5);
    assertEquals(0.5, KeyValueConf.INDEX_LOAD_FACTOR.getDouble(conf), 0.0);
  }

  @Test
  public void booleanSettings() {
    Configuration conf = empty();
    assertTrue(KeyValueConf.READ_MMAP.getBoolean(conf));
    assertTrue(KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf));
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    assertFalse(KeyValueConf.READ_MMAP.getBoolean(conf));
    assertTrue(KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf));
  }

  @Test
  public void stringSetting() {
    Configuration conf = empty();
    KeyValueConf.HASH_SEED.setString(conf, "42");
    assertEquals("42", KeyValueConf.HASH_SEED.getString(conf));
    assertEquals(42L, KeyValueConf.HASH_SEED.getLong(conf));
  }

  @Test
  public void factoryCopiesTheConfiguration() throws Exception {
    Configuration conf = new Configuration();
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 1);
    org.junit.rules.TemporaryFolder tmp = new org.junit.rules.TemporaryFolder();
    tmp.create();
    try {
      org.apache.hadoop.fs.Path store =
          new org.apache.hadoop.fs.Path(new java.io.File(tmp.getRoot(), "s").toURI());
      try (KeyValueStoreWriter w = kvs.createStore(store)) {
        w.put(StoreTestSupport.b("k"), StoreTestSupport.b("v"));
      }
      try (KeyValueStoreReader r = kvs.openStore(store)) {
        assertEquals(1, r.size());
      }
    } finally {
      tmp.delete();
    }
  }

  /** The range of each numeric setting, as the code that reads it needs it. */
  private static final Object[][] RANGES = {
      {KeyValueConf.PARTITION_SIZE_MAX, 1L, io.kvstore.format.PartitionFormat.MAX_FILE_SIZE},
      {KeyValueConf.KEY_SIZE_MAX, 0L, Integer.MAX_VALUE - 64L},
      {KeyValueConf.INDEX_BLOCK_SIZE, 1L, Long.MAX_VALUE},
      {KeyValueConf.WRITE_BUFFER_SIZE, 1L, (long) Integer.MAX_VALUE},
      {KeyValueConf.READ_BUFFER_SIZE, 1L, (long) Integer.MAX_VALUE},
      {KeyValueConf.LOOKUP_READ_BYTES, 1L, (long) Integer.MAX_VALUE},
      {KeyValueConf.READ_MMAP_CHUNK_BYTES, 1L, (long) Integer.MAX_VALUE},
      {KeyValueConf.READ_MMAP_MAX_MAPS, 0L, Long.MAX_VALUE},
      {KeyValueConf.READ_OPEN_FILES_MAX, 1L, (long) Integer.MAX_VALUE},
      {KeyValueConf.READ_LOOKUP_PARALLELISM, 1L, 1024L},
      {KeyValueConf.READ_LOOKUP_COALESCE_BYTES, 0L, (long) Integer.MAX_VALUE},
      {KeyValueConf.READ_OPEN_PARALLELISM, 1L, 1024L},
  };

  @Test
  public void everyLongSettingAcceptsItsBoundsAndRefusesBeyondThemWhenReadOrSet() {
    for (Object[] range : RANGES) {
      KeyValueConf c = (KeyValueConf) range[0];
      long min = (Long) range[1];
      long max = (Long) range[2];
      assertEquals(c.name(), min, c.getMin().longValue());
      assertEquals(c.name(), max, c.getMax().longValue());
      for (long ok : new long[] {min, max}) {
        Configuration conf = empty();
        c.setLong(conf, ok);
        assertEquals(c.name(), ok, c.getLong(conf));
      }
      String expected = c.getKey() + " = %d must be in [" + min + ", " + max + "]";
      List<Long> beyond = new ArrayList<>();
      beyond.add(min - 1); // no range starts at Long.MIN_VALUE
      if (max < Long.MAX_VALUE) {
        beyond.add(max + 1);
      }
      for (long bad : beyond) {
        Configuration conf = empty();
        IllegalArgumentException set = expect(IllegalArgumentException.class,
            () -> c.setLong(conf, bad));
        assertEquals(String.format(expected, bad), set.getMessage());
        conf.set(c.getKey(), Long.toString(bad)); // as -D or a *-site.xml would give it
        IllegalArgumentException read = expect(IllegalArgumentException.class,
            () -> c.getLong(conf));
        assertEquals(String.format(expected, bad), read.getMessage());
      }
    }
  }

  @Test
  public void everyNumericSettingHasARangeTheDefaultLiesIn() {
    for (KeyValueConf c : KeyValueConf.values()) {
      if (c.getMin() != null) {
        double value = ((Number) c.getDefaultValue()).doubleValue();
        assertTrue(c.name(), value >= c.getMin().doubleValue()
            && value <= c.getMax().doubleValue());
      }
    }
  }

  @Test
  public void loadFactorIsRefusedOutsideItsRangeWhenReadOrSet() {
    Configuration conf = empty();
    KeyValueConf.INDEX_LOAD_FACTOR.setDouble(conf, 0.1);
    assertEquals(0.1, KeyValueConf.INDEX_LOAD_FACTOR.getDouble(conf), 0.0);
    KeyValueConf.INDEX_LOAD_FACTOR.setDouble(conf, 0.95);
    assertEquals(0.95, KeyValueConf.INDEX_LOAD_FACTOR.getDouble(conf), 0.0);
    for (double bad : new double[] {0.09, 0.96, 1.5, Double.NaN}) {
      IllegalArgumentException set = expect(IllegalArgumentException.class,
          () -> KeyValueConf.INDEX_LOAD_FACTOR.setDouble(empty(), bad));
      assertEquals("kvstore.index.load.factor = " + bad + " must be in [0.1, 0.95]",
          set.getMessage());
      Configuration given = empty();
      given.set("kvstore.index.load.factor", Double.toString(bad));
      IllegalArgumentException read = expect(IllegalArgumentException.class,
          () -> KeyValueConf.INDEX_LOAD_FACTOR.getDouble(given));
      assertEquals(set.getMessage(), read.getMessage());
    }
  }

  @Test
  public void sizeSuffixesAreCheckedAfterExpansion() {
    Configuration conf = empty();
    conf.set(KeyValueConf.PARTITION_SIZE_MAX.getKey(), "512t"); // 2^49, past the 48-bit offsets
    IllegalArgumentException e = expect(IllegalArgumentException.class,
        () -> KeyValueConf.PARTITION_SIZE_MAX.getLong(conf));
    assertEquals("kvstore.partition.size.bytes.max = " + (1L << 49) + " must be in [1, "
        + (1L << 48) + "]", e.getMessage());
  }

  @Test
  public void seedsTakeAnyLongAndThePartitionerSeedIsASetting() {
    assertEquals("kvstore.partitioner.seed", KeyValueConf.PARTITIONER_SEED.getKey());
    assertEquals(0L, KeyValueConf.PARTITIONER_SEED.getLong(empty()));
    for (KeyValueConf seed : new KeyValueConf[] {KeyValueConf.HASH_SEED,
        KeyValueConf.PARTITIONER_SEED}) {
      assertEquals(null, seed.getMin());
      for (long v : new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}) {
        Configuration conf = empty();
        seed.setLong(conf, v);
        assertEquals(v, seed.getLong(conf));
      }
    }
  }
}
