package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.format.PartitionScanner;
import io.kvstore.util.SortedSource;
import java.io.IOException;

/** A partition scan that stops before {@code toKey}: the unit every store iterator is made of. */
final class BoundedScan implements SortedSource {
  private final PartitionScanner scanner;
  private final byte[] toKey;
  private boolean done;

  BoundedScan(PartitionScanner scanner, byte[] toKey) {
    this.scanner = scanner;
    this.toKey = toKey;
  }

  /** Advances; false (and closed) once past the end or the bound. */
  @Override
  public boolean advance() throws IOException {
    if (done) {
      return false;
    }
    if (scanner.next() && (toKey == null || Bytes.compare(scanner.keyBuffer(),
        scanner.keyOffset(), scanner.keyLength(), toKey, 0, toKey.length) < 0)) {
      return true;
    }
    done = true;
    scanner.close();
    return false;
  }

  PartitionScanner current() {
    return scanner;
  }

  @Override
  public byte[] keyBuffer() {
    return scanner.keyBuffer();
  }

  @Override
  public int keyOffset() {
    return scanner.keyOffset();
  }

  @Override
  public int keyLength() {
    return scanner.keyLength();
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      scanner.close();
    }
  }
}
