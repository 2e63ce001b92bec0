package io.kvstore.mapred;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapreduce.Job;

/**
 * Old-API ({@code org.apache.hadoop.mapred}) input format reading key-value stores, for
 * {@code JobConf} jobs, Hadoop Streaming
 * ({@code -inputformat io.kvstore.mapred.KeyValueInputFormat}) and tools built on the old API.
 * Same splits (one per partition listed in each store's manifest, on the hosts holding most of
 * it), same checks and same sequential reading as {@link io.kvstore.mapreduce.KeyValueInputFormat}.
 *
 * <pre>
 * conf.setInputFormat(KeyValueInputFormat.class);
 * FileInputFormat.setInputPaths(conf, new Path("hdfs:///stores/users"));
 * </pre>
 */
public final class KeyValueInputFormat extends FileInputFormat<BytesWritable, BytesWritable> {

  /** Creates the input format; Hadoop does this by reflection. */
  public KeyValueInputFormat() {}

  /**
   * One split per partition of every input store; {@code numSplits} is only a hint and is
   * ignored, because a partition is read whole.
   *
   * @throws io.kvstore.StoreNotFoundException if an input path does not exist
   * @throws io.kvstore.IncompleteStoreException if an input store is still being written
   * @throws io.kvstore.NotAStoreException if an input path is not a store
   * @throws io.kvstore.CorruptStoreException if a manifest is damaged or names a missing file
   */
  @Override
  public InputSplit[] getSplits(JobConf job, int numSplits) throws IOException {
    // The new-API format reads the same configuration keys: both APIs get identical splits.
    List<org.apache.hadoop.mapreduce.InputSplit> splits =
        new io.kvstore.mapreduce.KeyValueInputFormat().getSplits(Job.getInstance(job));
    InputSplit[] result = new InputSplit[splits.size()];
    for (int i = 0; i < result.length; i++) {
      org.apache.hadoop.mapreduce.lib.input.FileSplit split =
          (org.apache.hadoop.mapreduce.lib.input.FileSplit) splits.get(i);
      result[i] = new FileSplit(split.getPath(), split.getStart(), split.getLength(),
          split.getLocations());
    }
    return result;
  }

  /** Partition files are read whole: their index and footer sit at the end. */
  @Override
  protected boolean isSplitable(FileSystem fs, Path file) {
    return false;
  }

  /** A reader of one partition file, pairs in key order. */
  @Override
  public RecordReader<BytesWritable, BytesWritable> getRecordReader(InputSplit split, JobConf job,
      Reporter reporter) throws IOException {
    FileSplit fileSplit = (FileSplit) split;
    return new KeyValueRecordReader(fileSplit.getPath(), fileSplit.getLength(), job);
  }
}
