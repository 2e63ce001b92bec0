package io.kvstore.mapreduce.jobs;

import io.kvstore.KeyValueSystem;
import io.kvstore.mapreduce.KeyValueInputFormat;
import io.kvstore.mapreduce.KeyValueOutputFormat;
import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.util.ClassUtil;

/**
 * The two ready-made jobs: a store built from tab-separated text, and a store copied by an
 * identity job. The example drivers ({@code io.kvstore.examples}), the {@code kvstore build} and
 * {@code kvstore clone} commands and the benchmarks all run these, so the jobs are defined once.
 *
 * <p>The job jar is the one holding this class (kvstore-mapreduce). When kvstore-core is loaded
 * from a jar too, that jar is shipped with the job as {@code -libjars} would, so the tasks of a
 * cluster find it without a job jar that bundles it.
 */
public final class StoreJobs {
  /** Hadoop's list of extra jars for the task classpath, the key {@code -libjars} sets. */
  static final String LIBJARS = "tmpjars";

  private StoreJobs() {}

  /**
   * The configured, unsubmitted job that builds {@code output} from the tab-separated lines of
   * {@code input} ({@link TabSeparatedLineMapper}, {@link UniqueKeyReducer}): anything
   * {@link TextInputFormat} reads; a repeated key fails the job.
   */
  public static Job buildFromText(Configuration conf, Path input, Path output) throws IOException {
    Job job = storeJob(conf, "kvstore build " + input + " -> " + output, output);
    job.setInputFormatClass(TextInputFormat.class);
    FileInputFormat.setInputPaths(job, input);
    job.setMapperClass(TabSeparatedLineMapper.class);
    job.setReducerClass(UniqueKeyReducer.class);
    return job;
  }

  /**
   * The configured, unsubmitted identity job that copies store {@code input} to {@code output}
   * ({@link KeyValueInputFormat} in, {@link KeyValueOutputFormat} out); callers may adjust it,
   * e.g. its number of reducers or its partitioner.
   */
  public static Job copy(Configuration conf, Path input, Path output) throws IOException {
    Job job = storeJob(conf, "kvstore clone " + input + " -> " + output, output);
    job.setInputFormatClass(KeyValueInputFormat.class);
    KeyValueInputFormat.setInputPaths(job, input);
    job.setMapperClass(Mapper.class);
    job.setReducerClass(Reducer.class);
    return job;
  }

  /** What both jobs share: byte pairs between the phases, a store as the output. */
  private static Job storeJob(Configuration conf, String name, Path output) throws IOException {
    Job job = Job.getInstance(conf, name);
    job.setJarByClass(StoreJobs.class);
    String core = ClassUtil.findContainingJar(KeyValueSystem.class);
    if (core != null) {
      String jar = new File(core).toURI().toString();
      String listed = job.getConfiguration().get(LIBJARS);
      job.getConfiguration().set(LIBJARS,
          listed == null || listed.isEmpty() ? jar : listed + "," + jar);
    }
    job.setMapOutputKeyClass(BytesWritable.class);
    job.setMapOutputValueClass(BytesWritable.class);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(KeyValueOutputFormat.class);
    KeyValueOutputFormat.setOutputPath(job, output);
    return job;
  }
}
