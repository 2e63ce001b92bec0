package io.kvstore.format;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.hadoop.fs.PositionedReadable;

/**
 * Positional reads (pread(2)) of the channel a partition is memory-mapped from: opening a local
 * partition reads its header, footer and compression section through the channel it maps anyway,
 * instead of a second open through Hadoop's stream (whose local filesystem stats the file several
 * times per open). Short reads are {@link EOFException}s, as from Hadoop's streams, so the
 * parsers' "file ended" messages are the same on both paths. Not thread-safe beyond what
 * {@link FileChannel}'s positional reads are (they are).
 */
final class ChannelReads implements PositionedReadable {
  private final FileChannel channel;

  /** @param channel the open channel; the caller closes it */
  ChannelReads(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read(long position, byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    return channel.read(ByteBuffer.wrap(buffer, offset, length), position);
  }

  @Override
  public void readFully(long position, byte[] buffer, int offset, int length)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buffer, offset, length);
    while (b.hasRemaining()) {
      if (channel.read(b, position + b.position() - offset) < 0) {
        throw new EOFException("End of file at " + (position + b.position() - offset)
            + " before reading " + length + " bytes from " + position);
      }
    }
  }

  @Override
  public void readFully(long position, byte[] buffer) throws IOException {
    readFully(position, buffer, 0, buffer.length);
  }
}
