package io.kvstore;

import java.io.IOException;

/**
 * A store file could not be read because the filesystem failed (for example every replica of an
 * HDFS block is missing or corrupt, or a datanode is unreachable), as opposed to a file that was
 * read and found damaged ({@link CorruptStoreException}). The message names the file and the
 * offset; the cause is the filesystem's own error.
 */
public class StoreReadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  /**
   * @param file the file being read
   * @param offset where the failed read started, or -1 for a failure while opening the file
   *     (reading its footer and indexes)
   * @param cause the filesystem's error
   */
  public StoreReadException(Object file, long offset, IOException cause) {
    super("Could not read key-value store file " + file
        + (offset < 0 ? " while opening it" : " at offset " + offset) + ": " + cause, cause);
    this.file = String.valueOf(file);
    this.offset = offset;
  }

  /** The file that could not be read. */
  public String getFile() {
    return file;
  }

  /** Where the failed read started, or -1 if it failed while opening the file. */
  public long getOffset() {
    return offset;
  }
}
