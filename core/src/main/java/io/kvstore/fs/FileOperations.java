package io.kvstore.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The filesystem calls that change or inspect a store, behind one small interface so tests can
 * inject faults (a rename that fails, a mkdirs that returns false) into every commit step.
 *
 * <p>Unlike {@link FileSystem}, no method reports failure through a boolean: a rename or mkdirs
 * that the filesystem refuses becomes an {@link IOException} naming the paths.
 */
public interface FileOperations {

  /** The filesystem that the operations act on. */
  FileSystem getFileSystem();

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
}
