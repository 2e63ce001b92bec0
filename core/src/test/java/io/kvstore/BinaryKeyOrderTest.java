package io.kvstore;

import static io.kvstore.StoreTestSupport.assertPairs;
import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.drain;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.WritableComparator;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Binary keys made of 0x00, 0x7F, 0x80 and 0xFF bytes: the store's order must be exactly the
 * order Hadoop sorts BytesWritable keys by, checked against Hadoop's own comparators.
 */
public final class BinaryKeyOrderTest {
  private static final int[] EDGE_BYTES = {0x00, 0x7F, 0x80, 0xFF};

  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** Every key of length 0 to 3 over the edge bytes: 85 keys. */
  private static List<byte[]> edgeKeys() {
    List<byte[]> keys = new ArrayList<>();
    keys.add(new byte[0]);
    List<byte[]> previous = new ArrayList<>(keys);
    for (int len = 1; len <= 3; len++) {
      List<byte[]> next = new ArrayList<>();
      for (byte[] prefix : previous) {
        for (int b : EDGE_BYTES) {
          byte[] k = java.util.Arrays.copyOf(prefix, len);
          k[len - 1] = (byte) b;
          next.add(k);
        }
      }
      keys.addAll(next);
      previous = next;
    }
    return keys;
  }

  private static byte[] serialized(byte[] key) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new BytesWritable(key).write(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  /** Sign of BytesWritable.Comparator on the serialized forms, as the shuffle sorts them. */
  private static int shuffleOrder(byte[] a, byte[] b) throws IOException {
    byte[] sa = serialized(a);
    byte[] sb = serialized(b);
    return Integer.signum(WritableComparator.get(BytesWritable.class)
        .compare(sa, 0, sa.length, sb, 0, sb.length));
  }

  @Test
  public void bytesCompareAgreesWithBytesWritableComparator() throws IOException {
    List<byte[]> keys = edgeKeys();
    assertEquals(85, keys.size());
    for (byte[] a : keys) {
      for (byte[] b : keys) {
        int expected = shuffleOrder(a, b);
        assertEquals(Bytes.toPrintable(a) + " vs " + Bytes.toPrintable(b), expected,
            Integer.signum(Bytes.compare(a, b)));
        assertEquals(expected,
            Integer.signum(WritableComparator.compareBytes(a, 0, a.length, b, 0, b.length)));
        assertEquals(expected, Integer.signum(Bytes.compare(a, 0, a.length, b, 0, b.length)));
      }
    }
  }

  @Test
  public void storeOfEdgeByteKeysIteratesInHadoopOrder() throws Exception {
    NavigableMap<byte[], byte[]> content = model();
    int i = 0;
    for (byte[] k : edgeKeys()) {
      content.put(k, new byte[] {(byte) i++});
    }
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 512);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path store = new Path(new File(tmp.getRoot(), "edge").toURI());
    writeAll(kvs.createStore(store), content);
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      org.junit.Assert.assertTrue(r.partitions().size() > 1);
      assertStoreContent(content, r);
      List<KeyValuePair> pairs = drain(r.iterator());
      for (int j = 1; j < pairs.size(); j++) {
        assertEquals(-1, shuffleOrder(pairs.get(j - 1).getKey(), pairs.get(j).getKey()));
      }
      for (byte[] from : content.keySet()) {
        byte[] to = content.higherKey(content.higherKey(from) == null ? from
            : content.higherKey(from));
        if (to == null) {
          continue;
        }
        assertPairs("range from " + Bytes.toPrintable(from), content.subMap(from, true, to, false),
            drain(r.iterator(from, to)));
      }
    }
  }

  @Test
  public void writerRefusesSignedOrder() throws Exception {
    KeyValueSystem kvs = KeyValueSystem.Factory.create(new Configuration());
    Path store = new Path(new File(tmp.getRoot(), "signed").toURI());
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(new byte[] {0x00}, new byte[0]);
    w.put(new byte[] {0x7F}, new byte[0]);
    w.put(new byte[] {(byte) 0x80}, new byte[0]);
    expect(IllegalArgumentException.class, () -> w.put(new byte[] {0x7F, (byte) 0xFF},
        new byte[0]));
    w.put(new byte[] {(byte) 0xFF}, new byte[0]);
    w.put(new byte[] {(byte) 0xFF, 0x00}, new byte[0]);
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertEquals(5, r.size());
      assertArrayEquals(new byte[0], r.get(new byte[] {(byte) 0xFF, 0x00}));
    }
  }
}
