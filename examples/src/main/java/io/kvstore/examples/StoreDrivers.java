package io.kvstore.examples;

import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.jobs.JobCompletion;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.util.ToolRunner;

/**
 * What the example drivers do alike around their own job: check for the two path arguments, run
 * the job, and read the manifest of the store it published for the summary line.
 */
final class StoreDrivers {
  private StoreDrivers() {}

  /**
   * Whether {@code args} are exactly an input and an output; if not, prints {@code usage} and
   * Hadoop's generic options to standard error.
   */
  static boolean hasInputAndOutput(String[] args, String usage) {
    if (args.length == 2) {
      return true;
    }
    System.err.println(usage);
    ToolRunner.printGenericCommandUsage(System.err);
    return false;
  }

  /** Time between two looks at a running job's progress. */
  private static final long POLL_MILLIS = 200;

  /**
   * Runs {@code job} and waits for it, printing kvstore's own progress to standard error: the
   * job id once, then the share done (map and reduce phases weigh half each, never going back)
   * at each further tenth. Hadoop's verbose monitor is not used: on the local job runner it
   * prints a tracking URL that does not exist, map progress that jumps back, and counters.
   *
   * @param tool the driver's name, which starts the failure message
   * @param output the store the job writes
   * @return the published store, or null if the job failed (the reason is printed to standard
   *     error)
   */
  static PublishedStore waitForStore(String tool, Job job, Path output)
      throws IOException, InterruptedException, ClassNotFoundException {
    long start = System.nanoTime();
    PrintStream err = System.err;
    double[] shown = {-1};
    boolean succeeded = JobCompletion.waitFor(job, done -> {
      if (shown[0] < 0) {
        err.println(tool + ": running job " + job.getJobID() + " ("
            + job.getConfiguration().get(MRConfig.FRAMEWORK_NAME, MRConfig.LOCAL_FRAMEWORK_NAME)
            + ")");
        shown[0] = 0;
      }
      int tenths = (int) Math.floor(done * 10);
      if (tenths > shown[0] * 10 && tenths > 0) {
        shown[0] = tenths / 10.0;
        err.println(tool + ": " + (tenths * 10) + "% done");
      }
    }, POLL_MILLIS);
    if (!succeeded) {
      String info = JobCompletion.failureInfo(job);
      // Without failure information (the local job runner), the task errors are in the log.
      System.err.println(tool + ": job " + job.getJobID() + " failed: "
          + (info == null ? "see the task errors logged above" : info));
      return null;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    FileOperations ops = FileOperations.forPath(output, job.getConfiguration());
    Path qualified = ops.makeQualified(output);
    StoreManifest manifest = StoreManifest.read(ops, qualified);
    return new PublishedStore(qualified, manifest, seconds);
  }

  /** A store a finished job published. */
  static final class PublishedStore {
    /** The store directory, qualified. */
    final Path path;
    /** Its manifest. */
    final StoreManifest manifest;
    /** How long the job ran. */
    final double seconds;

    PublishedStore(Path path, StoreManifest manifest, double seconds) {
      this.path = path;
      this.manifest = manifest;
      this.seconds = seconds;
    }
  }
}
