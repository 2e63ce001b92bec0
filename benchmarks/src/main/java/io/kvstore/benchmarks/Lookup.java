package io.kvstore.benchmarks;

import java.io.Closeable;
import java.io.IOException;

/** An open store, as a lookup function. */
public interface Lookup extends Closeable {

  /** The value of {@code key}, or null if absent. */
  byte[] get(byte[] key) throws IOException;

  /**
   * The values of {@code keys}, null for absent ones. Systems without a batch lookup (every peer)
   * look the keys up one after another, which is what their users do.
   */
  default byte[][] getAll(byte[][] keys) throws IOException {
    byte[][] values = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      values[i] = get(keys[i]);
    }
    return values;
  }

  /**
   * Copies the value of {@code key} into {@code dest}: its length, or -1 if absent. Systems
   * without such a copy allocate the value and copy it.
   */
  default int getInto(byte[] key, byte[] dest) throws IOException {
    byte[] value = get(key);
    if (value == null) {
      return -1;
    }
    if (value.length <= dest.length) {
      System.arraycopy(value, 0, dest, 0, value.length);
    }
    return value.length;
  }

  /**
   * A handle another thread may use concurrently with this one: the same object for thread-safe
   * readers, a second reader for those that are not (PalDB, MapFile, Sparkey).
   */
  Lookup forThread() throws IOException;
}
