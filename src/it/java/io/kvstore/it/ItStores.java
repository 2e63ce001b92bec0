package io.kvstore.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.Bytes;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Store fixtures and exactness checks shared by the MapReduce integration tests. */
final class ItStores {
  private ItStores() {}

  /** An empty map ordered like a store: unsigned lexicographic bytes. */
  static TreeMap<byte[], byte[]> sorted() {
    return new TreeMap<>(Bytes::compare);
  }

  /** {@code count} text pairs whose values are padded to {@code valueBytes}. */
  static TreeMap<byte[], byte[]> textPairs(int count, int valueBytes, long seed) {
    Random random = new Random(seed);
    TreeMap<byte[], byte[]> pairs = sorted();
    for (int i = 0; i < count; i++) {
      byte[] key = String.format("k%07d", i).getBytes(StandardCharsets.UTF_8);
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      pairs.put(key, value);
    }
    return pairs;
  }

  /** {@code count} pairs whose random keys are mostly made of bytes 0x80-0xFF. */
  static TreeMap<byte[], byte[]> binaryPairs(int count, long seed) {
    Random random = new Random(seed);
    TreeMap<byte[], byte[]> pairs = sorted();
    while (pairs.size() < count) {
      byte[] key = new byte[1 + random.nextInt(12)];
      for (int i = 0; i < key.length; i++) {
        key[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
      }
      byte[] value = new byte[random.nextInt(40)];
      random.nextBytes(value);
      pairs.put(key, value);
    }
    return pairs;
  }

  /** Writes {@code pairs} as a new store whose partitions roll at {@code partitionMax} bytes. */
  static Path write(Configuration conf, Path store, Map<byte[], byte[]> pairs, long partitionMax)
      throws IOException {
    Configuration c = new Configuration(conf);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(c, partitionMax);
    write(KeyValueSystem.Factory.create(c), store, pairs);
    return store;
  }

  /** Writes {@code pairs} as a new store through the client API. */
  static void write(KeyValueSystem kvs, Path store, Map<byte[], byte[]> pairs) throws IOException {
    KeyValueStoreWriter writer = kvs.createStore(store);
    boolean closed = false;
    try {
      for (Map.Entry<byte[], byte[]> e : pairs.entrySet()) {
        writer.put(e.getKey(), e.getValue());
      }
      writer.close();
      closed = true;
    } finally {
      if (!closed) {
        writer.cancel();
      }
    }
  }

  /**
   * Checks that the store holds exactly {@code expected}: size, iteration in key order, a
   * successful {@code get} of every key and no value for {@code absent} keys that are not in it.
   */
  static void assertExact(KeyValueSystem kvs, Path store, TreeMap<byte[], byte[]> expected,
      int absent) throws IOException {
    try (KeyValueStoreReader reader = kvs.openStore(store)) {
      assertEquals("size of " + store, expected.size(), reader.size());
      try (KeyValueIterator it = reader.iterator()) {
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
          assertTrue("iteration ended early at pair " + i, it.hasNext());
          KeyValuePair pair = it.next();
          assertArrayEquals("key of pair " + i, e.getKey(), pair.getKey());
          assertArrayEquals("value of pair " + i, e.getValue(), pair.getValue());
          i++;
        }
        assertFalse("pairs after the last expected one", it.hasNext());
      }
      for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
        assertArrayEquals("get " + Bytes.toPrintable(e.getKey()), e.getValue(),
            reader.get(e.getKey()));
      }
      Random random = new Random(absent);
      byte[][] present = expected.keySet().toArray(new byte[0][]);
      int checked = 0;
      while (checked < absent) {
        byte[] key;
        if (present.length > 0 && random.nextBoolean()) {
          // A near miss: a present key plus one byte falls inside some partition's key range.
          byte[] near = present[random.nextInt(present.length)];
          key = java.util.Arrays.copyOf(near, near.length + 1);
          key[near.length] = (byte) random.nextInt(256);
        } else {
          key = new byte[1 + random.nextInt(16)];
          random.nextBytes(key);
        }
        if (!expected.containsKey(key)) {
          assertNull("get of absent " + Bytes.toPrintable(key), reader.get(key));
          checked++;
        }
      }
    }
  }
}
