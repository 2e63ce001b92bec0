package io.kvstore.fs;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closes several resources and loses none of their errors: every resource is closed even when
 * an earlier one failed, the first failure is the one thrown and every later one is attached to
 * it with {@link Throwable#addSuppressed}. Not thread-safe; one instance per closing.
 *
 * <pre>
 * Closer closer = new Closer();
 * for (Closeable c : resources) {
 *   closer.close(c);
 * }
 * closer.finish();
 * </pre>
 */
public final class Closer {
  private IOException first;

  /** Closes {@code resource} (nothing if null), keeping its failure for {@link #finish}. */
  public void close(Closeable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (IOException e) {
      add(e);
    }
  }

  /** Keeps {@code failure}: the first one is thrown by {@link #finish}, later ones suppressed. */
  public void add(IOException failure) {
    if (first == null) {
      first = failure;
    } else if (failure != first) {
      first.addSuppressed(failure);
    }
  }

  /** Throws the first failure, carrying the later ones as suppressed, if any resource failed. */
  public void finish() throws IOException {
    if (first != null) {
      throw first;
    }
  }

  /**
   * Closes {@code resource} (nothing if null) after {@code failure} has ended its use: a failure
   * to close is attached to {@code failure}, which stays the error the caller rethrows.
   */
  public static void closeAfter(Throwable failure, Closeable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (IOException e) {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    }
  }
}
