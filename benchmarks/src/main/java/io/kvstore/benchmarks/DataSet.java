package io.kvstore.benchmarks;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmark pairs, generated deterministically from a seed so every system and every forked
 * JVM sees the same bytes without storing them.
 *
 * <p>A key is 16 bytes: the big-endian 64-bit word {@code hi} followed by {@code mix(hi)}. Keys are
 * kept as their {@code hi} words only, sorted in unsigned order, which is the unsigned byte order
 * of the keys because the second word is a function of the first. Values are a function of the
 * key. An absent key has a second word of {@code mix(hi) ^ 1}, so it can never equal a present key.
 */
public final class DataSet {
  /** Bytes of every key. */
  public static final int KEY_LENGTH = 16;

  /** What the values look like. */
  public enum ValueKind {
    /** Eight bytes unique to the key, then random bytes of a shared pad (workloads 1 to 7). */
    PAD(""),
    /** Random bytes unique to every value: incompressible. */
    RANDOM(" random"),
    /**
     * JSON-like user profiles: repeated field names, numbers, a few words from small lists,
     * cut or space-padded to the value length.
     */
    TEXT(" text"),
    /**
     * Web server access-log lines in Apache's combined format (client address, time, request
     * path with ids, status, size, referrer, user agent from a list of common browsers): a
     * real-world-like text whose fields vary more than the profiles'. Cut or padded likewise.
     */
    LOGS(" logs");

    final String suffix;

    ValueKind(String suffix) {
      this.suffix = suffix;
    }
  }

  private final int keyCount;
  private final int valueLength;
  private final long seed;
  private final ValueKind kind;
  /** Offsets into the pad a value may start at; a power of two. */
  private static final int PAD_SLACK = 4096;

  private final long[] sortedHi;
  private final byte[] pad;

  private DataSet(int keyCount, int valueLength, long seed, long[] sortedHi, ValueKind kind) {
    this.kind = kind;
    this.keyCount = keyCount;
    this.valueLength = valueLength;
    this.seed = seed;
    this.sortedHi = sortedHi;
    this.pad = new byte[valueLength + PAD_SLACK];
    new SplittableRandom(seed ^ 0x5DEECE66DL).nextBytes(pad);
  }

  /**
   * Generates {@code keyCount} distinct keys from {@code seed}.
   *
   * @param keyCount number of pairs, at least 1
   * @param valueLength bytes of every value
   * @param seed the generator seed; the same seed gives the same pairs
   */
  public static DataSet generate(int keyCount, int valueLength, long seed) {
    return generate(keyCount, valueLength, seed, ValueKind.PAD);
  }

  /** {@link #generate(int, int, long)} with values of {@code kind}. */
  public static DataSet generate(int keyCount, int valueLength, long seed, ValueKind kind) {
    if (keyCount < 1 || valueLength < 0) {
      throw new IllegalArgumentException("keyCount " + keyCount + ", valueLength " + valueLength);
    }
    SplittableRandom random = new SplittableRandom(seed);
    long[] keys = new long[keyCount];
    int filled = 0;
    // Random 64-bit words collide with odds ~N^2/2^65; refill until every key is distinct.
    while (filled < keyCount) {
      for (int i = filled; i < keyCount; i++) {
        keys[i] = random.nextLong() ^ Long.MIN_VALUE;
      }
      Arrays.sort(keys, 0, keyCount);
      filled = dedupe(keys, keyCount);
    }
    for (int i = 0; i < keyCount; i++) {
      keys[i] ^= Long.MIN_VALUE;
    }
    return new DataSet(keyCount, valueLength, seed, keys, kind);
  }

  private static int dedupe(long[] keys, int n) {
    int out = 1;
    for (int i = 1; i < n; i++) {
      if (keys[i] != keys[out - 1]) {
        keys[out++] = keys[i];
      }
    }
    return out;
  }

  /** Number of pairs. */
  public int keyCount() {
    return keyCount;
  }

  /** Bytes of every value. */
  public int valueLength() {
    return valueLength;
  }

  /** The generator seed. */
  public long seed() {
    return seed;
  }

  /** Bytes of keys and values together: what every system is given to store. */
  public long payloadBytes() {
    return (long) keyCount * (KEY_LENGTH + valueLength);
  }

