package io.kvstore.tools;

import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.apache.log4j.spi.ThrowableInformation;

/**
 * Catches the task error of a job in the local job runner. That runner reports no failure
 * information to the client; it logs the task's exception (with a stack trace) instead. While
 * open, this keeps that log entry off the console and remembers the exception, so the tool can
 * say in one line why the job failed.
 */
final class LocalJobErrors extends AppenderSkeleton implements AutoCloseable {
  private static final String RUNNER_LOGGER = "org.apache.hadoop.mapred.LocalJobRunner";

  private final Logger logger;
  private final boolean additive;
  private final Level level;
  private volatile Throwable first;

  private LocalJobErrors() {
    this.logger = Logger.getLogger(RUNNER_LOGGER);
    this.additive = logger.getAdditivity();
    this.level = logger.getLevel();
  }

  /** Starts catching the local job runner's logged errors. */
  static LocalJobErrors capture() {
    LocalJobErrors errors = new LocalJobErrors();
    errors.logger.addAppender(errors);
    errors.logger.setAdditivity(false);
    errors.logger.setLevel(Level.WARN);
    return errors;
  }

  /** The first exception the runner logged, or null. */
  Throwable first() {
    return first;
  }

  /**
   * The first exception the runner logged for the failed {@code job}, waiting at most
   * {@code maxMillis} for it: the local runner marks the job failed before it logs the task's
   * error, so a client that sees the failure at once would otherwise find no reason. Returns at
   * once (null) for a job on a cluster, whose errors are not logged here.
   */
  Throwable awaitFirst(org.apache.hadoop.mapreduce.Job job, long maxMillis)
      throws InterruptedException {
    if (!"local".equals(job.getConfiguration().get(
        org.apache.hadoop.mapreduce.MRConfig.FRAMEWORK_NAME, "local"))) {
      return first;
    }
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    while (first == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return first;
  }

  @Override
  protected void append(LoggingEvent event) {
    ThrowableInformation info = event.getThrowableInformation();
    if (first == null && info != null) {
      first = info.getThrowable();
    }
  }

  @Override
  public boolean requiresLayout() {
    return false;
  }

  /** Restores the runner's logging. */
  @Override
  public void close() {
    logger.removeAppender(this);
    logger.setAdditivity(additive);
    logger.setLevel(level);
  }
}
