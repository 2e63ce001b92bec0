package io.kvstore.mapreduce;

import io.kvstore.mapreduce.commit.TaskOutputWriter;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;

/**
 * Writes a task's pairs into its partition files: the bytes {@code getBytes()[0, getLength())}
 * of each key and value, keys strictly increasing in unsigned byte order (the order Hadoop sorts
 * {@code BytesWritable} and {@code Text} in).
 */
final class KeyValueRecordWriter<K extends BinaryComparable, V extends BinaryComparable>
    extends RecordWriter<K, V> {
  private final TaskOutputWriter writer;

  KeyValueRecordWriter(TaskOutputWriter writer) {
    this.writer = writer;
  }

  /**
   * @throws IllegalArgumentException if the key is not greater than the previous one or the pair
   *     is too large (the task fails with the partition writer's message)
   */
  @Override
  public void write(K key, V value) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    writer.write(key.getBytes(), key.getLength(), value.getBytes(), value.getLength());
  }

  @Override
  public void close(TaskAttemptContext context) throws IOException {
    writer.close();
  }
}
