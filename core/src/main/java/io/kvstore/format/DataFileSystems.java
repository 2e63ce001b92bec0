package io.kvstore.format;

import io.kvstore.fs.HadoopFileOperations;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;

/**
 * Which filesystem reads and writes store files. Hadoop's {@link ChecksumFileSystem} (the local
 * filesystem's default) keeps a CRC32 side file for every file and checks it on every read;
 * kvstore's own CRC32C already covers every byte of a partition (records, both indexes, header
 * and footer) and of the manifest, so store files go to the raw filesystem underneath and pay for
 * one checksum instead of two. Other filesystems (HDFS) are used as they are. The same choice as
 * {@link io.kvstore.fs.FileOperations#of}, for the readers that stream partition files.
 */
public final class DataFileSystems {
  private DataFileSystems() {}

  /** The filesystem to read and write store files of {@code fs} through. */
  public static FileSystem unchecksummed(FileSystem fs) {
    return HadoopFileOperations.unchecksummed(fs);
  }
}
