package io.kvstore.tools;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;

/** Pairs from a SequenceFile whose keys and values are each {@link BytesWritable} or {@link Text}. */
final class SequenceFilePairSource implements PairSource {
  private final SequenceFile.Reader reader;
  private final Writable keyHolder;
  private final Writable valueHolder;
  private long record;
  private byte[] key;
  private byte[] value;

  /**
   * @param file the file, for messages
   * @param stream the file opened (through FileOperations); closed with this source
   * @param length the file's length
   */
  SequenceFilePairSource(Configuration conf, Path file, FSDataInputStream stream, long length)
      throws IOException {
    SequenceFile.Reader opened;
    try {
      opened = new SequenceFile.Reader(conf, SequenceFile.Reader.stream(stream),
          SequenceFile.Reader.length(length));
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
    this.reader = opened;
    boolean ok = false;
    try {
      this.keyHolder = holderFor(reader.getKeyClass(), "key", file);
      this.valueHolder = holderFor(reader.getValueClass(), "value", file);
      ok = true;
    } finally {
      if (!ok) {
        reader.close();
      }
    }
  }

  private static Writable holderFor(Class<?> type, String what, Path file) throws BadInputException {
    if (type == BytesWritable.class) {
      return new BytesWritable();
    }
    if (type == Text.class) {
      return new Text();
    }
    throw new BadInputException(file + ": SequenceFile " + what + " class is " + type.getName()
        + "; create reads BytesWritable or Text");
  }

  @Override
  public boolean next() throws IOException {
    if (!reader.next(keyHolder, valueHolder)) {
      return false;
    }
    record++;
    key = bytesOf(keyHolder);
    value = bytesOf(valueHolder);
    return true;
  }

  private static byte[] bytesOf(Writable w) {
    if (w instanceof BytesWritable) {
      BytesWritable b = (BytesWritable) w;
      return Arrays.copyOf(b.getBytes(), b.getLength());
    }
    Text t = (Text) w;
    return Arrays.copyOf(t.getBytes(), t.getLength());
  }

  @Override
  public byte[] key() {
    return key;
  }

  @Override
  public byte[] value() {
    return value;
  }

  @Override
  public String position() {
    return "record " + record;
  }

  @Override
  public long bytesRead() {
    try {
      return reader.getPosition();
    } catch (IOException e) {
      // Progress only; the next read reports the real error.
      return 0;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
