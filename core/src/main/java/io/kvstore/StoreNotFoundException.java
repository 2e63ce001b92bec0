package io.kvstore;

import java.io.FileNotFoundException;

/** Nothing exists at the path named as a store. */
public class StoreNotFoundException extends FileNotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param path the path that does not exist */
  public StoreNotFoundException(Object path) {
    super("No key-value store at " + path + ": the path does not exist");
  }

  /**
   * @param path where a store or table version was looked for
   * @param detail why none is there
   */
  public StoreNotFoundException(Object path, String detail) {
    super("No key-value store at " + path + ": " + detail);
  }
}
