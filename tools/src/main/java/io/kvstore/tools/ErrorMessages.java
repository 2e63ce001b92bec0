package io.kvstore.tools;

import java.io.FileNotFoundException;
import org.apache.hadoop.fs.FileAlreadyExistsException;

/** Turns exceptions into the one line the user sees. */
final class ErrorMessages {
  /**
   * Java API calls that library messages name as the remedy, and the command that does the same
   * in the CLI: a CLI user has no API to call.
   */
  private static final String[][] API_TO_COMMAND = {
    {"(KeyValueSystem.deleteStore)", "(kvstore rm)"},
    {"deleteStore removes it", "kvstore rm removes it, or if its manifest was lost (no writer"
        + " died), kvstore repair rebuilds one from the partitions"},
  };

  private ErrorMessages() {}

  /** The first line of the message, with the kind of failure where the message alone is unclear. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    for (String[] replacement : API_TO_COMMAND) {
      line = line.replace(replacement[0], replacement[1]);
    }
    // Hadoop often puts just the path in these messages.
    boolean bare = line.indexOf(' ') < 0;
    if (e instanceof FileAlreadyExistsException && bare) {
      return line + " already exists";
    }
    if (e instanceof FileNotFoundException && bare) {
      return line + " not found";
    }
    if (!(e instanceof java.io.IOException) && !(e instanceof IllegalArgumentException)
        && !(e instanceof IllegalStateException)) {
      return e.getClass().getSimpleName() + ": " + line;
    }
    return line;
  }

  /** A hint for unexpected failures, which only a stack trace can explain. */
  static String debugHint(Throwable e) {
    return e instanceof java.io.IOException || e instanceof IllegalArgumentException ? ""
        : " (--debug shows the stack trace)";
  }
}
