package io.kvstore.tools;

/** Decoding of keys typed as arguments, with usage errors that say which argument is wrong. */
final class Codecs {
  private Codecs() {}

  /**
   * Decodes an argument.
   *
   * @param what what the argument is, for the message ("key", "--from")
   * @throws UsageException if it is not valid in the codec
   */
  static byte[] decodeArgument(ByteCodec codec, String text, String what) {
    try {
      return codec.decode(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(what + " '" + text + "' is not valid " + codec.name().toLowerCase(
          java.util.Locale.ROOT) + ": " + e.getMessage());
    }
  }

  /** The smallest key greater than every key starting with {@code prefix}; null if none. */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = java.util.Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }
}
