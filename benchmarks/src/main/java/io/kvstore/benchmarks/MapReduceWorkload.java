package io.kvstore.benchmarks;

import io.kvstore.mapreduce.jobs.JobCompletion;
import io.kvstore.mapreduce.jobs.StoreJobs;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;

/**
 * Workload 6: the CloneStoreMapReduce job ({@link StoreJobs#copy}) copying the kvstore built by {@link BuildWorkload}, against the
 * same identity job (identity mapper and reducer, one reducer) over a SequenceFile of the same
 * pairs, both on the local job runner and the local filesystem. Wall time of the whole job.
 */
final class MapReduceWorkload {
  /** The variant both jobs are measured in. */
  static final String VARIANT = "1 reducer";

  private MapReduceWorkload() {}

  static void run(DataSet data, Configuration base, FileSystem fs, Path root, int reps,
      Report report) throws Exception {
    Configuration conf = new Configuration(base);
    conf.set("mapreduce.framework.name", "local");
    conf.set(FileSystem.FS_DEFAULT_NAME_KEY, fs.getUri().toString());
    conf.setInt("mapreduce.client.completion.pollinterval", 100);
    conf.setInt("mapreduce.client.progressmonitor.pollinterval", 100);
    Path store = fs.makeQualified(new Path(root, KvstoreSystem.NAME));
    Path seq = fs.makeQualified(new Path(root, "pairs.seq"));
    writeSequenceFile(data, conf, seq);
    double[] clone = new double[reps + 1];
    double[] identity = new double[reps + 1];
    // Repetition 0 warms the JVM for both jobs and is dropped.
    for (int r = 0; r <= reps; r++) {
      Path out1 = fs.makeQualified(new Path(root, "clone-out"));
      Path out2 = fs.makeQualified(new Path(root, "identity-out"));
      fs.delete(out1, true);
      fs.delete(out2, true);
      clone[r] = Timer.seconds(() -> complete(StoreJobs.copy(conf, store, out1)));
      identity[r] = Timer.seconds(() -> complete(identityJob(conf, seq, out2)));
      fs.delete(out1, true);
      fs.delete(out2, true);
    }
    fs.delete(seq, true);
    report.add(new Measurement(Workload.MAPREDUCE, data.label(), VARIANT, KvstoreSystem.NAME,
        java.util.Arrays.copyOfRange(clone, 1, reps + 1)));
    report.add(new Measurement(Workload.MAPREDUCE, data.label(), VARIANT,
        Workload.MAPREDUCE.reference(), java.util.Arrays.copyOfRange(identity, 1, reps + 1)));
  }

  private static void complete(Job job) throws Exception {
    if (!JobCompletion.waitFor(job, false)) {
      throw new IOException("job " + job.getJobName() + " failed: " + job.getStatus());
    }
  }

  static Job identityJob(Configuration conf, Path input, Path output) throws IOException {
    Job job = Job.getInstance(conf, "identity " + input + " -> " + output);
    job.setJarByClass(MapReduceWorkload.class);
    job.setInputFormatClass(SequenceFileInputFormat.class);
    SequenceFileInputFormat.setInputPaths(job, input);
    job.setMapperClass(Mapper.class);
    job.setReducerClass(Reducer.class);
    job.setMapOutputKeyClass(BytesWritable.class);
    job.setMapOutputValueClass(BytesWritable.class);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
    FileOutputFormat.setOutputPath(job, output);
    return job;
  }

  static void writeSequenceFile(DataSet data, Configuration conf, Path file) throws IOException {
    BytesWritable key = new BytesWritable(new byte[DataSet.KEY_LENGTH]);
    BytesWritable value = new BytesWritable(new byte[data.valueLength()]);
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf, SequenceFile.Writer.file(file),
        SequenceFile.Writer.keyClass(BytesWritable.class),
        SequenceFile.Writer.valueClass(BytesWritable.class),
        SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE))) {
      data.forEachPair(key.getBytes(), value.getBytes(), () -> w.append(key, value));
    }
  }
}
