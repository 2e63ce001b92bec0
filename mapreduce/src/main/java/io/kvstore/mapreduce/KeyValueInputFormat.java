package io.kvstore.mapreduce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.security.TokenCache;

/**
 * Reads kvstore stores in MapReduce jobs (the {@code org.apache.hadoop.mapreduce} API).
 *
 * <p>Name the stores with {@link FileInputFormat#setInputPaths}. A table (see
 * {@link io.kvstore.KeyValueSystem#createTable}) is read as its current version when the job
 * computes its splits; a version published while the job runs is read by the next job. Each
 * store must be complete;
 * {@link #getSplits} fails otherwise, before any task runs. There is one split per partition file
 * listed in the store's manifest (files in the directory that the manifest does not list are
 * never read), located on the hosts that hold most of the file's blocks. Each map task reads its
 * partition sequentially and receives its pairs in key order as {@link BytesWritable}s.
 *
 * <p>For the {@code org.apache.hadoop.mapred} API (JobConf jobs, Hadoop Streaming) use
 * {@link io.kvstore.mapred.KeyValueInputFormat}.
 */
public final class KeyValueInputFormat extends FileInputFormat<BytesWritable, BytesWritable> {

  /** Creates the input format; Hadoop does this by reflection. */
  public KeyValueInputFormat() {}

  /**
   * One split per partition of every input store.
   *
   * @throws io.kvstore.StoreNotFoundException if an input path does not exist
   * @throws io.kvstore.IncompleteStoreException if an input store is still being written
   * @throws io.kvstore.NotAStoreException if an input path is not a store
   * @throws io.kvstore.CorruptStoreException if a manifest is damaged or names a missing file
   */
  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    Path[] stores = getInputPaths(job);
    // FileInputFormat does this in listStatus, which is bypassed: tasks need delegation tokens
    // for every filesystem holding an input store on a secure cluster.
    TokenCache.obtainTokensForNamenodes(job.getCredentials(), stores, job.getConfiguration());
    List<InputSplit> splits = new ArrayList<>();
    for (PartitionSplits.Split split : PartitionSplits.of(job.getConfiguration(), stores)) {
      splits.add(new FileSplit(split.path(), 0, split.length(), split.hosts()));
    }
    return splits;
  }

  /** Partition files are read whole: their index and footer sit at the end. */
  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    return false;
  }

  /** A reader of one partition file, pairs in key order. */
  @Override
  public RecordReader<BytesWritable, BytesWritable> createRecordReader(InputSplit split,
      TaskAttemptContext context) {
    return new KeyValueRecordReader();
  }
}
