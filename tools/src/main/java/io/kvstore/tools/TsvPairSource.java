package io.kvstore.tools;

import java.io.IOException;
import java.io.InputStream;
import io.kvstore.mapreduce.jobs.TsvLines;
import java.util.Arrays;

/**
 * Pairs from tab-separated lines with the convention of {@link TsvLines} (the build job's too):
 * the key before the first tab, the value after it (later tabs belong to the value). A trailing
 * carriage return is dropped and empty lines are skipped. Fields are decoded with the user's
 * {@link ByteCodec}, or taken as they are when raw.
 */
final class TsvPairSource implements PairSource {
  private final InputStream in;
  private final ByteCodec codec;
  private final boolean raw;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkLimit;
  private byte[] line = new byte[1024];
  private int lineLength;
  private long lineNumber;
  private long bytesRead;
  private byte[] key;
  private byte[] value;

  /**
   * @param raw take fields as raw bytes instead of decoding them with {@code codec} (only with
   *     {@link ByteCodec#TEXT})
   */
  TsvPairSource(InputStream in, ByteCodec codec, boolean raw) {
    if (raw && codec != ByteCodec.TEXT) {
      throw new UsageException("--raw excludes --hex and --base64");
    }
    this.in = in;
    this.codec = codec;
    this.raw = raw;
  }

  @Override
  public boolean next() throws IOException {
    do {
      if (!readLine()) {
        return false;
      }
    } while (lineLength == 0);
    int tab = TsvLines.firstTab(line, lineLength);
    if (tab < 0) {
      throw new BadInputException("line " + lineNumber + ": " + TsvLines.NO_TAB);
    }
    if (raw) {
      key = TsvLines.field(line, 0, tab, true);
      value = TsvLines.field(line, tab + 1, lineLength - tab - 1, true);
      return true;
    }
    try {
      key = codec.decode(line, 0, tab);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("line " + lineNumber + ": key is not valid "
          + codec.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
    }
    try {
      value = codec.decode(line, tab + 1, lineLength - tab - 1);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("line " + lineNumber + ": value is not valid "
          + codec.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
    }
    return true;
  }

  /** Reads the next line into {@link #line}; false at the end of input. */
  private boolean readLine() throws IOException {
    lineLength = 0;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLimit) {
        chunkLimit = in.read(chunk, 0, chunk.length);
        chunkPos = 0;
        if (chunkLimit <= 0) {
          chunkLimit = 0;
          break;
        }
      }
      any = true;
      int newline = -1;
      for (int i = chunkPos; i < chunkLimit; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? chunkLimit : newline;
      append(chunk, chunkPos, end - chunkPos);
      bytesRead += end - chunkPos + (newline < 0 ? 0 : 1);
      chunkPos = newline < 0 ? chunkLimit : newline + 1;
      if (newline >= 0) {
        break;
      }
    }
    if (!any) {
      return false;
    }
    lineNumber++;
    if (lineLength > 0 && line[lineLength - 1] == '\r') {
      lineLength--;
    }
    return true;
  }

  private void append(byte[] src, int off, int len) {
    if (lineLength + len > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + len));
    }
    System.arraycopy(src, off, line, lineLength, len);
    lineLength += len;
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
    return "line " + lineNumber;
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
