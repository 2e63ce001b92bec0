package io.kvstore.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit key hash of kvstore's partition index and of {@link BucketFunction#KVSTORE_HASH64}.
 * Reads eight bytes at a time; every input bit affects every output bit through a final
 * avalanche. Its definition is part of the file format (docs/format.md): never change it without
 * a new hash function id.
 */
public final class KeyHash {
  /** Id recorded in partition footers for this function. */
  public static final int FUNCTION_ID = 1;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long P1 = 0x9E3779B97F4A7C15L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;

  private KeyHash() {}

  /** Hash of {@code key[off, off + len)} under {@code seed}. */
  public static long hash64(byte[] key, int off, int len, long seed) {
    long h = seed ^ (len * P1);
    int i = off;
    int end = off + len;
    while (end - i >= 8) {
      long k = (long) LONG_LE.get(key, i);
      h ^= Long.rotateLeft(k * P2, 31) * P1;
      h = Long.rotateLeft(h, 27) * P1 + P3;
      i += 8;
    }
    if (i < end) {
      long tail = 0;
      int shift = 0;
      while (i < end) {
        tail |= (key[i++] & 0xFFL) << shift;
        shift += 8;
      }
      h ^= Long.rotateLeft(tail * P2, 31) * P1;
      h = Long.rotateLeft(h, 27) * P1 + P3;
    }
    return avalanche(h);
  }

  /** Hash of a whole array. */
  public static long hash64(byte[] key, long seed) {
    return hash64(key, 0, key.length, seed);
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * Maps a hash to {@code [0, n)} without division, from its high 32 bits (Lemire's
   * multiply-shift range reduction); {@code n} at most {@code 2^31 - 1}.
   */
  public static int reduce(long hash, int n) {
    return (int) (((hash >>> 32) * n) >>> 32);
  }
}
