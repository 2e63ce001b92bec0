package io.kvstore;

import java.util.Arrays;
import java.util.Objects;

/** One key and its value. The arrays belong to the pair; they are never reused by kvstore. */
public final class KeyValuePair {
  private final byte[] key;
  private final byte[] value;

  /** A pair of the given arrays (not copied). */
  public KeyValuePair(byte[] key, byte[] value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The key's bytes. */
  public byte[] getKey() {
    return key;
  }

  /** The value's bytes. */
  public byte[] getValue() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyValuePair)) {
      return false;
    }
    KeyValuePair other = (KeyValuePair) o;
    return Arrays.equals(key, other.key) && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return Bytes.toPrintable(key) + "=" + Bytes.toPrintable(value, 64);
  }
}
