package io.kvstore;

import java.io.IOException;

/** The path exists but holds something that is not a key-value store. */
public class NotAStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param path the path
   * @param what what was found there instead
   */
  public NotAStoreException(Object path, String what) {
    super("The path " + path + " exists but is not a key-value store: " + what);
  }
}
