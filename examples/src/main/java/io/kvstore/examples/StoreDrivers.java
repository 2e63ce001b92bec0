package io.kvstore.examples;

import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.jobs.JobCompletion;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
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

  /**
   * Runs {@code job} verbosely and waits for it.
   *
   * @param tool the driver's name, which starts the failure message
   * @param output the store the job writes
   * @return the published store, or null if the job failed (the reason is printed to standard
   *     error)
   */
  static PublishedStore waitForStore(String tool, Job job, Path output)
      throws IOException, InterruptedException, ClassNotFoundException {
    long start = System.nanoTime();
    if (!JobCompletion.waitFor(job, true)) {
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
