package io.kvstore.fs;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
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
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.fs.permission.FsPermission;

/** {@link FileOperations} on a Hadoop {@link FileSystem}, turning false returns into errors. */
public final class HadoopFileOperations implements FileOperations {
  private final FileSystem fs;
  /**
   * {@code fs} if it is exactly Hadoop's local filesystem, else null. That filesystem sets the
   * permission of every file and directory it creates, and without Hadoop's native library it
   * does so by running {@code chmod} in a new process: 5-20 ms a file on two cores, most of the
   * time of building a small store, and a process per partition file of every local task. Files
   * and directories are created here through the JDK with the same permission Hadoop would set
   * (one chmod(2) call). Subclasses keep their own create methods (test filesystems inject
   * faults there).
   */
  private final RawLocalFileSystem local;
  /** The permissions Hadoop gives new files and directories under {@code fs}'s umask. */
  private final FsPermission filePermission;
  private final FsPermission dirPermission;
  /** Made on first use by {@link #fileContext()}; a race makes two, both usable. */
  private volatile FileContext fileContext;

  /** @param fs the filesystem to act on */
  public HadoopFileOperations(FileSystem fs) {
    this.fs = fs;
    this.local = fs.getClass() == RawLocalFileSystem.class
        && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? (RawLocalFileSystem) fs : null;
    FsPermission umask = local == null ? null : FsPermission.getUMask(fs.getConf());
    this.filePermission = local == null ? null : FsPermission.getFileDefault().applyUMask(umask);
    this.dirPermission = local == null ? null : FsPermission.getDirDefault().applyUMask(umask);
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

  /**
   * Whether {@code ops} act on Hadoop's own raw local filesystem, exactly (not a subclass, which
   * may count or fail calls): what {@link #local} decides by.
   */
  public static boolean isPlainLocal(FileOperations ops) {
    return ops instanceof HadoopFileOperations && ((HadoopFileOperations) ops).local != null;
  }

  /** Operations on the filesystem of {@code path}: see {@link FileOperations#forPath}. */
  static FileOperations forPath(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    Last last = LAST;
    if (last != null && last.fs == fs) {
      return last.ops;
    }
    FileOperations ops = FileOperations.of(fs);
    LAST = new Last(fs, ops);
    return ops;
  }

  /**
   * The operations {@link #forPath} made last, with the filesystem they were made for: a service
   * opening stores on one filesystem reuses them (they hold nothing but what {@link #of}
   * derives from the filesystem) instead of reading its umask again per open.
   */
  private static volatile Last LAST;

  private static final class Last {
    final FileSystem fs;
    final FileOperations ops;

    Last(FileSystem fs, FileOperations ops) {
      this.fs = fs;
      this.ops = ops;
    }
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
    try {
      return FileChannel.open(((RawLocalFileSystem) raw).pathToFile(file).toPath(),
          StandardOpenOption.READ);
    } catch (java.nio.file.NoSuchFileException e) {
      FileNotFoundException missing = new FileNotFoundException("File " + file
          + " does not exist");
      missing.initCause(e);
      throw missing;
    }
  }

  @Override
  public BlockLocation[] getFileBlockLocations(Path file, long start, long length)
      throws IOException {
    return fs.getFileBlockLocations(file, start, length);
  }

  @Override
  public boolean exists(Path path) throws IOException {
    if (local != null) {
      // What Hadoop's local getFileStatus decides by, without building a status: one stat(2).
      return local.pathToFile(path).exists();
    }
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
    if (local != null) {
      mkdirsLocal(local.pathToFile(dir));
      return;
    }
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
      if (file.mkdir()) {
        if (dirPermission != null) {
          permitLocal(file, dirPermission);
        }
      } else if (!file.isDirectory()) {
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
    if (local != null) {
      return createLocal(file, overwrite);
    }
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
    if (local != null) {
      File parent = local.pathToFile(file).getParentFile();
      if (parent != null) {
        mkdirsLocal(parent);
      }
      return createLocal(file, overwrite);
    }
    return fs.create(file, overwrite);
  }

  /**
   * Creates a local file as Hadoop's local filesystem does (refusing an existing file unless
   * {@code overwrite}, buffered by {@code io.file.buffer.size}, counted in the filesystem's
   * statistics, with Hadoop's permission) without Hadoop's process per file: see {@link #local}.
   * The parent must exist.
   */
  @SuppressWarnings("deprecation") // the statistics object Hadoop's own local streams count in
  private FSDataOutputStream createLocal(Path file, boolean overwrite) throws IOException {
    File f = local.pathToFile(file);
    if (f.isDirectory()) {
      throw new FileAlreadyExistsException("Cannot create " + file + ": it is a directory");
    }
    FileChannel channel;
    try {
      channel = overwrite
          ? FileChannel.open(f.toPath(), StandardOpenOption.WRITE, StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING)
          : FileChannel.open(f.toPath(), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      FileAlreadyExistsException exists = new FileAlreadyExistsException("File already exists: "
          + file);
      exists.initCause(e);
      throw exists;
    } catch (java.nio.file.NoSuchFileException e) {
      FileNotFoundException missing = new FileNotFoundException("Cannot create " + file
          + ": its parent directory does not exist");
      missing.initCause(e);
      throw missing;
    }
    try {
      permitLocal(f, filePermission);
    } catch (IOException e) {
      Closer.closeAfter(e, channel);
      throw e;
    }
    return new FSDataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel),
        fs.getConf().getInt(CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_KEY,
            CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_DEFAULT)),
        FileSystem.getStatistics(local.getUri().getScheme(), local.getClass()));
  }

