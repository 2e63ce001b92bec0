package io.kvstore;

import static io.kvstore.StoreTestSupport.assertPairs;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.drain;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Range iteration {@code [from, to)} with bounds at partition first and last keys, just before
 * and after them, between partitions, outside the store and open, in every combination.
 */
public final class RangeIterationTest {
  /** One store shared by the tests of the class (it is only read). */
  @ClassRule
  public static final TemporaryFolder TMP = new TemporaryFolder();

  private static NavigableMap<byte[], byte[]> content;
  private static KeyValueStoreReader reader;

  @BeforeClass
  public static void writeStore() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 1024);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    content = model();
    for (int i = 0; i < 120; i++) {
      content.put(b(String.format("r%04d", 10 * i)), value(i, i % 40));
    }
    Path store = new Path(new File(TMP.getRoot(), "ranges").toURI());
    writeAll(kvs.createStore(store), content);
    reader = kvs.openStore(store);
  }

  @AfterClass
  public static void closeStore() throws Exception {
    reader.close();
  }

  private static Map<byte[], byte[]> expected(byte[] from, byte[] to) {
    if (from == null && to == null) {
      return content;
    } else if (from == null) {
      return content.headMap(to, false);
    } else if (to == null) {
      return content.tailMap(from, true);
    }
    return content.subMap(from, true, to, false);
  }

  private static List<byte[]> boundaryKeys() {
    List<byte[]> bounds = new ArrayList<>();
    bounds.add(null);
    bounds.add(new byte[0]);
    bounds.add(b("a"));
    bounds.add(b("r"));
    bounds.add(b("s"));
    for (PartitionInfo p : reader.partitions()) {
      for (byte[] k : new byte[][] {p.getFirstKey(), p.getLastKey()}) {
        bounds.add(k);
        bounds.add(Arrays.copyOf(k, k.length + 1));
        byte[] before = k.clone();
        before[before.length - 1]--;
        bounds.add(before);
      }
    }
    return bounds;
  }

  @Test
  public void storeHasSeveralPartitions() {
    assertTrue(reader.partitions().size() >= 4);
  }

  @Test
  public void everyCombinationOfBoundaryBounds() throws Exception {
    List<byte[]> bounds = boundaryKeys();
    for (byte[] from : bounds) {
      for (byte[] to : bounds) {
        if (from != null && to != null && Bytes.compare(from, to) > 0) {
          continue;
        }
        assertPairs("[" + Bytes.toPrintable(from) + ", " + Bytes.toPrintable(to) + ")",
            expected(from, to), drain(reader.iterator(from, to)));
      }
    }
  }

  @Test
  public void equalBoundsAreEmpty() throws Exception {
    for (byte[] k : boundaryKeys()) {
      if (k != null) {
        assertFalse(Bytes.toPrintable(k), reader.iterator(k, k).hasNext());
      }
    }
  }

  @Test
  public void rangeOutsideTheStoreIsEmpty() throws Exception {
    assertFalse(reader.iterator(b("s"), null).hasNext());
    assertFalse(reader.iterator(null, b("r0000")).hasNext());
    assertFalse(reader.iterator(b("r0001"), b("r0009")).hasNext());
  }

  @Test
  public void invertedBoundsYieldNothing() throws Exception {
    try {
      KeyValueIterator it = reader.iterator(b("r0500"), b("r0100"));
      assertFalse(it.hasNext());
      it.close();
    } catch (IllegalArgumentException refused) {
      // Refusing inverted bounds is as good as an empty range; returning pairs is not.
      assertTrue(refused.getMessage() != null);
    }
  }

  @Test
  public void nullBoundsEqualFullIteration() throws Exception {
    assertPairs("(null, null)", content, drain(reader.iterator(null, null)));
  }

  @Test
  public void nextPastTheEndThrowsNoSuchElement() throws Exception {
    try (KeyValueIterator it = reader.iterator(b("r0100"), b("r0120"))) {
      it.next();
      it.next();
      assertFalse(it.hasNext());
      StoreTestSupport.expect(NoSuchElementException.class, it::next);
    }
  }

  @Test
  public void nextWithoutHasNextWalksTheRange() throws Exception {
    List<KeyValuePair> got = new ArrayList<>();
    try (KeyValueIterator it = reader.iterator(b("r0995"), b("r1035"))) {
      for (int i = 0; i < 4; i++) {
        got.add(it.next());
      }
      assertFalse(it.hasNext());
    }
    assertPairs("next() only", expected(b("r0995"), b("r1035")), got);
  }

  @Test
  public void hasNextIsIdempotent() throws Exception {
    List<KeyValuePair> got = new ArrayList<>();
    try (KeyValueIterator it = reader.iterator(b("r0100"), b("r0200"))) {
      while (it.hasNext() && it.hasNext()) {
        assertTrue(it.hasNext());
        got.add(it.next());
      }
      assertFalse(it.hasNext());
    }
    assertPairs("hasNext() repeated", expected(b("r0100"), b("r0200")), got);
  }
}
