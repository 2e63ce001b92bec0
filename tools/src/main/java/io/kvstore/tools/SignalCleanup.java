package io.kvstore.tools;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Removes what an unfinished command would leave behind when the JVM is stopped by a signal
 * (Ctrl-C, {@code kill -TERM}): a shutdown hook that lets the command unwind through its own
 * cleanup ({@link #check()} throws {@link Stopped} at the next pair), and tidies itself what is
 * still registered if the command does not unwind in time (it may be blocked reading a
 * terminal). Prints one line on standard error. {@link #close()} removes the hook.
 */
final class SignalCleanup implements Closeable {
  /** How long the hook waits for the command to unwind before tidying up itself. */
  static final long UNWIND_WAIT_MILLIS = 5_000;

  private final PrintStream err;
  private final String message;
  private final Thread hook;
  private final CountDownLatch unwound = new CountDownLatch(1);
  private final List<Closeable> leftovers = new ArrayList<>();
  private volatile boolean signalled;

  private SignalCleanup(PrintStream err, String message) {
    this.err = err;
    this.message = message;
    this.hook = new Thread(this::onShutdown, "kvstore-signal-cleanup");
  }

  /**
   * Installs a shutdown hook printing {@code message} once what is registered is removed.
   *
   * @param err where the message goes
   * @param message one line saying what was stopped and removed
   */
  static SignalCleanup install(PrintStream err, String message) {
    SignalCleanup cleanup = new SignalCleanup(err, message);
    Runtime.getRuntime().addShutdownHook(cleanup.hook);
    return cleanup;
  }

  /** Registers {@code leftover} to be closed (removed) if the JVM stops before it is done. */
  synchronized void add(Closeable leftover) {
    leftovers.add(leftover);
  }

  /** Unregisters {@code leftover}: it is finished or already removed. */
  synchronized void remove(Closeable leftover) {
    leftovers.remove(leftover);
  }

  /**
   * Throws {@link Stopped} once the JVM is shutting down, so the command stops writing and its
   * own cleanup runs.
   */
  void check() throws Stopped {
    if (signalled) {
      throw new Stopped();
    }
  }

  private void onShutdown() {
    signalled = true;
    try {
      unwound.await(UNWIND_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Closeable> left;
    synchronized (this) {
      left = new ArrayList<>(leftovers);
      leftovers.clear();
    }
    // Newest first: the store before the sorted runs it is written from.
    Collections.reverse(left);
    for (Closeable leftover : left) {
      try {
        leftover.close();
      } catch (IOException | RuntimeException e) {
        err.println("kvstore: could not tidy up after the signal: " + ErrorMessages.describe(e));
      }
    }
    err.println(message);
    err.flush();
  }

  /** Removes the hook; when the JVM is already shutting down, lets the hook finish instead. */
  @Override
  public void close() {
    unwound.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown in progress: the hook is running and now sees that the command has unwound.
    }
  }

  /** The command was stopped by a signal; the shutdown hook reports it. */
  static final class Stopped extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped by a signal");
    }
  }
}
