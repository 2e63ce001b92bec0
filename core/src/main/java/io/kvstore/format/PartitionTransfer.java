package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreReadException;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads a whole partition file once, checks its length and CRC32C against the manifest, and
 * optionally writes every byte elsewhere on the way: the one pass that both verifies a table's
 * new version in place and copies a remote store to local disk.
 */
public final class PartitionTransfer {
  private static final int BUFFER = 1 << 20;

  /** Told of the bytes read so far, e.g. to hold a copy to a throughput limit. */
  public interface Progress {
    /** {@code bytes} more were read. */
    void read(long bytes) throws IOException;
  }

  private PartitionTransfer() {}

  /**
   * Reads {@code partition}'s file (its resolved path) to the end.
   *
   * @param sink where every byte read is written, or null to only check
   * @param progress told after every buffer, or null
   * @throws CorruptStoreException naming the file if it is missing, of another length than the
   *     manifest says, or fails the whole-file CRC32C
   * @throws StoreReadException naming the file and offset if the filesystem fails a read;
   *     errors of {@code sink} propagate as they are
   */
  public static void transfer(FileOperations ops, PartitionInfo partition, OutputStream sink,
      Progress progress) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[BUFFER];
    long offset = 0;
    FSDataInputStream in;
    try {
      in = ops.open(partition.getPath());
    } catch (FileNotFoundException e) {
      throw new CorruptStoreException(partition.getPath(), "partition file is missing", e);
    } catch (IOException e) {
      throw new StoreReadException(partition.getPath(), -1, e);
    }
    try (FSDataInputStream open = in) {
      while (true) {
        int n;
        try {
          n = open.read(buffer);
        } catch (IOException e) {
          throw new StoreReadException(partition.getPath(), offset, e);
        }
        if (n < 0) {
          break;
        }
        crc.update(buffer, 0, n);
        if (sink != null) {
          sink.write(buffer, 0, n);
        }
        offset += n;
        if (offset > partition.getSizeBytes()) {
          throw new CorruptStoreException(partition.getPath(), "file is longer than the "
              + partition.getSizeBytes() + " bytes the manifest says");
        }
        if (progress != null) {
          progress.read(n);
        }
      }
    }
    if (offset != partition.getSizeBytes()) {
      throw new CorruptStoreException(partition.getPath(), "file is " + offset
          + " bytes, the manifest says " + partition.getSizeBytes());
    }
    if ((int) crc.getValue() != partition.getChecksum()) {
      throw new CorruptStoreException(partition.getPath(), String.format(
          "file CRC32C is %08x, the manifest says %08x", (int) crc.getValue(),
          partition.getChecksum()));
    }
  }
}
