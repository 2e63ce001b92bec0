package io.kvstore.commit;

import io.kvstore.fs.FileOperations;
import io.kvstore.fs.ForwardingFileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

/**
 * The operations a task attempt's writer uses: every file is created non-recursively, so its
 * directory must exist. Filesystems create missing parents, so otherwise an attempt that keeps
 * running after its task or job was aborted would recreate the deleted directories, leaving
 * litter where a store is meant to be (and a path that a new job then refuses). A check for the
 * directory before a recursive create would not do: the abort can land between the two.
 */
public final class AttemptFileOperations extends ForwardingFileOperations {
  private final String attempt;

  /**
   * @param delegate the operations to forward to
   * @param attempt the attempt's id, for messages
   */
  public AttemptFileOperations(FileOperations delegate, String attempt) {
    super(delegate);
    this.attempt = attempt;
  }

  /** Creates the file non-recursively: fails if the attempt's directory is gone. */
  @Override
  public FSDataOutputStream create(Path file, boolean overwrite) throws IOException {
    return createNonRecursive(file, overwrite);
  }

  @Override
  public FSDataOutputStream createNonRecursive(Path file, boolean overwrite) throws IOException {
    try {
      return delegate().createNonRecursive(file, overwrite);
    } catch (FileNotFoundException e) {
      FileNotFoundException named = new FileNotFoundException(attempt + ": cannot create "
          + file.getName() + ": the attempt's directory " + file.getParent() + " is gone (the"
          + " attempt, or its job, was aborted or committed)");
      named.initCause(e);
      throw named;
    }
  }
}
