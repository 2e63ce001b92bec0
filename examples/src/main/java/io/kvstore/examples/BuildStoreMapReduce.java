package io.kvstore.examples;

import io.kvstore.mapreduce.jobs.StoreJobs;
import io.kvstore.mapreduce.jobs.TabSeparatedLineMapper;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * Builds a store from tab-separated text: each line's bytes before the first tab are the key,
 * the bytes after it the value (a line without a tab is a key with an empty value; empty lines
 * are skipped and counted). The input is anything Hadoop's {@code TextInputFormat} reads: files,
 * directories or globs on any Hadoop filesystem, compressed or not.
 *
 * <pre>
 * hadoop jar kvstore-examples-VERSION.jar io.kvstore.examples.BuildStoreMapReduce \
 *     [-D mapreduce.job.reduces=N] &lt;text input&gt; &lt;output store&gt;
 * </pre>
 *
 * <p>The reducers sort the keys. A key that occurs on more than one line fails the job with a
 * {@link io.kvstore.DuplicateKeyException} naming the key: a store maps each key to one value, and
 * silently keeping one of them would lose data.
 */
public final class BuildStoreMapReduce extends Configured implements Tool {
  private static final String USAGE = "Usage: BuildStoreMapReduce [generic options]"
      + " <text input> <output store>";

  private final PrintStream out;

  /** A tool printing to standard output. */
  public BuildStoreMapReduce() {
    this(System.out);
  }

  /** A tool printing its summary to {@code out}. */
  public BuildStoreMapReduce(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the job and waits for it.
   *
   * @param args text input and output store, after generic options have been removed
   * @return 0 on success, 1 if the job failed, 2 on a usage error
   */
  @Override
  public int run(String[] args) throws Exception {
    if (!StoreDrivers.hasInputAndOutput(args, USAGE)) {
      return 2;
    }
    Path output = new Path(args[1]);
    Job job = createJob(getConf(), new Path(args[0]), output);
    StoreDrivers.PublishedStore store = StoreDrivers.waitForStore("BuildStoreMapReduce", job, output);
    if (store == null) {
      return 1;
    }
    long skipped = job.getCounters().findCounter(TabSeparatedLineMapper.Lines.EMPTY).getValue();
    out.printf("BuildStoreMapReduce: stored %d pairs from %s in %s (%d partitions, %d reducers,"
            + " %d empty lines skipped) in %.1f s%n", store.manifest.getKeyCount(), args[0],
        store.path, store.manifest.getPartitions().size(), job.getNumReduceTasks(), skipped,
        store.seconds);
    return 0;
  }

  /**
   * The configured, unsubmitted build job ({@link StoreJobs#buildFromText}), with this examples
   * jar, which carries kvstore's jars in {@code lib/}, as its job jar.
   */
  public static Job createJob(Configuration conf, Path input, Path output) throws IOException {
    Job job = StoreJobs.buildFromText(conf, input, output);
    job.setJarByClass(BuildStoreMapReduce.class);
    return job;
  }

  /** Command-line entry point; exits with {@link #run}'s status. */
  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new BuildStoreMapReduce(), args));
  }
}
