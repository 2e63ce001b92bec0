package io.kvstore.mapreduce;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
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
 * Waits for a job as {@link Job#waitForCompletion(boolean)} does, but survives one failure of
 * Hadoop's client. Once a job's application master has exited (a fast job, a failed uber job),
 * the client asks the job history server, which may answer "Job status not available" although
 * the job has ended; {@code waitForCompletion} then throws. On YARN this class asks the
 * ResourceManager for the application's final status instead, waiting at most
 * {@link #FINAL_STATUS_WAIT_MILLIS} for it. Any other error propagates at once.
 */
public final class JobCompletion {
  /** Longest time to wait for the ResourceManager to report the final status. */
  public static final long FINAL_STATUS_WAIT_MILLIS = 120_000;

  private static final Logger LOG = LoggerFactory.getLogger(JobCompletion.class);
  private static final String NOT_AVAILABLE = "Job status not available";
  private static final long POLL_MILLIS = 200;

  private JobCompletion() {}

  /**
   * Submits {@code job} if needed and waits for its end.
   *
   * @param verbose print progress, as {@code waitForCompletion(true)} does
   * @return whether the job succeeded
   */
  public static boolean waitFor(Job job, boolean verbose)
      throws IOException, InterruptedException, ClassNotFoundException {
    try {
      return job.waitForCompletion(verbose);
    } catch (IOException e) {
      Configuration conf = job.getConfiguration();
      if (e.getMessage() == null || !e.getMessage().startsWith(NOT_AVAILABLE)
          || !MRConfig.YARN_FRAMEWORK_NAME.equals(conf.get(MRConfig.FRAMEWORK_NAME))) {
        throw e;
      }
      LOG.info("{}: the job history has no status; asking the ResourceManager", job.getJobID());
      return succeededPerResourceManager(job, e);
    }
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
