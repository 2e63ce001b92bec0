package io.kvstore.impl;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.NotAStoreException;
import io.kvstore.StoreNotFoundException;
import io.kvstore.TableReader;
import io.kvstore.TableVersion;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.HadoopFileOperations;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;

/** The {@link KeyValueSystem} on Hadoop filesystems. Thread-safe. */
public final class HadoopKeyValueSystem implements KeyValueSystem {
  private final Configuration conf;
  /**
   * The operations on Hadoop's own local filesystem once a path has led to it, with that path's
   * scheme ({@code file}, or null when the local filesystem is the default one); else null.
   */
  private volatile Local local;

  /** @param conf filesystem and kvstore settings (not copied) */
  public HadoopKeyValueSystem(Configuration conf) {
    this.conf = Objects.requireNonNull(conf, "conf");
  }

  /** {@link #local}'s two parts. */
  private static final class Local {
    final String scheme;
    final FileOperations ops;

    Local(String scheme, FileOperations ops) {
      this.scheme = scheme;
      this.ops = ops;
    }
  }

  /**
   * The operations on the filesystem of {@code path}. Hadoop's own local filesystem is looked up
   * once per system and kept: a lookup ({@code FileSystem.get}: the default filesystem's URI
   * parsed, a key formatted, the current user asked for) cost about 0.15 ms of an open that runs
   * once per version of a store, so never compiled. Its operations depend on nothing a lookup
   * could change (this system's configuration is its own; the local disk is the same for every
   * user, and closing Hadoop's instance leaves its files readable). Every other filesystem, and
   * subclasses of the local one, are looked up on every call, as Hadoop's cache and its closing
   * rules expect.
   */
  FileOperations opsFor(Path path) throws IOException {
    URI uri = path.toUri();
    Local l = local;
    if (l != null && uri.getAuthority() == null && Objects.equals(l.scheme, uri.getScheme())) {
      return l.ops;
    }
    FileOperations ops = FileOperations.forPath(path, conf);
    if (uri.getAuthority() == null && HadoopFileOperations.isPlainLocal(ops)) {
      local = new Local(uri.getScheme(), ops);
    }
    return ops;
  }

  private Path qualify(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return opsFor(path).makeQualified(path);
  }

  @Override
  public KeyValueStoreWriter createStore(URI uri) throws IOException {
    return createStore(new Path(Objects.requireNonNull(uri, "uri")));
  }

  @Override
  public KeyValueStoreWriter createStore(Path path) throws IOException {
    Path dir = qualify(path);
    FileOperations ops = opsFor(dir);
    return HadoopStoreWriter.create(ops, dir, conf);
  }

  @Override
  public KeyValueStoreReader openStore(URI uri) throws IOException {
    return openStore(new Path(Objects.requireNonNull(uri, "uri")));
  }

  @Override
  public KeyValueStoreReader openStore(Path path) throws IOException {
    // One lookup of the filesystem: the qualified path names the filesystem it was qualified by.
    FileOperations ops = opsFor(Objects.requireNonNull(path, "path"));
    Path dir = ops.makeQualified(path);
    dir = new TableOperations(ops, conf).storeDir(dir);
    LocalCopies copies = LocalCopies.forReader(conf, true);
    if (copies != null && copies.applies(ops)) {
      return copies.open(ops, dir);
    }
    return HadoopStoreReader.open(ops, dir, conf);
  }

  @Override
  public void deleteStore(URI uri) throws IOException {
    deleteStore(new Path(Objects.requireNonNull(uri, "uri")));
  }

  @Override
  public void deleteStore(Path path) throws IOException {
    Path dir = qualify(path);
    FileOperations ops = opsFor(dir);
    switch (StoreLayout.stateOf(ops, dir)) {
      case ABSENT:
        throw new StoreNotFoundException(dir);
      case NOT_A_STORE:
        throw new NotAStoreException(dir, StoreLayout.describe(ops, dir) + "; refusing to delete it");
      default:
        ops.delete(dir, true);
    }
  }

  @Override
  public void renameStore(URI oldUri, URI newUri) throws IOException {
    renameStore(new Path(Objects.requireNonNull(oldUri, "oldUri")),
        new Path(Objects.requireNonNull(newUri, "newUri")));
  }

  @Override
  public void renameStore(Path oldPath, Path newPath) throws IOException {
    Path from = qualify(oldPath);
    Path to = qualify(newPath);
    FileOperations ops = sameFileSystem(from, to);
    StoreLayout.requireComplete(ops, from);
    if (ops.exists(to)) {
      throw new FileAlreadyExistsException("Cannot rename store " + from + " to " + to
          + ": the destination exists");
    }
    Path parent = to.getParent();
    if (parent != null && !ops.exists(parent)) {
      ops.mkdirs(parent);
    }
    ops.rename(from, to);
  }

  @Override
  public void mergeStore(URI fromUri, URI toUri) throws IOException {
    mergeStore(new Path(Objects.requireNonNull(fromUri, "fromUri")),
        new Path(Objects.requireNonNull(toUri, "toUri")));
  }

  @Override
  public void mergeStore(Path fromPath, Path toPath) throws IOException {
    Path from = qualify(fromPath);
    Path to = qualify(toPath);
    if (from.equals(to)) {
      throw new IllegalArgumentException("Cannot merge store " + from + " into itself");
    }
    new StoreMerger(sameFileSystem(from, to), conf).merge(from, to);
  }

  private FileOperations sameFileSystem(Path a, Path b) throws IOException {
    URI x = a.toUri();
    URI y = b.toUri();
    if (!Objects.equals(x.getScheme(), y.getScheme())
        || !Objects.equals(x.getAuthority(), y.getAuthority())) {
      throw new IllegalArgumentException("Stores " + a + " and " + b
          + " are on different filesystems; move data between filesystems with a copy job");
    }
    return opsFor(a);
  }

  private TableOperations tables(Path table) throws IOException {
    return new TableOperations(opsFor(table), conf);
  }

  @Override
  public void createTable(Path table) throws IOException {
    Path t = qualify(table);
    tables(t).create(t);
  }

  @Override
  public TableVersion publishVersion(Path table, Path store) throws IOException {
    Path t = qualify(table);
    Path s = qualify(store);
    return new TableOperations(sameFileSystem(t, s), conf).publish(t, s);
  }

  @Override
  public List<TableVersion> listVersions(Path table) throws IOException {
    Path t = qualify(table);
    return tables(t).list(t);
  }

  @Override
  public TableVersion setCurrentVersion(Path table, long version) throws IOException {
    Path t = qualify(table);
    return tables(t).setCurrent(t, version);
  }

  @Override
  public TableVersion rollback(Path table) throws IOException {
    Path t = qualify(table);
    return tables(t).rollback(t);
  }

  @Override
  public List<TableVersion> deleteOldVersions(Path table) throws IOException {
    Path t = qualify(table);
    return tables(t).deleteOld(t);
  }

  @Override
  public void deleteTable(Path table) throws IOException {
    Path t = qualify(table);
    tables(t).delete(t);
  }

  @Override
  public TableReader openTable(Path table) throws IOException {
    Path t = qualify(table);
    return FollowingTableReader.open(tables(t), opsFor(t), t, conf);
  }
}