  /** What the values look like. */
  public ValueKind kind() {
    return kind;
  }

  /** A short name such as {@code 1M x 100 B} or {@code 1M x 200 B text}. */
  public String label() {
    return countLabel(keyCount) + " x " + sizeLabel(valueLength) + kind.suffix;
  }

  /** What a system does with one pair once its bytes are in the caller's buffers. */
  interface PairAction {
    /** Consumes the pair now in the buffers; they are overwritten by the next pair. */
    void run() throws IOException;
  }

  /**
   * Puts every pair in key order into {@code key} ({@link #KEY_LENGTH} bytes) and {@code value}
   * ({@link #valueLength()} bytes), running {@code action} after each: the one loop with which
   * every system builds its store from the data set.
   */
  public void forEachPair(byte[] key, byte[] value, PairAction action) throws IOException {
    for (int i = 0; i < keyCount(); i++) {
      long hi = hiAt(i);
      presentKey(hi, key);
      valueOf(hi, value);
      action.run();
    }
  }

  /** The first word of the {@code index}-th key in sorted order. */
  public long hiAt(int index) {
    return sortedHi[index];
  }

  /** Writes the {@code index}-th key in sorted order into {@code dst} (16 bytes). */
  public void keyAt(int index, byte[] dst) {
    presentKey(sortedHi[index], dst);
  }

  /** Writes the present key whose first word is {@code hi} into {@code dst}. */
  public static void presentKey(long hi, byte[] dst) {
    putLong(dst, 0, hi);
    putLong(dst, 8, mix(hi));
  }

  /** Writes a key that is in no data set whose first word is {@code hi} into {@code dst}. */
  public static void absentKey(long hi, byte[] dst) {
    putLong(dst, 0, hi);
    putLong(dst, 8, mix(hi) ^ 1);
  }

  /**
   * Writes the value of the key whose first word is {@code hi} into {@code dst}: eight bytes
   * unique to the key, then bytes of a fixed random pad at an offset the key chooses (kind PAD). A
   * copy keeps the harness's own share of a build small; workloads 1 to 7 compress nothing, so the
   * pad's reuse is moot. Other kinds are generated from the key ({@link ValueText}).
   */
  public void valueOf(long hi, byte[] dst) {
    if (kind != ValueKind.PAD) {
      ValueText.fill(kind, mix(hi ^ seed), dst, valueLength);
      return;
    }
    long unique = mix(hi + 0x9E3779B97F4A7C15L);
    int head = Math.min(8, valueLength);
    for (int i = 0; i < head; i++) {
      dst[i] = (byte) unique;
      unique >>>= 8;
    }
    if (valueLength > 8) {
      System.arraycopy(pad, (int) (hi & (PAD_SLACK - 1)), dst, 8, valueLength - 8);
    }
  }

  /**
   * {@code count} first words of present keys in a random order (seeded), for lookups: reading
   * them in sequence keeps the harness's own memory traffic out of the figure.
   */
  public long[] lookupOrder(int count, long orderSeed) {
    SplittableRandom random = new SplittableRandom(orderSeed);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = sortedHi[random.nextInt(keyCount)];
    }
    return out;
  }

  /** {@code count} random first words for absent keys, built with {@link #absentKey}. */
  public static long[] randomWords(int count, long orderSeed) {
    SplittableRandom random = new SplittableRandom(orderSeed);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = random.nextLong();
    }
    return out;
  }

  /** Stafford's variant 13 of the SplitMix64 finaliser: a bijective 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void putLong(byte[] dst, int pos, long v) {
    for (int i = 7; i >= 0; i--) {
      dst[pos + i] = (byte) v;
      v >>>= 8;
    }
  }

  static String countLabel(long n) {
    if (n >= 1_000_000 && n % 1_000_000 == 0) {
      return (n / 1_000_000) + "M";
    }
    if (n >= 1_000 && n % 1_000 == 0) {
      return (n / 1_000) + "k";
    }
    return Long.toString(n);
  }

  static String sizeLabel(int bytes) {
    if (bytes >= 1000 && bytes % 1000 == 0) {
      return (bytes / 1000) + "k B";
    }
    return bytes + " B";
  }
}
