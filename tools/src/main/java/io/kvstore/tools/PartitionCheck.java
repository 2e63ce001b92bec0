package io.kvstore.tools;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionReader;
import io.kvstore.format.PartitionScanner;
import io.kvstore.format.ReadContext;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Checks one partition file against its manifest entry: present with the recorded length,
 * every record intact (a full scan verifying each record's CRC32C, keys strictly increasing),
 * the recorded key count and first and last keys, the whole hash index (every chunk's checksum and
 * offsets, and as many used slots as keys: checks a reader leaves to the lookups that touch each
 * chunk, or skips) and the sparse index, and the CRC32C of the whole file.
 * Stops at the first problem and describes it.
 */
final class PartitionCheck {
  private static final int BUFFER = 1 << 20;

  private final FileOperations ops;
  private final Configuration conf;
  private final ByteCodec codec;
  private final ProgressBar bar;

  PartitionCheck(FileOperations ops, Configuration conf, ByteCodec codec, ProgressBar bar) {
    this.ops = ops;
    this.conf = new Configuration(conf);
    KeyValueConf.VERIFY_CHECKSUMS.setBoolean(this.conf, true);
    this.codec = codec;
    this.bar = bar;
  }

  /**
   * The first problem of the partition, or null if it is intact. The partition is read twice
   * (records, then the whole-file checksum), and the bar counts store bytes: each pass moves it
   * by half the file, so the bar ends at the store's size.
   */
  String check(PartitionInfo info) throws IOException {
    long base = bar.done();
    long size = info.getSizeBytes();
    FileStatus status;
    try {
      status = ops.getFileStatus(info.getPath());
    } catch (FileNotFoundException e) {
      bar.update(base + size);
      return "file is missing";
    }
    if (status.getLen() != size) {
      bar.update(base + size);
      return "file is " + status.getLen() + " bytes, the manifest says " + size;
    }
    String problem;
    try {
      problem = scanRecords(info, base);
    } catch (IOException e) {
      // A filesystem-level checksum (e.g. the local filesystem's .crc files) or read error is a
      // problem of this file; the other files are still worth checking.
      problem = "read failed: " + ErrorMessages.describe(e);
    }
    if (problem == null) {
      problem = checkIndexes(info);
    }
    if (problem != null) {
      bar.update(base + size);
      return problem;
    }
    bar.update(base + size / 2);
    int crc;
    try {
      crc = fileChecksum(info, base + size / 2);
    } catch (IOException e) {
      return "read failed: " + ErrorMessages.describe(e);
    } finally {
      bar.update(base + size);
    }
    if (crc != info.getChecksum()) {
      return String.format("file CRC32C is %08x, the manifest says %08x", crc, info.getChecksum());
    }
    return null;
  }

  /** Scans the records; moves the bar from {@code base} by up to half the file. */
  private String scanRecords(PartitionInfo info, long base) throws IOException {
    byte[] previous = null;
    long records = 0;
    try (PartitionScanner scanner = PartitionScanner.open(ops, info.getPath(), conf)) {
      while (scanner.next()) {
        byte[] key = Arrays.copyOfRange(scanner.keyBuffer(), scanner.keyOffset(),
            scanner.keyOffset() + scanner.keyLength());
        records++;
        if (previous == null && !Arrays.equals(key, info.getFirstKey())) {
          return "first key is " + codec.display(key) + ", the manifest says "
              + codec.display(info.getFirstKey());
        }
        if (previous != null && Bytes.compare(previous, key) >= 0) {
          return "record " + records + ": key " + codec.display(key)
              + " does not sort after the previous key " + codec.display(previous);
        }
        previous = key;
        if ((records & 1023) == 0) {
          bar.update(base + (long) (scanner.progress() * info.getSizeBytes() / 2));
        }
      }
    } catch (CorruptStoreException e) {
      // The report line already names the file: show only what is wrong with it.
      return (records > 0 ? "after record " + records + ": " : "") + e.getProblem();
    }
    if (records != info.getKeyCount()) {
      return "holds " + records + " records, the manifest says " + info.getKeyCount();
    }
    if (previous != null && !Arrays.equals(previous, info.getLastKey())) {
      return "last key is " + codec.display(previous) + ", the manifest says "
          + codec.display(info.getLastKey());
    }
    return null;
  }

  /** The first problem of the hash and sparse indexes, or null. */
  private String checkIndexes(PartitionInfo info) {
    try (ReadContext context = new ReadContext(ops, conf);
        PartitionReader reader = PartitionReader.open(context, info.getPath(), info)) {
      reader.verifyIndexes();
      return null;
    } catch (CorruptStoreException e) {
      return e.getProblem();
    } catch (IOException e) {
      return "read failed: " + ErrorMessages.describe(e);
    }
  }

  /** The file's CRC32C; moves the bar from {@code base} by half the bytes read. */
  private int fileChecksum(PartitionInfo info, long base) throws IOException {
    return crc32c(ops, info.getPath(), read -> bar.update(base + read / 2));
  }

  /**
   * The CRC32C of the whole file, as the manifest records it.
   *
   * @param progress given the bytes read so far
   */
  static int crc32c(FileOperations ops, Path file, java.util.function.LongConsumer progress)
      throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[BUFFER];
    long read = 0;
    try (FSDataInputStream in = ops.open(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
        read += n;
        progress.accept(read);
      }
    }
    return (int) crc.getValue();
  }
}
