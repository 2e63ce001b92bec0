package io.kvstore.benchmarks;

import java.io.Closeable;
import java.io.IOException;

/** An open store, as a lookup function. */
public interface Lookup extends Closeable {

  /** The value of {@code key}, or null if absent. */
  byte[] get(byte[] key) throws IOException;

  /**
   * A handle another thread may use concurrently with this one: the same object for thread-safe
   * readers, a second reader for those that are not (PalDB, MapFile, Sparkey).
   */
  Lookup forThread() throws IOException;
}
