package io.kvstore.fs;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

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

  /** Operations on the filesystem of {@code path}: see {@link FileOperations#forPath}. */
  static FileOperations forPath(Path path, Configuration conf) throws IOException {
    return FileOperations.of(path.getFileSystem(conf));
  }

  @Override
  public URI getUri() {
    return fs.getUri();
  }

  @Override
  public Path makeQualified(Path path) {
    return fs.makeQualified(path);
  }

  @Override
  public FileChannel openForMapping(Path file) throws IOException {
    FileSystem raw = unchecksummed(fs);
    if (!(raw instanceof RawLocalFileSystem)) {
      return null;
    }
    return FileChannel.open(((RawLocalFileSystem) raw).pathToFile(file).toPath(),
        StandardOpenOption.READ);
  }

  @Override
  public BlockLocation[] getFileBlockLocations(Path file, long start, long length)
      throws IOException {
    return fs.getFileBlockLocations(file, start, length);
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
  public FileStatus[] globStatus(Path pattern) throws IOException {
    return fs.globStatus(pattern);
  }

  @Override
  public void mkdirs(Path dir) throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("Could not create directory " + dir + " (mkdirs returned false)");
    }
  }

  @Override
  public void mkdir(Path dir) throws IOException {
    FileSystem raw = unchecksummed(fs);
    if (raw instanceof RawLocalFileSystem) {
      // java.io.File.mkdir is one mkdir(2): atomic, and it never creates the parent. FileContext
      // on the local filesystem checks the parent and then calls the recursive mkdirs.
      File file = ((RawLocalFileSystem) raw).pathToFile(dir);
      if (!file.mkdir() && !file.isDirectory()) {
        File parent = file.getParentFile();
        if (parent == null || !parent.isDirectory()) {
          throw new FileNotFoundException("Cannot create directory " + dir + ": its parent does"
              + " not exist");
        }
        throw new IOException("Could not create directory " + dir + " (mkdir returned false"
            + (file.exists() ? "; a file exists there" : "") + ")");
      }
      return;
    }
    // HDFS creates a directory without its parent in one namenode call.
    FileContext fc = FileContext.getFileContext(fs.getUri(), fs.getConf());
    fc.mkdir(fs.makeQualified(dir), FsPermission.getDirDefault(), false);
  }

  // The CreateFlag form is the one filesystems implement non-recursively (HDFS in one namenode
  // call, the local filesystem by opening the file without mkdirs); RawLocalFileSystem's boolean
  // form calls mkdirs on the parent despite its name. Deprecated only in favour of the builder.
  @SuppressWarnings("deprecation")
  @Override
  public FSDataOutputStream createNonRecursive(Path file, boolean overwrite) throws IOException {
    EnumSet<CreateFlag> flags = overwrite ? EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE)
        : EnumSet.of(CreateFlag.CREATE);
    FsPermission permission = FsPermission.getFileDefault().applyUMask(
        FsPermission.getUMask(fs.getConf()));
    return fs.createNonRecursive(file, permission, flags, fs.getConf().getInt(
        CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_KEY,
        CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_DEFAULT),
        fs.getDefaultReplication(file), fs.getDefaultBlockSize(file), null);
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
