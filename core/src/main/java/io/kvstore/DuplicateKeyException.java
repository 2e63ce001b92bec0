package io.kvstore;

import java.io.IOException;

/** Two stores (or two partitions of one) hold the same key where keys must be unique. */
public class DuplicateKeyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final byte[] key;

  /**
   * @param key the key found twice
   * @param where where it was found (both files or stores)
   */
  public DuplicateKeyException(byte[] key, String where) {
    super("The key " + Bytes.toPrintable(key) + " is present in both " + where);
    this.key = key.clone();
  }

  /** The duplicated key. */
  public byte[] getKey() {
    return key.clone();
  }
}
