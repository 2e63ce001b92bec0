package io.kvstore.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * {@link FileOperations} that fail the N-th call of any kind, counting every call (reads too),
 * so a test can fail each filesystem call of an operation in turn: first run it once to count
 * its calls, then once per call. A call fails {@link Mode#BEFORE} it reaches the filesystem, or
 * {@link Mode#AFTER} it took effect (an RPC whose answer was lost).
 */
public final class CallFailingFileOperations extends ForwardingFileOperations {
  /** When the chosen call fails. */
  public enum Mode { BEFORE, AFTER }

  private final List<String> calls = new ArrayList<>();
  private int failAt;
  private Mode mode = Mode.BEFORE;
  private String failed;

  /** @param delegate the real operations */
  public CallFailingFileOperations(FileOperations delegate) {
    super(delegate);
  }

  /** Fails the {@code nth} call (from 1) from now on; 0 fails none. Resets the call log. */
  public synchronized void failAt(int nth, Mode when) {
    calls.clear();
    failAt = nth;
    mode = when;
    failed = null;
    hook = null;
  }

  /** An operation run between two calls. */
  public interface Hook {
    /** Runs it. */
    void run() throws IOException;
  }

  private int hookAt;
  private Hook hook;

  /**
   * Runs {@code action} once, just before the {@code nth} call (from 1) from now on reaches the
   * filesystem, and fails no call: another process's operation interleaved at that point of
   * this one. Resets the call log.
   */
  public synchronized void runAt(int nth, Hook action) {
    failAt(0, Mode.BEFORE);
    hookAt = nth;
    hook = action;
  }

  /** The calls since {@link #failAt}, each as "op path". */
  public synchronized List<String> calls() {
    return new ArrayList<>(calls);
  }

  /** The call that was failed, or null. */
  public synchronized String failed() {
    return failed;
  }

  /** Logs the call; fails it now if it is the chosen one and fails before. */
  private synchronized boolean before(String op, Path path) throws IOException {
    calls.add(op + " " + path);
    if (hook != null && calls.size() == hookAt) {
      Hook action = hook;
      hook = null;
      action.run();
    }
    if (calls.size() != failAt) {
      return false;
    }
    failed = op + " " + path;
    if (mode == Mode.BEFORE) {
      throw new IOException("Injected fault before call #" + failAt + ": " + failed);
    }
    return true;
  }

  private IOException after() {
    return new IOException("Injected fault after call #" + failAt + ": " + failed);
  }

  /** Counted and failed. */
  @Override
  public boolean exists(Path path) throws IOException {
    boolean late = before("exists", path);
    boolean r = delegate().exists(path);
    if (late) {
      throw after();
    }
    return r;
  }

  /** Counted and failed. */
  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    boolean late = before("getFileStatus", path);
    FileStatus r = delegate().getFileStatus(path);
    if (late) {
      throw after();
    }
    return r;
  }

  /** Counted and failed. */
  @Override
  public FileStatus[] listStatus(Path dir) throws IOException {
    boolean late = before("listStatus", dir);
    FileStatus[] r = delegate().listStatus(dir);
    if (late) {
      throw after();
    }
    return r;
  }

  /** Counted and failed. */
  @Override
  public void mkdirs(Path dir) throws IOException {
    boolean late = before("mkdirs", dir);
    delegate().mkdirs(dir);
    if (late) {
      throw after();
    }
  }

  /** Counted and failed. */
  @Override
  public void mkdir(Path dir) throws IOException {
    boolean late = before("mkdir", dir);
    delegate().mkdir(dir);
    if (late) {
      throw after();
    }
  }

  /** Counted and failed; failing after, the file is created and its stream closed. */
  @Override
  public FSDataOutputStream create(Path file, boolean overwrite) throws IOException {
    boolean late = before("create", file);
    FSDataOutputStream r = delegate().create(file, overwrite);
    if (late) {
      r.close();
      throw after();
    }
    return r;
  }

  /** Counted and failed like {@link #create}. */
  @Override
  public FSDataOutputStream createNonRecursive(Path file, boolean overwrite) throws IOException {
    boolean late = before("createNonRecursive", file);
    FSDataOutputStream r = delegate().createNonRecursive(file, overwrite);
    if (late) {
      r.close();
      throw after();
    }
    return r;
  }

  /** Counted and failed. */
  @Override
  public FSDataInputStream open(Path file) throws IOException {
    boolean late = before("open", file);
    FSDataInputStream r = delegate().open(file);
    if (late) {
      r.close();
      throw after();
    }
    return r;
  }

  /** Counted and failed. */
  @Override
  public FileChannel openForMapping(Path file) throws IOException {
    boolean late = before("openForMapping", file);
    FileChannel r = delegate().openForMapping(file);
    if (late) {
      if (r != null) {
        r.close();
      }
      throw after();
    }
    return r;
  }

  /** Counted and failed. */
  @Override
  public void rename(Path src, Path dst) throws IOException {
    boolean late = before("rename", src);
    delegate().rename(src, dst);
    if (late) {
      throw after();
    }
  }

  /** Counted and failed. */
  @Override
  public void renameReplacing(Path src, Path dst) throws IOException {
    boolean late = before("renameReplacing", src);
    delegate().renameReplacing(src, dst);
    if (late) {
      throw after();
    }
  }

  /** Counted and failed. */
  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    boolean late = before("delete", path);
    boolean r = delegate().delete(path, recursive);
    if (late) {
      throw after();
    }
    return r;
  }
}
