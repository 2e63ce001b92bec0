package io.kvstore.tools;

import java.io.IOException;

/** Input data that cannot become a store: a malformed, unsorted or duplicate record. */
public final class BadInputException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and where (line or record number) */
  public BadInputException(String message) {
    super(message);
  }
}
