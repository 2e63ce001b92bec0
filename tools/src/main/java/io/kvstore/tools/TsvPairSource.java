package io.kvstore.tools;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Pairs from tab-separated lines: the key before the first tab, the value after it (later tabs
 * belong to the value). A trailing carriage return is dropped and empty lines are skipped.
 * Fields are decoded with the user's {@link ByteCodec}.
 */
final class TsvPairSource implements PairSource {
  private final InputStream in;
  private final ByteCodec codec;
  private byte[] line = new byte[1024];
  private int lineLength;
  private long lineNumber;
  private long bytesRead;
  private byte[] key;
  private byte[] value;

  TsvPairSource(InputStream in, ByteCodec codec) {
    this.in = new BufferedInputStream(in, 1 << 16);
    this.codec = codec;
  }

  @Override
  public boolean next() throws IOException {
    do {
      if (!readLine()) {
        return false;
      }
    } while (lineLength == 0);
    int tab = -1;
    for (int i = 0; i < lineLength; i++) {
      if (line[i] == '\t') {
        tab = i;
        break;
      }
    }
    if (tab < 0) {
      throw new BadInputException("line " + lineNumber + ": no tab between key and value");
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

  private boolean readLine() throws IOException {
    lineLength = 0;
    int b;
    boolean any = false;
    while ((b = in.read()) >= 0) {
      bytesRead++;
      any = true;
      if (b == '\n') {
        break;
      }
      if (lineLength == line.length) {
        line = Arrays.copyOf(line, line.length * 2);
      }
      line[lineLength++] = (byte) b;
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
