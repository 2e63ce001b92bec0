package io.kvstore.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The filesystem calls that change, inspect or read a store, behind one small interface so tests
 * can inject faults (a rename that fails, a mkdirs that returns false, a read or a memory map
 * that fails) into every step. There is deliberately no getter of the underlying
 * {@link FileSystem}: a caller that needs another call adds it here, so no call goes around the
 * seam.
 *
 * <p>Unlike {@link FileSystem}, no method reports failure through a boolean: a rename or mkdirs
 * that the filesystem refuses becomes an {@link IOException} naming the paths.
 */
public interface FileOperations {

  /** The URI of the filesystem the operations act on (its scheme tells HDFS from a local disk). */
  URI getUri();

  /** {@code path} made absolute and qualified with the filesystem's scheme and authority. */
  Path makeQualified(Path path);

  /** Whether anything exists at {@code path}. */
  boolean exists(Path path) throws IOException;

  /** The status of {@code path}; {@link FileNotFoundException} if absent. */
  FileStatus getFileStatus(Path path) throws IOException;

  /** The entries of a directory; {@link FileNotFoundException} if absent. */
  FileStatus[] listStatus(Path dir) throws IOException;

  /**
   * The paths matching a glob such as {@code /in/part-*}, as {@link FileSystem#globStatus}:
   * null if a path without wildcards does not exist, empty if a pattern matches nothing.
   */
  FileStatus[] globStatus(Path pattern) throws IOException;

  /** Creates a directory and its parents; fails if the filesystem says no. */
  void mkdirs(Path dir) throws IOException;

  /**
   * Creates one directory whose parent must exist, and never creates the parent: a process that
   * is late (a task attempt after its job was aborted) fails here instead of recreating a tree
   * that someone deleted. Succeeds if the directory already exists.
   *
   * @throws FileNotFoundException if the parent does not exist
   */
  void mkdir(Path dir) throws IOException;

  /**
   * Creates a file.
   *
   * @param overwrite false to fail with {@code FileAlreadyExistsException} if it exists
   */
  FSDataOutputStream create(Path file, boolean overwrite) throws IOException;

  /**
   * Creates a file in a directory that must exist, never creating the directory (see
   * {@link #mkdir}).
   *
   * @param overwrite false to fail with {@code FileAlreadyExistsException} if it exists
   * @throws FileNotFoundException if the parent directory does not exist
   */
  FSDataOutputStream createNonRecursive(Path file, boolean overwrite) throws IOException;

  /** Opens a file for reading. */
  FSDataInputStream open(Path file) throws IOException;

  /**
   * Opens a small file that is read once, whole, from its start (a manifest, a table pointer):
   * the stream of {@link #open} unless the operations read such files more cheaply (Hadoop's
   * local filesystem: one open(2), without its status calls, buffer and statistics). Wrappers
   * that do not override this see the read as an {@link #open}.
   *
   * @throws FileNotFoundException if the file does not exist
   */
  default InputStream openSmall(Path file) throws IOException {
    return open(file);
  }

  /**
   * Opens a file for memory mapping: a read-only channel on it when the filesystem keeps its
   * files on a local disk, else null (HDFS, object stores: read such files with {@link #open}).
   * The caller closes the channel; maps taken from it stay valid after. A reader that maps a
   * file opens it only here, reading its length ({@link FileChannel#size}) and its first bytes
   * through the channel.
   *
   * @throws FileNotFoundException if the file does not exist
   */
  FileChannel openForMapping(Path file) throws IOException;

  /**
   * Where the bytes {@code [start, start + length)} of {@code file} are stored, for placing the
   * tasks that read it.
   *
   * @throws FileNotFoundException if the file does not exist
   */
  BlockLocation[] getFileBlockLocations(Path file, long start, long length) throws IOException;

  /**
   * Renames {@code src} to {@code dst}, which must not exist; fails if the filesystem refuses.
   */
  void rename(Path src, Path dst) throws IOException;

  /**
   * Renames file {@code src} to {@code dst}, atomically replacing {@code dst} if it exists: a
   * concurrent open of {@code dst} finds the old or the new file, never none (rename(2) on the
   * local filesystem, one rename with overwrite on HDFS).
   */
  void renameReplacing(Path src, Path dst) throws IOException;

  /**
   * Deletes {@code path} if it exists.
   *
   * @return whether something was deleted
   * @throws IOException if it exists and the filesystem fails to delete it
   */
  boolean delete(Path path, boolean recursive) throws IOException;

  /**
   * Operations on {@code fs}, or on the raw filesystem under it when it is a
   * {@link org.apache.hadoop.fs.ChecksumFileSystem}: writer, committer, merge and manifest all
   * skip the CRC side files, whose own replacement is not atomic (kvstore's CRC32C covers every
   * byte it writes).
   */
  static FileOperations of(FileSystem fs) {
    return new HadoopFileOperations(HadoopFileOperations.unchecksummed(fs));
  }

  /**
   * Operations on the filesystem of {@code path} under {@code conf}, as {@link #of} gives them:
   * the one way kvstore finds a filesystem from a path.
   */
  static FileOperations forPath(Path path, Configuration conf) throws IOException {
    return HadoopFileOperations.forPath(path, conf);
  }
}
