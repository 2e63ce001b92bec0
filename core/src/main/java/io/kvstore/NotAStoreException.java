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
    this("The path " + path + " exists but is not a key-value store: ", what);
  }

  private final String what;

  private NotAStoreException(String prefix, String what) {
    super(prefix + what);
    this.what = what;
  }

  /** What was found at the path instead, as the message ends. */
  public String what() {
    return what;
  }

  /**
   * The path exists but is not a table (it may be a store), for operations on tables only.
   *
   * @param path the path
   * @param what what was found there instead
   */
  public static NotAStoreException notATable(Object path, String what) {
    return new NotAStoreException("The path " + path + " exists but is not a kvstore table: ",
        what);
  }

  /**
   * The path exists but is neither a store nor a table, for operations on both.
   *
   * @param path the path
   * @param what what was found there instead
   */
  public static NotAStoreException neitherStoreNorTable(Object path, String what) {
    return new NotAStoreException("The path " + path
        + " exists but is neither a kvstore store nor a table: ", what);
  }
}
