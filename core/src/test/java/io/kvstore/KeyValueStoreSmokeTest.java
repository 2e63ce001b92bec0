package io.kvstore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** End-to-end round trip of the client API across many partitions. */
public class KeyValueStoreSmokeTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i * 2).array();
  }

  private static byte[] value(int i) {
    return ("value-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  public void roundTripAcrossPartitionsWithMmapAndPositionalReads() throws Exception {
    for (boolean mmap : new boolean[] {true, false}) {
      Configuration conf = new Configuration();
      KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 64 * 1024);
      KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
      KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
      Path store = new Path(tmp.getRoot().getAbsolutePath(), "store-" + mmap);
      int n = 20000;
      try (KeyValueStoreWriter w = kvs.createStore(store)) {
        for (int i = 0; i < n; i++) {
          w.put(key(i), value(i));
        }
      }
      try (KeyValueStoreReader r = kvs.openStore(store)) {
        assertEquals(n, r.size());
        assertTrue(r.partitions().size() > 5);
        for (PartitionInfo p : r.partitions()) {
          assertTrue(p.getSizeBytes() <= 64 * 1024);
        }
        for (int i = 0; i < n; i++) {
          assertArrayEquals(value(i), r.get(key(i)));
          assertNull(r.get(ByteBuffer.allocate(4).putInt(i * 2 + 1).array()));
        }
        KeyValueIterator it = r.iterator();
        int count = 0;
        while (it.hasNext()) {
          KeyValuePair pair = it.next();
          assertArrayEquals(key(count), pair.getKey());
          count++;
        }
        assertEquals(n, count);
        KeyValueIterator range = r.iterator(key(100), key(200));
        for (int i = 100; i < 200; i++) {
          assertTrue(range.hasNext());
          assertArrayEquals(key(i), range.next().getKey());
        }
        assertFalse(range.hasNext());
      }
    }
  }

  @Test
  public void mergeMovesPartitionsAndRemovesSource() throws Exception {
    KeyValueSystem kvs = KeyValueSystem.Factory.create(new Configuration());
    Path a = new Path(tmp.getRoot().getAbsolutePath(), "a");
    Path b = new Path(tmp.getRoot().getAbsolutePath(), "b");
    try (KeyValueStoreWriter w = kvs.createStore(a)) {
      for (int i = 0; i < 1000; i += 2) {
        w.put(key(i), value(i));
      }
    }
    try (KeyValueStoreWriter w = kvs.createStore(b)) {
      for (int i = 1; i < 1000; i += 2) {
        w.put(key(i), value(i));
      }
    }
    kvs.mergeStore(a, b);
    try (KeyValueStoreReader r = kvs.openStore(b)) {
      assertEquals(1000, r.size());
      for (int i = 0; i < 1000; i++) {
        assertArrayEquals(value(i), r.get(key(i)));
      }
      KeyValueIterator it = r.iterator();
      for (int i = 0; i < 1000; i++) {
        assertArrayEquals(key(i), it.next().getKey());
      }
      assertFalse(it.hasNext());
    }
    assertFalse(a.getFileSystem(new Configuration()).exists(a));
  }
}
