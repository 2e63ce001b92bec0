package io.kvstore.mapreduce;

import io.kvstore.format.PartitionScanner;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * Reads one partition file for {@link KeyValueInputFormat} through the core's sequential
 * {@link PartitionScanner}: one buffered stream over the file, no per-record remote calls.
 */
final class KeyValueRecordReader extends RecordReader<BytesWritable, BytesWritable> {
  private final BytesWritable key = new BytesWritable();
  private final BytesWritable value = new BytesWritable();
  private PartitionScanner scanner;
  private boolean done;

  @Override
  public void initialize(InputSplit split, TaskAttemptContext context) throws IOException {
    Path file = ((FileSplit) split).getPath();
    scanner = PartitionScanner.open(file.getFileSystem(context.getConfiguration()), file,
        context.getConfiguration());
  }

  @Override
  public boolean nextKeyValue() throws IOException {
    if (done) {
      return false;
    }
    if (!scanner.next()) {
      done = true;
      return false;
    }
    key.set(scanner.keyBuffer(), scanner.keyOffset(), scanner.keyLength());
    value.set(scanner.valueBuffer(), scanner.valueOffset(), scanner.valueLength());
    return true;
  }

  @Override
  public BytesWritable getCurrentKey() {
    return key;
  }

  @Override
  public BytesWritable getCurrentValue() {
    return value;
  }

  @Override
  public float getProgress() {
    if (done) {
      return 1.0f;
    }
    return scanner == null ? 0.0f : scanner.progress();
  }

  @Override
  public void close() throws IOException {
    if (scanner != null) {
      scanner.close();
    }
  }
}
