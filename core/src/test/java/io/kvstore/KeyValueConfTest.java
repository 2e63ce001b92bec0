package io.kvstore;

import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
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
}
