package io.kvstore.mapreduce;

import io.kvstore.format.PartitionScanner;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * Reads one partition file for {@link KeyValueInputFormat} through the core's sequential
 * {@link PartitionScanner}: one buffered stream over the file, no per-record remote calls. The
 * old API's reader ({@code io.kvstore.mapred}) reads through one as well, with
 * {@link #next(BytesWritable, BytesWritable)}.
 */
public final class KeyValueRecordReader extends RecordReader<BytesWritable, BytesWritable> {
  private final BytesWritable key = new BytesWritable();
  private final BytesWritable value = new BytesWritable();
  private PartitionScanner scanner;
  private boolean done;

  /** A reader that {@link #initialize} opens (the new API's protocol). */
  public KeyValueRecordReader() {}

  /** A reader of {@code file}, open at once (for the old API, which has no initialize). */
  public KeyValueRecordReader(Path file, Configuration conf) throws IOException {
    open(file, conf);
  }

  private void open(Path file, Configuration conf) throws IOException {
    scanner = PartitionScanner.open(FileOperations.forPath(file, conf), file, conf);
  }

  /** Opens the split's partition file. */
  @Override
  public void initialize(InputSplit split, TaskAttemptContext context) throws IOException {
    open(((FileSplit) split).getPath(), context.getConfiguration());
  }

  /** Reads the next pair into {@link #getCurrentKey()} and {@link #getCurrentValue()}. */
  @Override
  public boolean nextKeyValue() throws IOException {
    return next(key, value);
  }

  /**
   * Reads the next pair into {@code nextKey} and {@code nextValue}.
   *
   * @return false, leaving them unchanged, after the last pair
   */
  public boolean next(BytesWritable nextKey, BytesWritable nextValue) throws IOException {
    if (done) {
      return false;
    }
    if (!scanner.next()) {
      done = true;
      return false;
    }
    nextKey.set(scanner.keyBuffer(), scanner.keyOffset(), scanner.keyLength());
    nextValue.set(scanner.valueBuffer(), scanner.valueOffset(), scanner.valueLength());
    return true;
  }

  /** The current key, reused for every pair. */
  @Override
  public BytesWritable getCurrentKey() {
    return key;
  }

  /** The current value, reused for every pair. */
  @Override
  public BytesWritable getCurrentValue() {
    return value;
  }

  /** Fraction of the data section read, 1 at the end. */
  @Override
  public float getProgress() {
    if (done) {
      return 1.0f;
    }
    return scanner == null ? 0.0f : scanner.progress();
  }

  /** Closes the file. */
  @Override
  public void close() throws IOException {
    if (scanner != null) {
      scanner.close();
    }
  }
}
