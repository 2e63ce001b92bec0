package io.kvstore.examples;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Job;

/** Words for a failed job's message. */
final class JobFailures {
  private JobFailures() {}

  /**
   * The job's failure information. The local job runner reports none ("NA"); its task errors go
   * to the log instead, so say where to look.
   */
  static String describe(Job job) throws IOException, InterruptedException {
    String info = job.getStatus().getFailureInfo();
    if (info == null || info.trim().isEmpty() || "NA".equals(info.trim())) {
      return "see the task errors logged above";
    }
    return info.trim();
  }
}
