package io.kvstore.mapreduce;

import io.kvstore.fs.FileOperations;
import io.kvstore.fs.ForwardingFileOperations;
import io.kvstore.fs.HadoopFileOperations;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * {@link FileOperations} that fail one chosen call: the N-th rename, mkdirs, delete or create
 * after {@link #failOn} either throws, or (rename, mkdirs, delete) gets {@code false} from the
 * filesystem underneath, exactly as a real filesystem would report it.
 */
public final class FaultInjectingFileOperations extends ForwardingFileOperations {
  /** The operations that can fail. */
  public enum Op { RENAME, MKDIRS, DELETE, CREATE }

  /** How a call fails. */
  public enum Mode { RETURN_FALSE, THROW }

  /** Something another process does at a chosen moment. */
  public interface IoAction {
    /** Does it. */
    void run() throws IOException;
  }

  private final Map<Op, Integer> calls = new EnumMap<>(Op.class);
  private Op failOp;
  private int failAt;
  private Mode failMode;
  private boolean returnFalse;
  private int injected;
  private Op hookOp;
  private int hookAt;
  private IoAction hook;

  /** @param fs the real filesystem */
  public FaultInjectingFileOperations(FileSystem fs) {
    this(new FalseReturningFileSystem(fs));
  }

  private FaultInjectingFileOperations(FalseReturningFileSystem wrapped) {
    super(new HadoopFileOperations(wrapped));
    wrapped.owner = this;
  }

  /**
   * Fails the {@code nth} (from 1) call of {@code op} made from now on; {@code nth} of 0 fails
   * every call.
   */
  public synchronized void failOn(Op op, int nth, Mode mode) {
    if (mode == Mode.RETURN_FALSE && op == Op.CREATE) {
      throw new IllegalArgumentException("create has no false return");
    }
    calls.clear();
    failOp = op;
    failAt = nth;
    failMode = mode;
    injected = 0;
  }

  /**
   * Runs {@code action} just before the {@code nth} (from 1, counted like {@link #failOn}) call
   * of {@code op} reaches the filesystem: a race with another process, made deterministic.
   */
  public synchronized void beforeCall(Op op, int nth, IoAction action) {
    calls.clear();
    hookOp = op;
    hookAt = nth;
    hook = action;
  }

  /** Calls of {@code op} since {@link #failOn} (or since creation). */
  public synchronized int calls(Op op) {
    return calls.getOrDefault(op, 0);
  }

  /** How many faults were injected. */
  public synchronized int injected() {
    return injected;
  }

  private synchronized void before(Op op, Path path) throws IOException {
    int n = calls.merge(op, 1, Integer::sum);
    if (op == hookOp && n == hookAt) {
      IoAction action = hook;
      hook = null;
      hookOp = null;
      action.run();
    }
    if (op == failOp && (failAt == 0 || n == failAt)) {
      injected++;
      if (failMode == Mode.THROW) {
        throw new IOException("Injected fault: " + op + " #" + n + " of " + path);
      }
      returnFalse = true;
    }
  }

  private synchronized boolean takeReturnFalse() {
    boolean r = returnFalse;
    returnFalse = false;
    return r;
  }

  @Override
  public void mkdirs(Path dir) throws IOException {
    before(Op.MKDIRS, dir);
    delegate().mkdirs(dir);
  }

  /** Counted and failed as {@link Op#MKDIRS}. */
  @Override
  public void mkdir(Path dir) throws IOException {
    before(Op.MKDIRS, dir);
    if (takeReturnFalse()) {
      throw new IOException("Injected fault: mkdir of " + dir + " failed");
    }
    delegate().mkdir(dir);
  }

  @Override
  public FSDataOutputStream create(Path file, boolean overwrite) throws IOException {
    before(Op.CREATE, file);
    return delegate().create(file, overwrite);
  }

  /** Counted and failed as {@link Op#CREATE}. */
  @Override
  public FSDataOutputStream createNonRecursive(Path file, boolean overwrite) throws IOException {
    before(Op.CREATE, file);
    return delegate().createNonRecursive(file, overwrite);
  }

  @Override
  public void rename(Path src, Path dst) throws IOException {
    before(Op.RENAME, src);
    delegate().rename(src, dst);
  }

  @Override
  public void renameReplacing(Path src, Path dst) throws IOException {
    before(Op.RENAME, src);
    if (takeReturnFalse()) {
      throw new IOException("Injected fault: rename of " + src + " over " + dst + " failed");
    }
    delegate().renameReplacing(src, dst);
  }

  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    before(Op.DELETE, path);
    return delegate().delete(path, recursive);
  }

  /** Answers false to the one call that {@link #before} armed. */
  private static final class FalseReturningFileSystem extends FilterFileSystem {
    private FaultInjectingFileOperations owner;

    FalseReturningFileSystem(FileSystem fs) {
      super(fs);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
      return !owner.takeReturnFalse() && super.rename(src, dst);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
      return !owner.takeReturnFalse() && super.mkdirs(f);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
      return !owner.takeReturnFalse() && super.mkdirs(f, permission);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
      return !owner.takeReturnFalse() && super.delete(f, recursive);
    }
  }
}
