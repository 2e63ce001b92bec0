package io.kvstore.examples;

import io.kvstore.mapreduce.KeyValueInputFormat;
import io.kvstore.mapreduce.KeyValueOutputFormat;
import io.kvstore.mapreduce.jobs.StoreJobs;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * Copies a store with an identity MapReduce job: {@link KeyValueInputFormat} in,
 * {@link KeyValueOutputFormat} out.
 *
 * <pre>
 * hadoop jar kvstore-examples-VERSION.jar io.kvstore.examples.CloneStoreMapReduce \
 *     [-D mapreduce.job.reduces=N] &lt;input store&gt; &lt;output store&gt;
 * </pre>
 *
 * <p>Generic Hadoop options (-D, -conf, -fs, -jt, -files, -libjars) are honoured. Without
 * {@code mapreduce.job.reduces} the job has one reducer, so the copy has the same key order in one
 * run of partitions; with N reducers (hash partitioned) the copy has N groups of partitions and
 * every key is still found by a lookup.
 */
public final class CloneStoreMapReduce extends Configured implements Tool {
  private static final String USAGE = "Usage: CloneStoreMapReduce [generic options]"
      + " <input store> <output store>";

  private final PrintStream out;

  /** A tool printing to standard output. */
  public CloneStoreMapReduce() {
    this(System.out);
  }

  /** A tool printing its summary to {@code out}. */
  public CloneStoreMapReduce(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the job and waits for it.
   *
   * @param args input store and output store, after generic options have been removed
   * @return 0 on success, 1 if the job failed, 2 on a usage error
   */
  @Override
  public int run(String[] args) throws Exception {
    if (!StoreDrivers.hasInputAndOutput(args, USAGE)) {
      return 2;
    }
    Path input = new Path(args[0]);
    Path output = new Path(args[1]);
    Job job = createJob(getConf(), input, output);
    StoreDrivers.PublishedStore copy = StoreDrivers.waitForStore("CloneStoreMapReduce", job, output);
    if (copy == null) {
      return 1;
    }
    out.printf("CloneStoreMapReduce: copied %d pairs from %s to %s (%d partitions, %d reducers)"
            + " in %.1f s%n", copy.manifest.getKeyCount(), input, copy.path,
        copy.manifest.getPartitions().size(), job.getNumReduceTasks(), copy.seconds);
    return 0;
  }

  /**
   * The configured, unsubmitted clone job ({@link StoreJobs#copy}), with this examples jar,
   * which carries kvstore's jars in {@code lib/}, as its job jar; tests and other drivers may
   * adjust it.
   */
  public static Job createJob(Configuration conf, Path input, Path output) throws IOException {
    Job job = StoreJobs.copy(conf, input, output);
    job.setJarByClass(CloneStoreMapReduce.class);
    return job;
  }

  /** Command-line entry point; exits with {@link #run}'s status. */
  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new CloneStoreMapReduce(), args));
  }
}
