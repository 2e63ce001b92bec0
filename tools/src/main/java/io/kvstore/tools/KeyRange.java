package io.kvstore.tools;

import io.kvstore.Bytes;

/**
 * A key range given by {@code --from}, {@code --to} and {@code --prefix}, shared by the commands
 * that read a range ({@code scan}, {@code count}, {@code export}).
 */
final class KeyRange {
  /** Inclusive start, or null for the first key. */
  final byte[] from;
  /** Exclusive end, or null for past the last key. */
  final byte[] to;

  private KeyRange(byte[] from, byte[] to) {
    this.from = from;
    this.to = to;
  }

  /** Adds the range options to {@code spec}. */
  static OptionSpec options(OptionSpec spec) {
    return spec.valued("--from").valued("--to").valued("--prefix");
  }

  /** Help lines for the range options. */
  static String help() {
    return "  --from KEY       start at KEY (inclusive)\n"
        + "  --to KEY         stop before KEY (exclusive)\n"
        + "  --prefix PREFIX  only keys starting with PREFIX (combines with --from/--to)\n";
  }

  /** The range the arguments give, decoded with the user's codec. */
  static KeyRange of(CommandContext context, Arguments args) {
    ByteCodec codec = context.codec();
    byte[] from = args.has("--from") ? Codecs.decodeArgument(codec, args.value("--from"), "--from")
        : null;
    byte[] to = args.has("--to") ? Codecs.decodeArgument(codec, args.value("--to"), "--to") : null;
    if (args.has("--prefix")) {
      byte[] prefix = Codecs.decodeArgument(codec, args.value("--prefix"), "--prefix");
      if (from == null || Bytes.compare(prefix, from) > 0) {
        from = prefix;
      }
      byte[] prefixEnd = Codecs.prefixEnd(prefix);
      if (prefixEnd != null && (to == null || Bytes.compare(prefixEnd, to) < 0)) {
        to = prefixEnd;
      }
    }
    return new KeyRange(from, to);
  }

  /** Whether no bound was given: the whole store. */
  boolean isAll() {
    return from == null && to == null;
  }

  /**
   * Whether no key can lie in the range; if so, says so on stderr for {@code command} (most
   * likely the bounds are swapped).
   */
  boolean reportIfEmpty(CommandContext context, String command) {
    if (from != null && to != null && Bytes.compare(from, to) >= 0) {
      context.err().println("kvstore " + command + ": the range is empty: its start "
          + context.codec().display(from) + " does not sort before its end "
          + context.codec().display(to) + " (exclusive)");
      return true;
    }
    return false;
  }
}
