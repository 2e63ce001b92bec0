package io.kvstore.fs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/** {@link FileOperations} on a Hadoop {@link FileSystem}, turning false returns into errors. */
public final class HadoopFileOperations implements FileOperations {
  private final FileSystem fs;

  /** @param fs the filesystem to act on */
  public HadoopFileOperations(FileSystem fs) {
    this.fs = fs;
  }

  /**
   * The filesystem under {@code fs} if it is a {@link ChecksumFileSystem} (the local filesystem's
   * default), else {@code fs}: store files carry their own CRC32C, and a CRC side file would
   * make every replacement two renames.
   */
  public static FileSystem unchecksummed(FileSystem fs) {
    if (fs instanceof ChecksumFileSystem) {
      return ((ChecksumFileSystem) fs).getRawFileSystem();
    }
    return fs;
  }

  @Override
  public FileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean exists(Path path) throws IOException {
    return fs.exists(path);
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    return fs.getFileStatus(path);
  }

  @Override
  public FileStatus[] listStatus(Path dir) throws IOException {
    return fs.listStatus(dir);
  }

  @Override
  public void mkdirs(Path dir) throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("Could not create directory " + dir + " (mkdirs returned false)");
    }
  }

  @Override
  public FSDataOutputStream create(Path file, boolean overwrite) throws IOException {
    return fs.create(file, overwrite);
  }

  @Override
  public FSDataInputStream open(Path file) throws IOException {
    return fs.open(file);
  }

  @Override
  public void rename(Path src, Path dst) throws IOException {
    if (fs.exists(dst)) {
      throw new FileAlreadyExistsException("Cannot rename " + src + " to " + dst
          + ": the destination exists");
    }
    if (!fs.rename(src, dst)) {
      throw new IOException("Could not rename " + src + " to " + dst + " (rename returned false;"
          + " source exists: " + fs.exists(src) + ", destination parent exists: "
          + fs.exists(dst.getParent()) + ")");
    }
  }

  @Override
  public void renameReplacing(Path src, Path dst) throws IOException {
    if (fs instanceof RawLocalFileSystem) {
      // FileContext's OVERWRITE on the local filesystem deletes dst, then renames: a reader
      // between the two finds nothing. rename(2) replaces in one step.
      RawLocalFileSystem local = (RawLocalFileSystem) fs;
      try {
        Files.move(local.pathToFile(src).toPath(), local.pathToFile(dst).toPath(),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("Cannot replace " + dst + " by " + src + " atomically: " + e
            .getMessage(), e);
      }
      return;
    }
    // FileSystem.rename never replaces a file on HDFS; FileContext's OVERWRITE is one atomic rename.
    FileContext fc = FileContext.getFileContext(fs.getUri(), fs.getConf());
    fc.rename(fs.makeQualified(src), fs.makeQualified(dst), Options.Rename.OVERWRITE);
  }

  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    if (!fs.exists(path)) {
      return false;
    }
    if (!fs.delete(path, recursive) && fs.exists(path)) {
      throw new IOException("Could not delete " + path + " (delete returned false)");
    }
    return true;
  }
}
