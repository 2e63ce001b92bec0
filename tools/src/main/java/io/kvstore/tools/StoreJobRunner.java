package io.kvstore.tools;

import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.jobs.JobCompletion;
import io.kvstore.mapreduce.jobs.StoreJobs;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;

/**
 * Runs the store jobs for {@code clone}, {@code build} and the self-test: submits the job
 * {@link StoreJobs} configures and follows it with {@link JobCompletion}, drawing map and reduce
 * progress when interactive. The framework is whatever the configuration says
 * ({@code mapreduce.framework.name}, local by default).
 */
final class StoreJobRunner {
  private static final long POLL_MILLIS = 100;
  /** Longest wait for the local runner to log a failed job's task error after the failure. */
  private static final long TASK_ERROR_WAIT_MILLIS = 10_000;

  private StoreJobRunner() {}

  /** Clones {@code in} to {@code out} with {@link StoreJobs#copy}; the manifest of the copy. */
  static StoreManifest cloneStore(Configuration conf, Path in, Path out, ProgressBar bar)
      throws IOException, InterruptedException {
    return run(StoreJobs.copy(conf, in, out), out, bar);
  }

  /** One of {@link StoreJobs}' jobs, from input to output store. */
  interface JobFactory {
    Job create(Configuration conf, Path in, Path out) throws IOException;
  }

  /** The summary line of a command's finished job. */
  interface Summary {
    String of(Path in, Path out, StoreManifest store);
  }

  /**
   * What {@code build} and {@code clone} do: take IN and OUT from the arguments, run the job with
   * a progress bar labelled {@code label}, print the summary line.
   */
  static int runCommand(CommandContext context, Arguments args, String label, JobFactory jobs,
      Summary summary) throws IOException, InterruptedException {
    List<String> paths = args.positional(2, 2);
    Path in = context.qualify(context.path(paths.get(0)));
    Path out = context.qualify(context.path(paths.get(1)));
    StoreManifest store;
    try (ProgressBar bar = context.progress(label, 1000, ProgressBar.Unit.PERMILLE)) {
      store = run(jobs.create(context.conf(), in, out), out, bar);
    }
    context.out().println(summary.of(in, out, store));
    return 0;
  }

  private static StoreManifest run(Job job, Path out, ProgressBar bar)
      throws IOException, InterruptedException {
    try (LocalJobErrors errors = LocalJobErrors.capture()) {
      boolean succeeded;
      try {
        succeeded = JobCompletion.waitFor(job, done -> bar.update(Math.round(1000 * done)),
            POLL_MILLIS);
      } catch (ClassNotFoundException e) {
        throw new IOException("job classes not found: " + e.getMessage(), e);
      }
      if (!succeeded) {
        throw failure(job, errors.awaitFirst(job, TASK_ERROR_WAIT_MILLIS));
      }
    }
    return StoreManifest.read(FileOperations.forPath(out, job.getConfiguration()), out);
  }

  /** One line on why the job failed: the task's own error when the runner kept it. */
  private static IOException failure(Job job, Throwable taskError)
      throws IOException, InterruptedException {
    String why;
    if (taskError != null) {
      Throwable root = taskError;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      why = ErrorMessages.describe(root);
    } else {
      String info = JobCompletion.failureInfo(job);
      why = info != null ? info : "no reason reported; the task logs have it";
    }
    return new IOException("job " + job.getJobID() + " failed: " + why, taskError);
  }
}
