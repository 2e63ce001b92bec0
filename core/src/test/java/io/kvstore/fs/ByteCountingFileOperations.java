package io.kvstore.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;

/**
 * File operations counting the bytes kvstore asks its input streams for (positional and
 * sequential reads alike, before any buffering of the filesystem below) and the streams opened,
 * and the bytes read through channels opened for mapping (counted as opens too). Memory maps are
 * not counted: they read nothing until a lookup touches them.
 */
public final class ByteCountingFileOperations extends ForwardingFileOperations {
  /** Bytes read through streams opened here. */
  public final AtomicLong bytesRead = new AtomicLong();
  /** Streams and channels for mapping opened. */
  public final AtomicLong opens = new AtomicLong();

  /** @param delegate the operations that do the work */
  public ByteCountingFileOperations(FileOperations delegate) {
    super(delegate);
  }

  @Override
  public FSDataInputStream open(Path file) throws IOException {
    opens.incrementAndGet();
    return new FSDataInputStream(new Counting(delegate().open(file)));
  }

  /**
   * The channel of the delegate, its reads counted (opening a mapped partition reads its header
   * and footer through it); the maps taken from it are not.
   */
  @Override
  public FileChannel openForMapping(Path file) throws IOException {
    FileChannel channel = delegate().openForMapping(file);
    if (channel == null) {
      return null;
    }
    opens.incrementAndGet();
    return new CountingChannel(channel);
  }

  /** A channel passing every call on, counting the bytes read. */
  private final class CountingChannel extends ForwardingFileChannel {
    CountingChannel(FileChannel channel) {
      super(channel);
    }

    private int count(int n) {
      if (n > 0) {
        bytesRead.addAndGet(n);
      }
      return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return count(delegate().read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      long n = delegate().read(dsts, offset, length);
      if (n > 0) {
        bytesRead.addAndGet(n);
      }
      return n;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return count(delegate().read(dst, position));
    }
  }

  /** A stream passing every read to {@code in} and counting its bytes. */
  private final class Counting extends FSInputStream {
    private final FSDataInputStream in;

    Counting(FSDataInputStream in) {
      this.in = in;
    }

    private int count(int n) {
      if (n > 0) {
        bytesRead.addAndGet(n);
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return count(in.read(b, off, len));
    }

    @Override
    public int read(long position, byte[] b, int off, int len) throws IOException {
      return count(in.read(position, b, off, len));
    }

    @Override
    public void readFully(long position, byte[] b, int off, int len) throws IOException {
      in.readFully(position, b, off, len);
      count(len);
    }

    @Override
    public void seek(long pos) throws IOException {
      in.seek(pos);
    }

    @Override
    public long getPos() throws IOException {
      return in.getPos();
    }

    @Override
    public boolean seekToNewSource(long targetPos) throws IOException {
      return in.seekToNewSource(targetPos);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
