package io.kvstore.impl;

import static io.kvstore.StoreTestSupport.assertPairs;
import static io.kvstore.StoreTestSupport.model;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreTestSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A merged scan opens partitions as it reaches them: open scans follow the overlap depth. */
public class StoreIteratorTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] text(String format, int i) {
    return String.format(format, i).getBytes(StandardCharsets.UTF_8);
  }

  /** Scans {@code reader} from {@code from} to {@code to}, checking the pairs; the most open. */
  private static int scan(KeyValueStoreReader reader, NavigableMap<byte[], byte[]> expected,
      byte[] from, byte[] to) throws Exception {
    StoreIterator it = (StoreIterator) reader.iterator(from, to);
    int most = it.openScans();
    List<KeyValuePair> seen = new ArrayList<>();
    while (it.hasNext()) {
      most = Math.max(most, it.openScans());
      seen.add(it.next());
    }
    assertEquals(0, it.openScans());
    assertPairs("scan", expected, seen);
    return most;
  }

  @Test
  public void mergedScanOfTwoInterleavedStoresKeepsAboutTwoPartitionsOpen() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path root = new Path(tmp.getRoot().toURI());
    Path to = new Path(root, "to");
    Path from = new Path(root, "from");
    NavigableMap<byte[], byte[]> all = model();
    for (int s = 0; s < 2; s++) {
      NavigableMap<byte[], byte[]> content = model();
      for (int i = s; i < 8000; i += 2) {
        content.put(text("k%06d", i), text("value %d", i * 7));
      }
      StoreTestSupport.writeAll(kvs.createStore(s == 0 ? to : from), content);
      all.putAll(content);
    }
    // A third store inside one gap: depth 3 there, 2 elsewhere.
    Path third = new Path(root, "third");
    NavigableMap<byte[], byte[]> inside = model();
    for (int i = 0; i < 50; i++) {
      inside.put(text("k004000-%03d", i), text("inner %d", i));
    }
    StoreTestSupport.writeAll(kvs.createStore(third), inside);
    all.putAll(inside);
    kvs.mergeStore(from, to);
    kvs.mergeStore(third, to);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertTrue("partitions: " + r.partitions().size(), r.partitions().size() > 50);
      assertEquals(3, new PartitionRouter(io.kvstore.format.Routing.byRange(), r.partitions())
          .overlapDepth());
      int most = scan(r, all, null, null);
      assertTrue("open scans at once: " + most, most <= 4);
      byte[] lo = text("k%06d", 3001);
      byte[] hi = text("k%06d", 5000);
      most = scan(r, all.subMap(lo, true, hi, false), lo, hi);
      assertTrue("open scans at once: " + most, most <= 4);
      NavigableMap<byte[], byte[]> empty = model();
      assertEquals(0, scan(r, empty, text("k%06d", 9000), null));
      Map.Entry<byte[], byte[]> last = all.lastEntry();
      assertArrayEquals(last.getValue(), r.iterator(last.getKey(), null).next().getValue());
      assertFalse(r.iterator(hi, lo).hasNext());
    }
  }
}
