package io.kvstore.tools;

/**
 * The command line is wrong: unknown command or option, missing or extra argument, bad value.
 * The tool prints the message and the command's synopsis and exits with status 2.
 */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, phrased for the user */
  public UsageException(String message) {
    super(message);
  }
}
