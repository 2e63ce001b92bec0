package io.kvstore.spark;

import io.kvstore.Bytes;
import io.kvstore.PartitionInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The keys a scan's pushed filters allow, as the conjunction of a key range (each end open,
 * inclusive or exclusive) and, when an equality or IN filter was pushed, a finite set of keys.
 * Keys compare as unsigned bytes, the store's order.
 */
final class KeyBounds implements Serializable {
  private static final long serialVersionUID = 1L;

  private byte[] lower;
  private boolean lowerInclusive;
  private byte[] upper;
  private boolean upperInclusive;
  /** The allowed keys, or null if no equality or IN filter was pushed. */
  private TreeSet<byte[]> points;

  /** Whether some filter constrains the keys. */
  boolean isConstrained() {
    return lower != null || upper != null || points != null;
  }

  /** Whether the keys are a finite set (point lookups). */
  boolean isPoints() {
    return points != null;
  }

  /** Restricts the keys to those in {@code keys}. */
  void restrictTo(Collection<byte[]> keys) {
    TreeSet<byte[]> set = new TreeSet<>(Bytes::compare);
    set.addAll(keys);
    if (points != null) {
      set.retainAll(points);
    }
    points = set;
  }

  /** Restricts the keys to those above (or at, if {@code inclusive}) {@code key}. */
  void restrictLower(byte[] key, boolean inclusive) {
    int c = lower == null ? 1 : Bytes.compare(key, lower);
    if (c > 0 || (c == 0 && !inclusive)) {
      lower = key.clone();
      lowerInclusive = inclusive;
    }
  }

  /** Restricts the keys to those below (or at, if {@code inclusive}) {@code key}. */
  void restrictUpper(byte[] key, boolean inclusive) {
    int c = upper == null ? -1 : Bytes.compare(key, upper);
    if (c < 0 || (c == 0 && !inclusive)) {
      upper = key.clone();
      upperInclusive = inclusive;
    }
  }

  /** Restricts the keys to those starting with {@code prefix}. */
  void restrictPrefix(byte[] prefix) {
    restrictLower(prefix, true);
    byte[] next = successorOfPrefix(prefix);
    if (next != null) {
      restrictUpper(next, false);
    }
  }

  /**
   * The least key greater than every key starting with {@code prefix}: the prefix without its
   * trailing 0xFF bytes, last byte incremented; null if there is none (all bytes 0xFF).
   */
  static byte[] successorOfPrefix(byte[] prefix) {
    int end = prefix.length;
    while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
      end--;
    }
    if (end == 0) {
      return null;
    }
    byte[] next = Arrays.copyOf(prefix, end);
    next[end - 1]++;
    return next;
  }

  /** Whether {@code key} is allowed. */
  boolean contains(byte[] key, int off, int len) {
    return aboveLower(key, off, len) && belowUpper(key, off, len)
        && (points == null || points.contains(Arrays.copyOfRange(key, off, off + len)));
  }

  /** Whether {@code key} is not below the range. */
  boolean aboveLower(byte[] key, int off, int len) {
    if (lower == null) {
      return true;
    }
    int c = Bytes.compare(key, off, len, lower, 0, lower.length);
    return c > 0 || (c == 0 && lowerInclusive);
  }

  /** Whether {@code key} is not above the range. */
  boolean belowUpper(byte[] key, int off, int len) {
    if (upper == null) {
      return true;
    }
    int c = Bytes.compare(key, off, len, upper, 0, upper.length);
    return c < 0 || (c == 0 && upperInclusive);
  }

  /** Whether no key lies in the range (its lower end is above its upper end). */
  boolean isEmptyRange() {
    if (lower == null || upper == null) {
      return false;
    }
    int c = Bytes.compare(lower, upper);
    return c > 0 || (c == 0 && !(lowerInclusive && upperInclusive));
  }

  /** Whether the range can hold a key of {@code p} (ignoring the points). */
  boolean overlaps(PartitionInfo p) {
    if (isEmptyRange()) {
      return false;
    }
    byte[] first = p.getFirstKey();
    byte[] last = p.getLastKey();
    return belowUpper(first, 0, first.length) && aboveLower(last, 0, last.length);
  }

  /** The allowed points, in key order (only if {@link #isPoints()}). */
  List<byte[]> points() {
    List<byte[]> inRange = new ArrayList<>();
    for (byte[] k : points) {
      if (aboveLower(k, 0, k.length) && belowUpper(k, 0, k.length)) {
        inRange.add(k);
      }
    }
    return inRange;
  }

  /** The range alone, for a range scan of one partition. */
  KeyBounds rangeOnly() {
    KeyBounds r = new KeyBounds();
    r.lower = lower;
    r.lowerInclusive = lowerInclusive;
    r.upper = upper;
    r.upperInclusive = upperInclusive;
    return r;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (points != null) {
      s.append(points.size()).append(" keys ");
    }
    s.append(lower == null ? "(-inf" : (lowerInclusive ? "[" : "(") + Bytes.toPrintable(lower))
        .append(", ")
        .append(upper == null ? "+inf)" : Bytes.toPrintable(upper) + (upperInclusive ? "]" : ")"));
    return s.toString();
  }
}
