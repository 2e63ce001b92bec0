package io.kvstore.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * {@link FileOperations} that pass every call to another; a subclass overrides only the calls
 * it changes (a task attempt's non-recursive creates, a test's injected faults), so a call added
 * to the interface is forwarded by every wrapper at once.
 */
public abstract class ForwardingFileOperations implements FileOperations {
  private final FileOperations delegate;

  /** @param delegate the operations every call not overridden goes to */
  protected ForwardingFileOperations(FileOperations delegate) {
    this.delegate = delegate;
  }

  /** The operations calls are forwarded to. */
  protected final FileOperations delegate() {
    return delegate;
  }

  /** Forwarded. */
  @Override
  public URI getUri() {
    return delegate.getUri();
  }

  /** Forwarded. */
  @Override
  public Path makeQualified(Path path) {
    return delegate.makeQualified(path);
  }

  /** Forwarded. */
  @Override
  public boolean exists(Path path) throws IOException {
    return delegate.exists(path);
  }

  /** Forwarded. */
  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    return delegate.getFileStatus(path);
  }

  /** Forwarded. */
  @Override
  public FileStatus[] listStatus(Path dir) throws IOException {
    return delegate.listStatus(dir);
  }

  /** Forwarded. */
  @Override
  public FileStatus[] globStatus(Path pattern) throws IOException {
    return delegate.globStatus(pattern);
  }

  /** Forwarded. */
  @Override
  public void mkdirs(Path dir) throws IOException {
    delegate.mkdirs(dir);
  }

  /** Forwarded. */
  @Override
  public void mkdir(Path dir) throws IOException {
    delegate.mkdir(dir);
  }

  /** Forwarded. */
  @Override
  public FSDataOutputStream create(Path file, boolean overwrite) throws IOException {
    return delegate.create(file, overwrite);
  }

  /** Forwarded. */
  @Override
  public FSDataOutputStream createNonRecursive(Path file, boolean overwrite) throws IOException {
    return delegate.createNonRecursive(file, overwrite);
  }

  /** Forwarded. */
  @Override
  public FSDataInputStream open(Path file) throws IOException {
    return delegate.open(file);
  }

  /** Forwarded. */
  @Override
  public FileChannel openForMapping(Path file) throws IOException {
    return delegate.openForMapping(file);
  }

  /** Forwarded. */
  @Override
  public BlockLocation[] getFileBlockLocations(Path file, long start, long length)
      throws IOException {
    return delegate.getFileBlockLocations(file, start, length);
  }

  /** Forwarded. */
  @Override
  public void rename(Path src, Path dst) throws IOException {
    delegate.rename(src, dst);
  }

  /** Forwarded. */
  @Override
  public void renameReplacing(Path src, Path dst) throws IOException {
    delegate.renameReplacing(src, dst);
  }

  /** Forwarded. */
  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    return delegate.delete(path, recursive);
  }
}
