package io.kvstore.mapred;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;

/**
 * Reads one partition file for {@link KeyValueInputFormat}: the old-API face of
 * {@link io.kvstore.mapreduce.KeyValueRecordReader}, which does the reading.
 */
final class KeyValueRecordReader implements RecordReader<BytesWritable, BytesWritable> {
  private final io.kvstore.mapreduce.KeyValueRecordReader reader;
  private final long length;

  KeyValueRecordReader(Path file, long length, JobConf job) throws IOException {
    this.reader = new io.kvstore.mapreduce.KeyValueRecordReader(file, job);
    this.length = length;
  }

  @Override
  public boolean next(BytesWritable key, BytesWritable value) throws IOException {
    return reader.next(key, value);
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
    return reader.getProgress();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
