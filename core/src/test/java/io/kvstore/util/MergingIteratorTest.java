package io.kvstore.util;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.kvstore.Bytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** The one k-way merge: order, stability, duplicates, laziness and closing. */
public class MergingIteratorTest {
  /** Bytes on both sides of the signed/unsigned boundary. */
  private static final byte[] EDGES = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0x81, (byte) 0xFF};

  /** Keys of a list, sorted by the caller; records how it was used. */
  static final class ListSource implements SortedSource {
    final int id;
    final List<byte[]> keys;
    int index = -1;
    int advances;
    int closes;
    IOException failAdvance;
    IOException failClose;

    ListSource(int id, List<byte[]> keys) {
      this.id = id;
      this.keys = keys;
    }

    ListSource(int id, byte[]... keys) {
      this(id, Arrays.asList(keys));
    }

    @Override
    public boolean advance() throws IOException {
      assertEquals("advanced after close", 0, closes);
      advances++;
      if (failAdvance != null) {
        throw failAdvance;
      }
      return ++index < keys.size();
    }

    @Override
    public byte[] keyBuffer() {
      // Offset views, as a scanner's buffer gives: the merge must honour offset and length.
      byte[] k = keys.get(index);
      byte[] padded = new byte[k.length + 3];
      padded[0] = (byte) 0xFF;
      padded[padded.length - 1] = (byte) 0xFF;
      System.arraycopy(k, 0, padded, 2, k.length);
      return padded;
    }

    @Override
    public int keyOffset() {
      return 2;
    }

    @Override
    public int keyLength() {
      return keys.get(index).length;
    }

    byte[] key() {
      return keys.get(index);
    }

    @Override
    public void close() throws IOException {
      closes++;
      if (failClose != null) {
        throw failClose;
      }
    }
  }

  /** One entry out of a merge: which source, which position, which key. */
  private static String entry(ListSource s) {
    return s.id + "/" + s.index + "/" + Bytes.toHex(s.key());
  }

  private static List<String> drain(MergingIterator<ListSource> merge) throws IOException {
    List<String> out = new ArrayList<>();
    for (ListSource s = merge.next(); s != null; s = merge.next()) {
      out.add(entry(s));
    }
    return out;
  }

  private static byte[] randomKey(Random random) {
    byte[] key = new byte[random.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = random.nextInt(3) == 0 ? EDGES[random.nextInt(EDGES.length)]
          : (byte) random.nextInt(256);
    }
    return key;
  }

  @Test
  public void mergeEqualsAStableSortOfTheUnion() throws IOException {
    Random random = new Random(20261203L);
    for (int round = 0; round < 300; round++) {
      int k = random.nextInt(12);
      List<ListSource> sources = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      List<Object[]> union = new ArrayList<>();
      for (int id = 0; id < k; id++) {
        List<byte[]> keys = new ArrayList<>();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
          // Few distinct keys, so duplicates within and between sources are common.
          keys.add(random.nextBoolean() ? randomKey(random) : new byte[] {EDGES[random.nextInt(2)
              + 2]});
        }
        keys.sort(Bytes::compare);
        sources.add(new ListSource(id, keys));
        for (int i = 0; i < keys.size(); i++) {
          union.add(new Object[] {keys.get(i), id, i});
        }
      }
      union.sort(Comparator.<Object[], byte[]>comparing(e -> (byte[]) e[0], Bytes::compare)
          .thenComparing(e -> (Integer) e[1]).thenComparing(e -> (Integer) e[2]));
      for (Object[] e : union) {
        expected.add(e[1] + "/" + e[2] + "/" + Bytes.toHex((byte[]) e[0]));
      }
      try (MergingIterator<ListSource> merge = new MergingIterator<>(null)) {
        for (ListSource s : sources) {
          merge.add(s);
        }
        assertEquals("round " + round, expected, drain(merge));
      }
      for (ListSource s : sources) {
        assertEquals("each source closed once", 1, s.closes);
      }
    }
  }

  @Test
  public void keysAreInUnsignedByteOrder() throws IOException {
    try (MergingIterator<ListSource> merge = new MergingIterator<>(null)) {
      merge.add(new ListSource(0, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF}));
      merge.add(new ListSource(1, new byte[] {}, new byte[] {0x00}, new byte[] {0x7F},
          new byte[] {0x7F, 0x00}));
      List<String> keys = new ArrayList<>();
      for (ListSource s = merge.next(); s != null; s = merge.next()) {
        keys.add(Bytes.toHex(s.key()));
      }
      assertEquals(List.of("", "00", "7F", "7F00", "80", "FF"), keys);
    }
  }

  @Test
  public void noSourcesAndEmptySourcesGiveNothing() throws IOException {
    try (MergingIterator<ListSource> merge = new MergingIterator<>(null)) {
      assertNull(merge.peek());
      assertNull(merge.next());
      assertEquals(0, merge.sourcesLeft());
    }
    ListSource a = new ListSource(0);
    ListSource b = new ListSource(1);
    try (MergingIterator<ListSource> merge = new MergingIterator<>(null)) {
      merge.add(a);
      merge.add(b);
      assertEquals("empty sources are closed when added", 1, a.closes);
      assertEquals(0, merge.sourcesLeft());
      assertNull(merge.next());
    }
    assertEquals(1, b.closes);
  }

  @Test
  public void oneSourceComesOutAsItIs() throws IOException {
    ListSource only = new ListSource(0, new byte[] {1}, new byte[] {1}, new byte[] {2});
    try (MergingIterator<ListSource> merge = new MergingIterator<>((key, x, y) -> {
      throw new AssertionError("one source has no duplicate across sources");
    })) {
      merge.add(only);
      assertEquals(List.of("0/0/01", "0/1/01", "0/2/02"), drain(merge));
    }
    assertEquals(1, only.closes);
  }

  @Test
  public void thousandsOfSources() throws IOException {
    int k = 5000;
    List<ListSource> sources = new ArrayList<>();
    try (MergingIterator<ListSource> merge = new MergingIterator<>(null)) {
      for (int id = 0; id < k; id++) {
        // Source id holds id, id + k, id + 2k: the merge must interleave all of them.
        ListSource s = new ListSource(id, be(id), be(id + k), be(id + 2 * k));
        sources.add(s);
        merge.add(s);
      }
      assertEquals(k, merge.sourcesLeft());
      int expected = 0;
      for (ListSource s = merge.next(); s != null; s = merge.next()) {
        assertArrayEquals(be(expected), s.key());
        expected++;
      }
      assertEquals(3 * k, expected);
    }
    for (ListSource s : sources) {
      assertEquals(1, s.closes);
      assertEquals("one advance per entry and one to find the end", 4, s.advances);
    }
  }

  private static byte[] be(int i) {
    return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
  }

  @Test
  public void aKeyInTwoSourcesReachesTheHandlerWithBothSourcesEarlierFirst() throws IOException {
    ListSource a = new ListSource(0, new byte[] {1}, new byte[] {(byte) 0x80});
    ListSource b = new ListSource(1, new byte[] {0}, new byte[] {(byte) 0x80},
        new byte[] {(byte) 0x90});
    ListSource c = new ListSource(2, new byte[] {(byte) 0x80});
    List<String> reports = new ArrayList<>();
    try (MergingIterator<ListSource> merge = new MergingIterator<>((key, x, y) -> {
      reports.add(Bytes.toHex(key) + " " + x.id + "+" + y.id);
      assertArrayEquals(key, x.key());
      assertArrayEquals(key, y.key());
    })) {
      merge.add(c);
      merge.add(a);
      merge.add(b);
      // Equal keys come out in the order the sources were added: c, a, b.
      assertEquals(List.of("1/0/00", "0/0/01", "2/0/80", "0/1/80", "1/1/80", "1/2/90"),
          drain(merge));
    }
    assertEquals(List.of("80 2+0", "80 0+1"), reports);
  }

  @Test
  public void equalKeysWithinOneSourceAreNoDuplicateAcrossSources() throws IOException {
    ListSource a = new ListSource(0, new byte[] {5}, new byte[] {5}, new byte[] {6});
    ListSource b = new ListSource(1, new byte[] {4}, new byte[] {7});
    try (MergingIterator<ListSource> merge = new MergingIterator<>((key, x, y) -> {
      throw new AssertionError("reported " + Bytes.toHex(key));
    })) {
      merge.add(a);
      merge.add(b);
      assertEquals(List.of("1/0/04", "0/0/05", "0/1/05", "0/2/06", "1/1/07"), drain(merge));
    }
  }

  @Test
  public void aHandlerThatThrowsStopsTheMergeAndCloseClosesEverySource() throws IOException {
    ListSource a = new ListSource(0, new byte[] {1}, new byte[] {2}, new byte[] {3});
    ListSource b = new ListSource(1, new byte[] {2}, new byte[] {9});
    ListSource c = new ListSource(2, new byte[] {8});
    MergingIterator<ListSource> merge = new MergingIterator<>((key, x, y) -> {
      throw new IOException("duplicate " + Bytes.toHex(key) + " in " + x.id + " and " + y.id);
    });
    merge.add(a);
    merge.add(b);
    merge.add(c);
    assertSame(a, merge.next());
    IOException e = assertThrows(IOException.class, merge::next);
    assertEquals("duplicate 02 in 0 and 1", e.getMessage());
    merge.close();
    assertEquals(1, a.closes);
    assertEquals(1, b.closes);
    assertEquals(1, c.closes);
    merge.close();
    assertEquals("closing twice closes nothing twice", 1, a.closes);
    assertThrows(IllegalStateException.class, merge::next);
  }

  @Test
  public void sourcesAreAdvancedOnlyWhenTheMergeNeedsTheirNextKey() throws IOException {
    ListSource a = new ListSource(0, new byte[] {1}, new byte[] {3});
    ListSource b = new ListSource(1, new byte[] {2});
    try (MergingIterator<ListSource> merge = new MergingIterator<>(null)) {
      merge.add(a);
      assertEquals("positioned on its first key when added", 1, a.advances);
      assertSame(a, merge.peek());
      assertSame("peek takes nothing", a, merge.peek());
      assertSame(a, merge.next());
      assertEquals("the entry taken stays valid until the next call", 1, a.advances);
      assertArrayEquals(new byte[] {1}, a.key());
      // A source added while merging joins in key order.
      merge.add(b);
      assertEquals(2, a.advances);
      assertSame(b, merge.next());
      assertEquals(2, merge.sourcesLeft());
      assertSame(a, merge.next());
      assertEquals(1, b.closes);
      assertEquals("a source that ended is closed at once", 1, merge.sourcesLeft());
      assertNull(merge.next());
      assertEquals(1, a.closes);
    }
    assertEquals(1, a.closes);
  }

  @Test
  public void aSourceThatFailsIsClosedAndTheErrorPropagates() throws IOException {
    ListSource a = new ListSource(0, new byte[] {1}, new byte[] {3});
    ListSource b = new ListSource(1, new byte[] {2});
    MergingIterator<ListSource> merge = new MergingIterator<>(null);
    merge.add(a);
    merge.add(b);
    assertSame(a, merge.next());
    a.failAdvance = new IOException("disk gone");
    a.failClose = new IOException("close failed too");
    IOException e = assertThrows(IOException.class, merge::next);
    assertEquals("disk gone", e.getMessage());
    assertEquals("close failed too", e.getSuppressed()[0].getMessage());
    assertEquals(1, a.closes);
    assertSame("the merge goes on with the others", b, merge.next());
    merge.close();
    assertEquals(1, b.closes);

    ListSource failing = new ListSource(2, new byte[] {1});
    failing.failAdvance = new IOException("cannot read the first key");
    try (MergingIterator<ListSource> other = new MergingIterator<>(null)) {
      assertThrows(IOException.class, () -> other.add(failing));
      assertEquals(1, failing.closes);
      assertEquals(0, other.sourcesLeft());
    }
  }

  @Test
  public void closeCarriesEveryFailure() throws IOException {
    ListSource a = new ListSource(0, new byte[] {1});
    ListSource b = new ListSource(1, new byte[] {2});
    ListSource c = new ListSource(2, new byte[] {3});
    a.failClose = new IOException("a");
    c.failClose = new IOException("c");
    MergingIterator<ListSource> merge = new MergingIterator<>(null);
    merge.add(a);
    merge.add(b);
    merge.add(c);
    IOException e = assertThrows(IOException.class, merge::close);
    List<String> messages = new ArrayList<>();
    messages.add(e.getMessage());
    for (Throwable s : e.getSuppressed()) {
      messages.add(s.getMessage());
    }
    messages.sort(null);
    assertEquals(List.of("a", "c"), messages);
    assertEquals(1, b.closes);
    ListSource late = new ListSource(3, new byte[] {4});
    assertThrows(IllegalStateException.class, () -> merge.add(late));
    assertEquals("a source added to a closed merge is closed", 1, late.closes);
    assertFalse(late.advances > 0);
    assertTrue(e.getSuppressed().length == 1);
  }
}
