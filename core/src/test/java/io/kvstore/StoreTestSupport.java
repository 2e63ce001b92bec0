package io.kvstore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.hadoop.io.WritableComparator;

/**
 * Helpers shared by the store tests: an expected-content model ordered by Hadoop's own byte
 * comparator (so the tests do not trust {@link Bytes#compare}), writers and exact checks.
 */
public final class StoreTestSupport {
  /** The order BytesWritable and Text sort by, from Hadoop itself. */
  public static final Comparator<byte[]> HADOOP_ORDER =
      (a, b) -> WritableComparator.compareBytes(a, 0, a.length, b, 0, b.length);

  private StoreTestSupport() {}

  /** An empty model of a store's content in Hadoop's key order. */
  public static NavigableMap<byte[], byte[]> model() {
    return new TreeMap<>(HADOOP_ORDER);
  }

  /** UTF-8 bytes of {@code s}. */
  public static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes given as ints, for binary keys. */
  public static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** A deterministic value of {@code length} bytes that differs for every {@code seed}. */
  public static byte[] value(long seed, int length) {
    byte[] v = new byte[length];
    long x = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      v[i] = (byte) x;
    }
    return v;
  }

  /** Writes every pair of {@code content} in order and closes the writer. */
  public static void writeAll(KeyValueStoreWriter writer, Map<byte[], byte[]> content)
      throws IOException {
    for (Map.Entry<byte[], byte[]> e : content.entrySet()) {
      writer.put(e.getKey(), e.getValue());
    }
    writer.close();
  }

  /** Drains and closes an iterator. */
  public static List<KeyValuePair> drain(KeyValueIterator it) throws IOException {
    List<KeyValuePair> out = new ArrayList<>();
    try {
      while (it.hasNext()) {
        out.add(it.next());
      }
    } finally {
      it.close();
    }
    return out;
  }

  /** Asserts that the pairs are exactly the entries of {@code expected}, in order. */
  public static void assertPairs(String what, Map<byte[], byte[]> expected,
      List<KeyValuePair> actual) {
    assertEquals(what + ": number of pairs", expected.size(), actual.size());
    Iterator<KeyValuePair> it = actual.iterator();
    for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
      KeyValuePair p = it.next();
      assertArrayEquals(what + ": key", e.getKey(), p.getKey());
      assertArrayEquals(what + ": value of " + Bytes.toPrintable(e.getKey()), e.getValue(),
          p.getValue());
    }
  }

  /**
   * Asserts the reader serves exactly {@code expected}: size, full iteration, and a get of every
   * key plus of keys just around them that the store does not hold.
   */
  public static void assertStoreContent(NavigableMap<byte[], byte[]> expected,
      KeyValueStoreReader reader) throws IOException {
    assertEquals("size()", expected.size(), reader.size());
    long partitionKeys = 0;
    for (PartitionInfo p : reader.partitions()) {
      partitionKeys += p.getKeyCount();
    }
    assertEquals("sum of partition key counts", expected.size(), partitionKeys);
    assertPairs("iterator()", expected, drain(reader.iterator()));
    for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
      assertArrayEquals("get " + Bytes.toPrintable(e.getKey()), e.getValue(),
          reader.get(e.getKey()));
      byte[] longer = java.util.Arrays.copyOf(e.getKey(), e.getKey().length + 1);
      if (!expected.containsKey(longer)) {
        assertNull("get of absent " + Bytes.toPrintable(longer), reader.get(longer));
      }
    }
  }

  /** Asserts that {@code r} runs into {@code type}, and returns it for message checks. */
  public static <T extends Throwable> T expect(Class<T> type, ThrowingRunnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      throw new AssertionError("expected " + type.getName() + " but got " + t, t);
    }
    fail("expected " + type.getName() + " but nothing was thrown");
    return null;
  }

  /** Asserts {@code text} contains each of {@code parts}. */
  public static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue("expected <" + part + "> in <" + text + ">", text != null && text.contains(part));
    }
  }

  /** Asserts {@code it} is exhausted. */
  public static void assertExhausted(KeyValueIterator it) throws IOException {
    assertFalse(it.hasNext());
    it.close();
  }

  /** A block of code that may throw anything. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    /** Runs the block. */
    void run() throws Throwable;
  }
}
