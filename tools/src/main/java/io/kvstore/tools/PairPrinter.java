package io.kvstore.tools;

import java.io.PrintStream;

/**
 * Prints keys and values in the user's encoding, a pair as {@code key TAB value} (the input
 * format of {@code create}). Tells when standard output has gone away (a pipe into
 * {@code head}) so a long scan can stop.
 */
final class PairPrinter {
  private final PrintStream out;
  private final ByteCodec codec;
  private final StringBuilder line = new StringBuilder(256);

  PairPrinter(CommandContext context) {
    this(context.out(), context.codec());
  }

  /** A printer to {@code out} (a file {@code export} writes) in {@code codec}. */
  PairPrinter(PrintStream out, ByteCodec codec) {
    this.out = out;
    this.codec = codec;
  }

  /** Prints one pair; returns false once output can no longer be written. */
  boolean pair(byte[] key, byte[] value) {
    line.setLength(0);
    codec.encode(line, key, 0, key.length);
    line.append('\t');
    codec.encode(line, value, 0, value.length);
    return println();
  }

  /** Prints one key or value alone; returns false once output can no longer be written. */
  boolean single(byte[] bytes) {
    line.setLength(0);
    codec.encode(line, bytes, 0, bytes.length);
    return println();
  }

  private boolean println() {
    out.append(line).append('\n');
    return !out.checkError();
  }
}
