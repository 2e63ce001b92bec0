package io.kvstore.mapreduce;

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

/**
 * {@link KeyValueInputFormat} for the {@code org.apache.hadoop.mapred} API: {@code JobConf}
 * jobs, Hadoop Streaming ({@code -inputformat io.kvstore.mapreduce.KeyValueMapredInputFormat})
 * and tools built on the old API. Same splits (one per partition, on the hosts holding most of
 * it), same checks and same reading.
 */
public final class KeyValueMapredInputFormat extends FileInputFormat<BytesWritable, BytesWritable> {

  /** Creates the input format; Hadoop does this by reflection. */
  public KeyValueMapredInputFormat() {}

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
    List<PartitionSplits.Split> splits = PartitionSplits.of(job, getInputPaths(job));
    InputSplit[] result = new InputSplit[splits.size()];
    for (int i = 0; i < result.length; i++) {
      PartitionSplits.Split split = splits.get(i);
      result[i] = new FileSplit(split.path(), 0, split.length(), split.hosts());
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
    return new KeyValueMapredRecordReader(fileSplit.getPath(), fileSplit.getLength(), job);
  }
}
