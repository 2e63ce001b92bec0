package io.kvstore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.StoreLayout;
import java.io.File;
import java.nio.ByteBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A million keys over several partitions: every key found with its value, keys between them
 * absent, iteration complete and ordered, and no partition file over the limit. Keys are 4-byte
 * big-endian multiples of 4099, so their first byte covers 0x00..0xF4 and a signed comparison
 * would misorder them.
 */
public final class MillionKeysTest {
  private static final int KEYS = 1_000_000;
  private static final int STEP = 4099;
  private static final long PARTITION_MAX = 8L * 1024 * 1024;

  /** The store. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] key(long i) {
    return ByteBuffer.allocate(4).putInt((int) (i * STEP)).array();
  }

  private static byte[] absentKey(long i) {
    return ByteBuffer.allocate(4).putInt((int) (i * STEP + 1)).array();
  }

  private static byte[] valueOf(long i) {
    return StoreTestSupport.value(i, 8 + (int) (i % 17));
  }

  @Test
  public void millionKeysAcrossSeveralPartitions() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, PARTITION_MAX);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path store = new Path(new File(tmp.getRoot(), "million").toURI());
    try (KeyValueStoreWriter w = kvs.createStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        w.put(key(i), valueOf(i));
      }
      assertEquals(KEYS, w.size());
    }
    FileSystem fs = FileSystem.getLocal(conf);
    int files = 0;
    for (FileStatus st : fs.listStatus(store)) {
      if (st.getPath().getName().endsWith(StoreLayout.PARTITION_EXTENSION)) {
        files++;
        assertTrue(st.getPath() + " has " + st.getLen() + " bytes",
            st.getLen() <= PARTITION_MAX);
      }
    }
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertEquals(KEYS, r.size());
      assertEquals(files, r.partitions().size());
      assertTrue("partitions: " + files, files >= 3);
      for (int i = 0; i < KEYS; i++) {
        byte[] v = r.get(key(i));
        if (v == null || !java.util.Arrays.equals(valueOf(i), v)) {
          assertArrayEquals("key " + i, valueOf(i), v);
        }
        if (i % 4 == 0) {
          assertNull("absent key " + i, r.get(absentKey(i)));
        }
      }
      long i = 0;
      try (KeyValueIterator it = r.iterator()) {
        while (it.hasNext()) {
          KeyValuePair p = it.next();
          if (!java.util.Arrays.equals(key(i), p.getKey())
              || !java.util.Arrays.equals(valueOf(i), p.getValue())) {
            assertArrayEquals("iterated key " + i, key(i), p.getKey());
            assertArrayEquals("iterated value " + i, valueOf(i), p.getValue());
          }
          i++;
        }
      }
      assertEquals(KEYS, i);
      long ranged = 0;
      byte[] from = key(KEYS / 2);
      try (KeyValueIterator it = r.iterator(from, null)) {
        while (it.hasNext()) {
          assertArrayEquals(key(KEYS / 2 + ranged), it.next().getKey());
          ranged++;
        }
      }
      assertEquals(KEYS - KEYS / 2, ranged);
    }
  }
}
