package io.kvstore.fs;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/** {@link FileOperations} on a Hadoop {@link FileSystem}, turning false returns into errors. */
public final class HadoopFileOperations implements FileOperations {
  private final FileSystem fs;

  /** @param fs the filesystem to act on */
  public HadoopFileOperations(FileSystem fs) {
    this.fs = fs;
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
