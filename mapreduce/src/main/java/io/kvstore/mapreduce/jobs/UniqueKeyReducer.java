package io.kvstore.mapreduce.jobs;

import io.kvstore.Bytes;
import io.kvstore.DuplicateKeyException;
import java.io.IOException;
import java.util.Iterator;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Reducer;

/**
 * Writes each key with its one value and fails the task with a {@link DuplicateKeyException}
 * naming the key when the input gave it more than one value.
 */
public final class UniqueKeyReducer
    extends Reducer<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {

  @Override
  protected void reduce(BytesWritable key, Iterable<BytesWritable> values, Context context)
      throws IOException, InterruptedException {
    Iterator<BytesWritable> it = values.iterator();
    BytesWritable value = it.next();
    if (it.hasNext()) {
      // The value buffer is reused by the iterator: describe the first value before advancing.
      String first = Bytes.toPrintable(value.getBytes(), 0, value.getLength(), 64);
      BytesWritable second = it.next();
      throw new DuplicateKeyException(key.copyBytes(), "of two input lines (values " + first
          + " and " + Bytes.toPrintable(second.getBytes(), 0, second.getLength(), 64)
          + "); a store holds one value per key, so the input must not repeat a key");
    }
    context.write(key, value);
  }
}
