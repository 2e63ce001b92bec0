package io.kvstore.mapred;

import io.kvstore.format.PartitionScanner;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;

/**
 * Reads one partition file for {@link KeyValueInputFormat} through the core's sequential
 * {@link PartitionScanner}: one buffered stream over the file, no per-record remote calls.
 */
final class KeyValueRecordReader implements RecordReader<BytesWritable, BytesWritable> {
  private final PartitionScanner scanner;
  private final long length;
  private boolean done;

  KeyValueRecordReader(Path file, long length, JobConf job) throws IOException {
    this.scanner = PartitionScanner.open(file.getFileSystem(job), file, job);
    this.length = length;
  }

  @Override
  public boolean next(BytesWritable key, BytesWritable value) throws IOException {
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
  public BytesWritable createKey() {
    return new BytesWritable();
  }

  @Override
  public BytesWritable createValue() {
    return new BytesWritable();
  }

  /** Bytes of the file consumed, derived from progress through its data section. */
  @Override
  public long getPos() {
    return (long) (getProgress() * length);
  }

  @Override
  public float getProgress() {
    return done ? 1.0f : scanner.progress();
  }

  @Override
  public void close() throws IOException {
    scanner.close();
  }
}
