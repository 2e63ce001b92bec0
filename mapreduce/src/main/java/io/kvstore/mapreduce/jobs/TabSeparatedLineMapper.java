package io.kvstore.mapreduce.jobs;

import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * Splits a line at its first tab into key and value with the convention of {@link TsvLines}
 * (escapes decoded unless {@code kvstore.tsv.raw}; no charset decoding either way). An empty line
 * is skipped and counted in {@link Lines#EMPTY}; a line without a tab or with an invalid escape
 * fails the task with an {@link IOException} naming the file and the line's byte offset (a split
 * does not know line numbers).
 */
public final class TabSeparatedLineMapper
    extends Mapper<LongWritable, Text, BytesWritable, BytesWritable> {

  /** Counters of the lines seen. */
  public enum Lines {
    /** Lines with a tab. */
    WITH_TAB,
    /** Empty lines, skipped. */
    EMPTY
  }

  private final BytesWritable key = new BytesWritable();
  private final BytesWritable value = new BytesWritable();
  private boolean raw;

  @Override
  protected void setup(Context context) {
    raw = TsvLines.isRaw(context.getConfiguration());
  }

  @Override
  protected void map(LongWritable offset, Text line, Context context)
      throws IOException, InterruptedException {
    byte[] bytes = line.getBytes();
    int length = line.getLength();
    if (length == 0) {
      context.getCounter(Lines.EMPTY).increment(1);
      return;
    }
    int tab = TsvLines.firstTab(bytes, length);
    if (tab < 0) {
      throw badLine(context, offset, TsvLines.NO_TAB);
    }
    if (raw) {
      key.set(bytes, 0, tab);
      value.set(bytes, tab + 1, length - tab - 1);
    } else {
      byte[] k;
      byte[] v;
      try {
        k = TsvLines.unescape(bytes, 0, tab);
        v = TsvLines.unescape(bytes, tab + 1, length - tab - 1);
      } catch (IllegalArgumentException e) {
        throw badLine(context, offset, e.getMessage());
      }
      key.set(k, 0, k.length);
      value.set(v, 0, v.length);
    }
    context.getCounter(Lines.WITH_TAB).increment(1);
    context.write(key, value);
  }

  private static IOException badLine(Context context, LongWritable offset, String problem) {
    String file = context.getInputSplit() instanceof FileSplit
        ? ((FileSplit) context.getInputSplit()).getPath().toString() : "input";
    return new IOException(file + ": line at byte " + offset.get() + ": " + problem);
  }
}
