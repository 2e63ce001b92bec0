package io.kvstore.mapreduce;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.mapred.FileOutputFormat;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobClient;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapred.RunningJob;
import org.apache.hadoop.mapred.SequenceFileOutputFormat;
import org.apache.hadoop.mapred.lib.IdentityMapper;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Both input formats in whole jobs on the local job runner; output goes to sequence files so
 * these tests need nothing of the output side.
 */
public final class KeyValueInputFormatJobTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

  private Configuration conf;
  private FileSystem fs;
  private Path root;

  @Before
  public void setUp() throws IOException {
    new File("target").mkdirs();
    conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    fs = FileSystem.getLocal(conf);
    root = fs.makeQualified(new Path(tmp.getRoot().getAbsolutePath()));
  }

  @Test
  public void mapOnlyJobReadsEveryPairOfEveryPartition() throws Exception {
    Path store = new Path(root, "store");
    TreeMap<byte[], byte[]> pairs = InputTestStores.pairs(5000, 40);
    int partitions = InputTestStores.write(fs, store, pairs, 32 * 1024).size();
    Path out = new Path(root, "out");

    Job job = Job.getInstance(conf, "read store");
    job.setInputFormatClass(KeyValueInputFormat.class);
    KeyValueInputFormat.setInputPaths(job, store);
    job.setMapperClass(Mapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(
        org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat.class);
    org.apache.hadoop.mapreduce.lib.output.FileOutputFormat.setOutputPath(job, out);

    assertTrue(job.waitForCompletion(false));

    assertEquals("one map task per partition", partitions, countMapTasks(out));
    assertEquals(pairs.size(),
        job.getCounters().findCounter(TaskCounter.MAP_INPUT_RECORDS).getValue());
    KeyValueInputFormatTest.assertPairsEqual(pairs, readSequenceFiles(out));
  }

  @Test
  public void oldApiSplitsMatchNewApiSplits() throws Exception {
    Path store = new Path(root, "store");
    InputTestStores.write(fs, store, InputTestStores.pairs(2000, 100), 32 * 1024);
    JobConf jobConf = new JobConf(conf);
    org.apache.hadoop.mapred.FileInputFormat.setInputPaths(jobConf, store);
    Job job = Job.getInstance(conf);
    KeyValueInputFormat.setInputPaths(job, store);

    InputSplit[] old = new io.kvstore.mapred.KeyValueInputFormat().getSplits(jobConf, 1);
    List<org.apache.hadoop.mapreduce.InputSplit> current = new KeyValueInputFormat().getSplits(job);

    assertEquals(current.size(), old.length);
    for (int i = 0; i < old.length; i++) {
      org.apache.hadoop.mapred.FileSplit o = (org.apache.hadoop.mapred.FileSplit) old[i];
      org.apache.hadoop.mapreduce.lib.input.FileSplit n =
          (org.apache.hadoop.mapreduce.lib.input.FileSplit) current.get(i);
      assertEquals(n.getPath(), o.getPath());
      assertEquals(n.getLength(), o.getLength());
    }
  }

  @Test
  public void oldApiReaderEmitsPairsInOrderWithProgress() throws Exception {
    Path store = new Path(root, "store");
    TreeMap<byte[], byte[]> pairs = InputTestStores.pairs(1000, 30);
    InputTestStores.write(fs, store, pairs, 1 << 20);
    JobConf jobConf = new JobConf(conf);
    org.apache.hadoop.mapred.FileInputFormat.setInputPaths(jobConf, store);
    io.kvstore.mapred.KeyValueInputFormat format = new io.kvstore.mapred.KeyValueInputFormat();
    InputSplit[] splits = format.getSplits(jobConf, 1);
    assertEquals(1, splits.length);

    List<byte[][]> read = new ArrayList<>();
    RecordReader<BytesWritable, BytesWritable> reader =
        format.getRecordReader(splits[0], jobConf, Reporter.NULL);
    try {
      BytesWritable key = reader.createKey();
      BytesWritable value = reader.createValue();
      assertEquals(0.0f, reader.getProgress(), 0.0f);
      while (reader.next(key, value)) {
        read.add(new byte[][] {key.copyBytes(), value.copyBytes()});
      }
      assertEquals(1.0f, reader.getProgress(), 0.0f);
      assertEquals(splits[0].getLength(), reader.getPos());
    } finally {
      reader.close();
    }
    KeyValueInputFormatTest.assertPairsEqual(pairs, read);
  }

  @Test
  public void oldApiJobConfJobReadsEveryPair() throws Exception {
    Path store = new Path(root, "store");
    TreeMap<byte[], byte[]> pairs = InputTestStores.pairs(3000, 20);
    InputTestStores.write(fs, store, pairs, 16 * 1024);
    Path out = new Path(root, "out");

    JobConf jobConf = new JobConf(conf);
    jobConf.setJobName("read store, old API");
    jobConf.setInputFormat(io.kvstore.mapred.KeyValueInputFormat.class);
    org.apache.hadoop.mapred.FileInputFormat.setInputPaths(jobConf, store);
    jobConf.setMapperClass(IdentityMapper.class);
    jobConf.setNumReduceTasks(0);
    jobConf.setOutputKeyClass(BytesWritable.class);
    jobConf.setOutputValueClass(BytesWritable.class);
    jobConf.setOutputFormat(SequenceFileOutputFormat.class);
    FileOutputFormat.setOutputPath(jobConf, out);

    RunningJob job = JobClient.runJob(jobConf);

    assertTrue(job.isSuccessful());
    KeyValueInputFormatTest.assertPairsEqual(pairs, readSequenceFiles(out));
  }

  private int countMapTasks(Path out) throws IOException {
    return fs.listStatus(out, p -> p.getName().startsWith("part-m-")).length;
  }

  private List<byte[][]> readSequenceFiles(Path dir) throws IOException {
    List<byte[][]> read = new ArrayList<>();
    // Map outputs are named in the order the job runs its splits, which Hadoop sorts by size
    // (largest first), not in the manifest's key order: compressed partitions differ in size.
    // Each file is one partition in key order; the pairs are put in key order after reading.
    FileStatus[] files = fs.listStatus(dir, p -> p.getName().startsWith("part-"));
    for (FileStatus file : files) {
      try (SequenceFile.Reader reader = new SequenceFile.Reader(conf,
          SequenceFile.Reader.file(file.getPath()))) {
        BytesWritable key = new BytesWritable();
        BytesWritable value = new BytesWritable();
        while (reader.next(key, value)) {
          read.add(new byte[][] {key.copyBytes(), value.copyBytes()});
        }
      }
    }
    read.sort((a, b) -> io.kvstore.Bytes.compare(a[0], b[0]));
    return read;
  }
}
