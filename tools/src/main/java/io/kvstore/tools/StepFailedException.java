package io.kvstore.tools;

import java.io.IOException;

/** A step of the self-test found the system behaving wrongly. */
final class StepFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  StepFailedException(String message) {
    super(message);
  }
}
