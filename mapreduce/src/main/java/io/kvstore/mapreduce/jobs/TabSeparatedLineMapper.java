package io.kvstore.mapreduce.jobs;

import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * Splits a line at its first tab into key and value bytes, unchanged (no charset decoding, so
 * any bytes but newline and tab can be keys). A line without a tab is a key with an empty value;
 * an empty line is skipped and counted in {@link Lines#EMPTY}.
 */
public final class TabSeparatedLineMapper
    extends Mapper<LongWritable, Text, BytesWritable, BytesWritable> {

  /** Counters of the lines seen. */
  public enum Lines {
    /** Lines with a tab. */
    WITH_TAB,
    /** Non-empty lines without a tab, stored with an empty value. */
    WITHOUT_TAB,
    /** Empty lines, skipped. */
    EMPTY
  }

  private final BytesWritable key = new BytesWritable();
  private final BytesWritable value = new BytesWritable();

  @Override
  protected void map(LongWritable offset, Text line, Context context)
      throws IOException, InterruptedException {
    byte[] bytes = line.getBytes();
    int length = line.getLength();
    if (length == 0) {
      context.getCounter(Lines.EMPTY).increment(1);
      return;
    }
    int tab = -1;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\t') {
        tab = i;
        break;
      }
    }
    if (tab < 0) {
      key.set(bytes, 0, length);
      value.setSize(0);
      context.getCounter(Lines.WITHOUT_TAB).increment(1);
    } else {
      key.set(bytes, 0, tab);
      value.set(bytes, tab + 1, length - tab - 1);
      context.getCounter(Lines.WITH_TAB).increment(1);
    }
    context.write(key, value);
  }
}
