package io.kvstore.format;

import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;

/**
 * Which filesystem reads partition data. Hadoop's {@link ChecksumFileSystem} (the local
 * filesystem's default) verifies a CRC32 side file on every read; kvstore's own CRC32C already
 * covers every byte of a partition (records, both indexes, header and footer), so reads go to the
 * raw filesystem underneath and pay for one checksum instead of two. Other filesystems (HDFS)
 * are used as they are.
 */
final class DataFileSystems {
  private DataFileSystems() {}

  /** The filesystem to read partition files of {@code fs} through. */
  static FileSystem forReading(FileSystem fs) {
    if (fs instanceof ChecksumFileSystem) {
      return ((ChecksumFileSystem) fs).getRawFileSystem();
    }
    return fs;
  }
}
