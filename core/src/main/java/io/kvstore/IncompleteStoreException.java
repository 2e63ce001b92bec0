package io.kvstore;

import java.io.IOException;

/**
 * The path is a store whose writer (or job) never published its manifest: it is still being
 * written, or its writer died. {@link KeyValueSystem#deleteStore} removes it.
 */
public class IncompleteStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param path the store's directory */
  public IncompleteStoreException(Object path) {
    super("The key-value store at " + path + " is incomplete: its writer has not closed it"
        + " (still writing, or it died); deleteStore removes it");
  }
}
