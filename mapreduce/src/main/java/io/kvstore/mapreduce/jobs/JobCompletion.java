package io.kvstore.mapreduce.jobs;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.TypeConverter;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way kvstore's own drivers (examples, tools, benchmarks, integration tests) wait for a
 * job. Not part of the supported API: it works around two gaps of Hadoop's job client.
 *
 * <ul>
 *   <li>Once a job's application master has exited (a fast job, a failed uber job), the client
 *       asks the job history server, which may answer "Job status not available" although the
 *       job has ended; {@link Job#waitForCompletion(boolean)} then throws. On YARN this class
 *       asks the ResourceManager for the application's final status instead, waiting at most
 *       {@link #FINAL_STATUS_WAIT_MILLIS} for it. Any other error propagates at once.
 *   <li>The local job runner reports no failure information (the text "NA");
 *       {@link #failureInfo(Job)} says so with null.
 * </ul>
 */
@InterfaceAudience.LimitedPrivate({"kvstore examples, tools, benchmarks and integration tests"})
public final class JobCompletion {
  /** Longest time to wait for the ResourceManager to report the final status. */
  public static final long FINAL_STATUS_WAIT_MILLIS = 120_000;

  private static final Logger LOG = LoggerFactory.getLogger(JobCompletion.class);
  private static final String NOT_AVAILABLE = "Job status not available";
  /** What the local job runner gives as failure information: nothing. */
  private static final String LOCAL_RUNNER_NO_INFO = "NA";
  private static final long POLL_MILLIS = 200;

  private JobCompletion() {}

  /** How a job is followed until it ends. */
  private interface Follow {
    boolean succeeded() throws IOException, InterruptedException, ClassNotFoundException;
  }

  /**
   * Submits {@code job} if needed and waits for its end, as {@code waitForCompletion} does.
   *
   * @param verbose print progress and counters, as {@code waitForCompletion(true)} does
   * @return whether the job succeeded
   */
  public static boolean waitFor(Job job, boolean verbose)
      throws IOException, InterruptedException, ClassNotFoundException {
    return follow(job, () -> job.waitForCompletion(verbose));
  }

  /**
   * Submits {@code job} if needed and waits for its end, reporting its progress.
   *
   * @param progress given the fraction done (map and reduce phases weigh half each) at every
   *     poll and once more when the job has ended
   * @param pollMillis time between polls
   * @return whether the job succeeded
   */
  public static boolean waitFor(Job job, DoubleConsumer progress, long pollMillis)
      throws IOException, InterruptedException, ClassNotFoundException {
    return follow(job, () -> {
      // A job has an id once submitted.
      if (job.getJobID() == null) {
        job.submit();
      }
      while (!job.isComplete()) {
        progress.accept(fractionDone(job));
        Thread.sleep(pollMillis);
      }
      // The last figure is 1 for a job that succeeded and where a failed job stopped.
      progress.accept(fractionDone(job));
      return job.isSuccessful();
    });
  }

  private static double fractionDone(Job job) throws IOException {
    return (job.mapProgress() + job.reduceProgress()) / 2.0;
  }

  private static boolean follow(Job job, Follow follow)
      throws IOException, InterruptedException, ClassNotFoundException {
    try {
      return follow.succeeded();
    } catch (IOException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith(NOT_AVAILABLE)
          || !MRConfig.YARN_FRAMEWORK_NAME.equals(
              job.getConfiguration().get(MRConfig.FRAMEWORK_NAME))) {
        throw e;
      }
      LOG.info("{}: the job history has no status; asking the ResourceManager", job.getJobID());
      return succeededPerResourceManager(job, e);
    }
  }

  /**
   * The failure information the framework gives for an ended job, or null if it gives none
   * (the local job runner logs its task errors instead and reports "NA").
   */
  public static String failureInfo(Job job) throws IOException, InterruptedException {
    String info = job.getStatus().getFailureInfo();
    if (info == null || info.trim().isEmpty() || LOCAL_RUNNER_NO_INFO.equals(info.trim())) {
      return null;
    }
    return info.trim();
  }

  /**
   * Whether a submitted YARN job succeeded, per the ResourceManager's final status of its
   * application; waits at most {@link #FINAL_STATUS_WAIT_MILLIS} for the application to end.
   *
   * @throws IOException if the ResourceManager gives no final status in time
   */
  public static boolean succeededPerResourceManager(Job job)
      throws IOException, InterruptedException {
    return succeededPerResourceManager(job,
        new IOException("No final status for " + job.getJobID() + " from the ResourceManager"));
  }

  private static boolean succeededPerResourceManager(Job job, IOException historyError)
      throws IOException, InterruptedException {
    ApplicationId application = TypeConverter.toYarn(job.getJobID()).getAppId();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINAL_STATUS_WAIT_MILLIS);
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(job.getConfiguration());
      yarn.start();
      while (true) {
        FinalApplicationStatus status =
            yarn.getApplicationReport(application).getFinalApplicationStatus();
        if (status != FinalApplicationStatus.UNDEFINED) {
          LOG.info("{}: the ResourceManager reports {}", job.getJobID(), status);
          return status == FinalApplicationStatus.SUCCEEDED;
        }
        if (System.nanoTime() > deadline) {
          throw historyError;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (YarnException e) {
      historyError.addSuppressed(e);
      throw historyError;
    }
  }
}
