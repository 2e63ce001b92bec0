package io.kvstore.benchmarks;

import io.kvstore.fs.HadoopFileOperations;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The physical reference lines: plain Hadoop streams doing the least the workload needs. On the
 * local filesystem they use the raw filesystem under Hadoop's checksum layer, as kvstore does for
 * its own files (its CRC32C covers every byte): the reference is the cost of the bytes alone.
 */
public final class RawReference {
  /** Chunk size of the raw writes and sequential reads. */
  static final int CHUNK = 1 << 20;

  private RawReference() {}

  /** Writes every key and value of {@code data} back to back to {@code file}, 1 MB at a time. */
  public static void write(DataSet data, FileSystem fileSystem, Path file) throws IOException {
    FileSystem fs = HadoopFileOperations.unchecksummed(fileSystem);
    byte[] chunk = new byte[CHUNK];
    byte[] key = new byte[DataSet.KEY_LENGTH];
    byte[] value = new byte[data.valueLength()];
    int pos = 0;
    try (FSDataOutputStream out = fs.create(file, false)) {
      for (int i = 0; i < data.keyCount(); i++) {
        long hi = data.hiAt(i);
        DataSet.presentKey(hi, key);
        data.valueOf(hi, value);
        pos = put(out, chunk, pos, key);
        pos = put(out, chunk, pos, value);
      }
      out.write(chunk, 0, pos);
    }
  }

  private static int put(FSDataOutputStream out, byte[] chunk, int pos, byte[] src)
      throws IOException {
    int off = 0;
    while (off < src.length) {
      int n = Math.min(src.length - off, chunk.length - pos);
      System.arraycopy(src, off, chunk, pos, n);
      pos += n;
      off += n;
      if (pos == chunk.length) {
        out.write(chunk, 0, pos);
        pos = 0;
      }
    }
    return pos;
  }

  /** Reads every byte of {@code files} in order, 1 MB at a time; returns the byte count. */
  public static long readSequentially(FileSystem fileSystem, List<Path> files)
      throws IOException {
    FileSystem fs = HadoopFileOperations.unchecksummed(fileSystem);
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    for (Path file : files) {
      try (FSDataInputStream in = fs.open(file, CHUNK)) {
        int n;
        while ((n = in.read(chunk, 0, chunk.length)) > 0) {
          total += n;
        }
      }
    }
    return total;
  }
}
