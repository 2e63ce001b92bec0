package io.kvstore.tools;

import io.kvstore.examples.BuildStoreMapReduce;
import io.kvstore.examples.CloneStoreMapReduce;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;

/**
 * Runs the example jobs for {@code clone}, {@code build} and the self-test: submits the job the
 * example class configures and follows it, drawing map and reduce progress when interactive.
 * The framework is whatever the configuration says ({@code mapreduce.framework.name}, local by
 * default).
 */
final class ExampleJobs {
  private static final long POLL_MILLIS = 100;

  private ExampleJobs() {}

  /** Clones {@code in} to {@code out} with {@link CloneStoreMapReduce}; the manifest of the copy. */
  static StoreManifest cloneStore(Configuration conf, Path in, Path out, ProgressBar bar)
      throws IOException, InterruptedException {
    return run(CloneStoreMapReduce.createJob(conf, in, out), out, bar);
  }

  /** Builds {@code out} from text {@code in} with {@link BuildStoreMapReduce}. */
  static StoreManifest buildStore(Configuration conf, Path in, Path out, ProgressBar bar)
      throws IOException, InterruptedException {
    return run(BuildStoreMapReduce.createJob(conf, in, out), out, bar);
  }

  private static StoreManifest run(Job job, Path out, ProgressBar bar)
      throws IOException, InterruptedException {
    try (LocalJobErrors errors = LocalJobErrors.capture()) {
      try {
        job.submit();
      } catch (ClassNotFoundException e) {
        throw new IOException("job classes not found: " + e.getMessage(), e);
      }
      while (!job.isComplete()) {
        bar.update(Math.round(500 * (job.mapProgress() + job.reduceProgress())));
        Thread.sleep(POLL_MILLIS);
      }
      if (!job.isSuccessful()) {
        throw failure(job, errors.first());
      }
    }
    bar.update(1000);
    return StoreManifest.read(out.getFileSystem(job.getConfiguration()), out);
  }

  /** One line on why the job failed: the task's own error when the runner kept it. */
  private static IOException failure(Job job, Throwable taskError)
      throws IOException, InterruptedException {
    String info = job.getStatus().getFailureInfo();
    String why;
    if (taskError != null) {
      Throwable root = taskError;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      why = ErrorMessages.describe(root);
    } else if (info != null && !info.isBlank() && !info.trim().equals("NA")) {
      why = info.trim();
    } else {
      why = "no reason reported; the task logs have it";
    }
    return new IOException("job " + job.getJobID() + " failed: " + why, taskError);
  }
}