  /** {@code mkdir -p} with Hadoop's permission on each directory it creates. */
  private void mkdirsLocal(File dir) throws IOException {
    if (dir.isDirectory()) {
      return;
    }
    File parent = dir.getParentFile();
    if (parent != null) {
      mkdirsLocal(parent);
    }
    if (dir.mkdir()) {
      permitLocal(dir, dirPermission);
    } else if (!dir.isDirectory()) {
      throw dir.exists() ? new FileAlreadyExistsException("Cannot create directory " + dir
          + ": a file exists there") : new IOException("Could not create directory " + dir);
    }
  }

  /** Sets {@code permission} on a local file: one chmod(2), as Hadoop's native library does. */
  private static void permitLocal(File file, FsPermission permission) throws IOException {
    short mode = permission.toShort();
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    // PosixFilePermission's order is OWNER_READ ... OTHERS_EXECUTE: bit 8 down to bit 0.
    for (PosixFilePermission p : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - p.ordinal()))) != 0) {
        set.add(p);
      }
    }
    Files.setPosixFilePermissions(file.toPath(), set);
  }

  @Override
  public FSDataInputStream open(Path file) throws IOException {
    return fs.open(file);
  }

  /**
   * On Hadoop's own local filesystem ({@link #local}), a {@link FileInputStream} of the file:
   * opening a manifest costs one open(2) instead of Hadoop's status calls and stream statistics,
   * and its open and reads are native calls, not the layers of an NIO channel (an open of a store
   * runs this once, interpreted). Elsewhere {@link #open}.
   */
  @Override
  public InputStream openSmall(Path file) throws IOException {
    if (local == null) {
      return open(file);
    }
    File f = local.pathToFile(file);
    InputStream in;
    try {
      in = new FileInputStream(f);
    } catch (FileNotFoundException e) {
      // The JDK reports every failed open so. Absent (ENOENT, or ENOTDIR under a file) and a
      // directory (EISDIR) are absent for Hadoop's open too; anything else (a file that may not be
      // read) is not.
      IOException named = f.isDirectory()
          ? new FileNotFoundException("File " + file + " is a directory")
          : f.exists() ? new IOException("Cannot open " + file + ": " + e.getMessage())
          : new FileNotFoundException("File " + file + " does not exist");
      named.initCause(e);
      throw named;
    }
    return new java.io.FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw readFailure(file, f, e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          throw readFailure(file, f, e);
        }
      }
    };
  }

  /** A failed read of {@link #openSmall}'s stream, naming the file. */
  private static IOException readFailure(Path file, File f, IOException e) {
    IOException named = f.isDirectory()
        ? new FileNotFoundException("File " + file + " is a directory")
        : new IOException("Cannot read " + file + ": " + e.getMessage());
    named.initCause(e);
    return named;
  }

  @Override
  public void rename(Path src, Path dst) throws IOException {
    if (fs.exists(dst)) {
      throw new FileAlreadyExistsException("Cannot rename " + src + " to " + dst
          + ": the destination exists");
    }
    // The check above is only for a clear message: a concurrent rename can create dst after it.
    // FileSystem.rename would then move src inside a dst directory (HDFS; the local
    // filesystem's copy fallback), so the rename itself must refuse an existing destination.
    if (fs instanceof RawLocalFileSystem) {
      moveLocal((RawLocalFileSystem) fs, src, dst);
      return;
    }
    if (renameWithOption(src, dst, Options.Rename.NONE)) {
      return;
    }
    // No atomic refusal available (a filesystem without the option): check, then rename.
    if (!fs.rename(src, dst)) {
      throw new IOException("Could not rename " + src + " to " + dst + " (rename returned false;"
          + " source exists: " + fs.exists(src) + ", destination parent exists: "
          + fs.exists(dst.getParent()) + ")");
    }
  }

  /**
   * {@code FileSystem.rename(src, dst, options)} where the filesystem makes it public (HDFS's
   * {@code DistributedFileSystem}: one NameNode operation, so {@code NONE} refuses an existing
   * destination and {@code OVERWRITE} replaces a file atomically). Called on this instance, not
   * through a {@link FileContext} of the scheme, so wrappers and test filesystems are honoured.
   *
   * @return false if this filesystem has no public form of the call
   */
  private boolean renameWithOption(Path src, Path dst, Options.Rename option)
      throws IOException {
    java.lang.reflect.Method rename = RENAME_WITH_OPTIONS.get(fs.getClass());
    if (rename == null) {
      return false;
    }
    try {
      rename.invoke(fs, src, dst, new Options.Rename[] {option});
      return true;
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IOException("Could not rename " + src + " to " + dst + ": " + cause, cause);
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  /** Per filesystem class, its public {@code rename(Path, Path, Options.Rename...)}, or null. */
  private static final ClassValue<java.lang.reflect.Method> RENAME_WITH_OPTIONS =
      new ClassValue<java.lang.reflect.Method>() {
        @Override
        protected java.lang.reflect.Method computeValue(Class<?> type) {
          try {
            java.lang.reflect.Method m =
                type.getMethod("rename", Path.class, Path.class, Options.Rename[].class);
            // FileSystem's own (protected, so never returned here) is a check-then-rename; only
            // an override made public by its filesystem is used.
            return m.getDeclaringClass() == FileSystem.class ? null : m;
          } catch (NoSuchMethodException e) {
            return null;
          }
        }
      };

  /**
   * rename(2), which never nests src in dst: it fails on a non-empty directory dst (every
   * directory this project renames onto is a store, never empty) and replaces a file or an
   * empty directory created since {@link #rename}'s check.
   */
  private static void renameLocalAtomically(RawLocalFileSystem local, Path src, Path dst)
      throws IOException {
    try {
      Files.move(local.pathToFile(src).toPath(), local.pathToFile(dst).toPath(),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.NoSuchFileException e) {
      FileNotFoundException missing = new FileNotFoundException("Cannot rename " + src + " to "
          + dst + ": " + e.getFile() + " does not exist");
      missing.initCause(e);
      throw missing;
    } catch (AtomicMoveNotSupportedException e) {
      throw e;
    } catch (java.nio.file.FileSystemException e) {
      // ENOTEMPTY arrives as a plain FileSystemException ("Directory not empty").
      if (!Files.exists(local.pathToFile(dst).toPath())) {
        throw e;
      }
      FileAlreadyExistsException exists = new FileAlreadyExistsException("Cannot rename " + src
          + " to " + dst + ": the destination exists");
      exists.initCause(e);
      throw exists;
    }
  }

  /**
   * {@link #renameLocalAtomically}, or Hadoop's copying rename where src and dst are on different
   * mounts.
   */
  private static void moveLocal(RawLocalFileSystem local, Path src, Path dst) throws IOException {
    try {
      renameLocalAtomically(local, src, dst);
    } catch (AtomicMoveNotSupportedException e) {
      // Across mounts rename(2) cannot work; Hadoop's rename copies (dst was absent just now).
      if (!local.rename(src, dst)) {
        throw new IOException("Could not rename " + src + " to " + dst + " (across filesystems,"
            + " and the copy returned false)", e);
      }
    }
  }

  /**
   * The {@link FileContext} of this filesystem, made once: on HDFS each one holds its own client,
   * and a publish renames every partition file.
   */
  private FileContext fileContext() throws UnsupportedFileSystemException {
    FileContext fc = fileContext;
    if (fc == null) {
      fc = FileContext.getFileContext(fs.getUri(), fs.getConf());
      fileContext = fc;
    }
    return fc;
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
    // FileSystem.rename never replaces a file on HDFS; its OVERWRITE option is one atomic rename.
    if (renameWithOption(src, dst, Options.Rename.OVERWRITE)) {
      return;
    }
    fileContext().rename(fs.makeQualified(src), fs.makeQualified(dst), Options.Rename.OVERWRITE);
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
