package io.kvstore;

import java.io.IOException;

/**
 * A store file is damaged, truncated or not a kvstore file. The message names the file and what
 * is wrong with it. kvstore never returns data from a file that fails its checks.
 */
public class CorruptStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String problem;

  /**
   * @param file the damaged file
   * @param problem what is wrong
   */
  public CorruptStoreException(Object file, String problem) {
    super("Corrupt key-value store file " + file + ": " + problem);
    this.file = String.valueOf(file);
    this.problem = problem;
  }

  /**
   * @param file the damaged file
   * @param problem what is wrong
   * @param cause the lower-level error
   */
  public CorruptStoreException(Object file, String problem, Throwable cause) {
    super("Corrupt key-value store file " + file + ": " + problem, cause);
    this.file = String.valueOf(file);
    this.problem = problem;
  }

  /** The damaged file. */
  public String getFile() {
    return file;
  }

  /** What is wrong with the file, without its name. */
  public String getProblem() {
    return problem;
  }
}
