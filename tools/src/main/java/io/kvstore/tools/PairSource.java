package io.kvstore.tools;

import java.io.Closeable;
import java.io.IOException;

/** Pairs read from some input, one at a time, with where each came from for error messages. */
interface PairSource extends Closeable {
  /**
   * Moves to the next pair.
   *
   * @return false at the end of the input
   * @throws BadInputException if the next record is malformed
   */
  boolean next() throws IOException;

  /** The current key; valid until {@link #next()}. */
  byte[] key();

  /** The current value; valid until {@link #next()}. */
  byte[] value();

  /** Where the current pair came from, such as {@code "line 12"}. */
  String position();

  /** Input bytes consumed so far, for progress. */
  long bytesRead();
}
