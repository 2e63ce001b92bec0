package io.kvstore.mapreduce;

import io.kvstore.format.PartitionScanner;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;

/** Reads one partition file for {@link KeyValueMapredInputFormat}. */
final class KeyValueMapredRecordReader implements RecordReader<BytesWritable, BytesWritable> {
  private final PartitionScanner scanner;
  private final long length;
  private boolean done;

  KeyValueMapredRecordReader(Path file, long length, JobConf job) throws IOException {
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

  /** Approximate bytes consumed, derived from progress through the data section. */
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
