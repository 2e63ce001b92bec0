package io.kvstore.examples;

import io.kvstore.format.StoreManifest;
import io.kvstore.mapreduce.KeyValueInputFormat;
import io.kvstore.mapreduce.KeyValueOutputFormat;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
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
    if (args.length != 2) {
      System.err.println(USAGE);
      ToolRunner.printGenericCommandUsage(System.err);
      return 2;
    }
    Path input = new Path(args[0]);
    Path output = new Path(args[1]);
    Job job = createJob(getConf(), input, output);
    long start = System.nanoTime();
    if (!job.waitForCompletion(true)) {
      System.err.println("CloneStoreMapReduce: job " + job.getJobID() + " failed: "
          + JobFailures.describe(job));
      return 1;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Path qualified = output.getFileSystem(job.getConfiguration()).makeQualified(output);
    StoreManifest copy = StoreManifest.read(qualified.getFileSystem(job.getConfiguration()),
        qualified);
    out.printf("CloneStoreMapReduce: copied %d pairs from %s to %s (%d partitions, %d reducers)"
            + " in %.1f s%n", copy.getKeyCount(), input, qualified, copy.getPartitions().size(),
        job.getNumReduceTasks(), seconds);
    return 0;
  }

  /** The configured, unsubmitted clone job; tests and other drivers may adjust it. */
  public static Job createJob(Configuration conf, Path input, Path output) throws java.io.IOException {
    Job job = Job.getInstance(conf, "kvstore clone " + input + " -> " + output);
    job.setJarByClass(CloneStoreMapReduce.class);
    job.setInputFormatClass(KeyValueInputFormat.class);
    KeyValueInputFormat.setInputPaths(job, input);
    job.setMapperClass(Mapper.class);
    job.setReducerClass(Reducer.class);
    job.setMapOutputKeyClass(BytesWritable.class);
    job.setMapOutputValueClass(BytesWritable.class);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(KeyValueOutputFormat.class);
    KeyValueOutputFormat.setOutputPath(job, output);
    return job;
  }

  /** Command-line entry point; exits with {@link #run}'s status. */
  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new CloneStoreMapReduce(), args));
  }
}
