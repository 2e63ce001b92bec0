package io.kvstore.format;

import io.kvstore.KeyValueConf;
import io.kvstore.StoreNotFoundException;
import io.kvstore.TableVersion;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates tables, publishes versions, moves the pointer and deletes old versions: what
 * {@link io.kvstore.KeyValueSystem}'s table methods and the output committer's table publish do.
 * Every filesystem call goes through one {@link FileOperations}, so each can be made to fail in a
 * test. Paths are qualified by the caller. Methods are documented on the
 * {@link io.kvstore.KeyValueSystem} methods of the same purpose.
 */
public final class TableOperations {
  private static final Logger LOG = LoggerFactory.getLogger(TableOperations.class);

  private final FileOperations ops;
  private final Configuration conf;

  /**
   * @param ops every filesystem call goes through these
   * @param conf for {@link KeyValueConf#TABLE_VERSIONS_RETAINED}
   */
  public TableOperations(FileOperations ops, Configuration conf) {
    this.ops = ops;
    this.conf = conf;
  }

  /** See {@link io.kvstore.KeyValueSystem#createTable}. */
  public void create(Path table) throws IOException {
    if (ops.exists(table)) {
      FileStatus status = ops.getFileStatus(table);
      if (!status.isDirectory() || ops.listStatus(table).length != 0) {
        throw new FileAlreadyExistsException("Cannot create a table at " + table + ": "
            + (ops.exists(TableLayout.pointer(table)) ? "it is a table already"
                : "the path exists and is not an empty directory"));
      }
    } else {
      ops.mkdirs(table);
    }
    // Not replacing: of two creators of one table, one fails here.
    new TablePointer(0, System.currentTimeMillis()).publish(ops, table, false);
  }

  /** The table's pointer; {@link StoreNotFoundException} if {@code table} is not a table. */
  public TablePointer pointer(Path table) throws IOException {
    try {
      return TablePointer.read(ops, table);
    } catch (FileNotFoundException e) {
      StoreNotFoundException notFound = new StoreNotFoundException(table, "it is not a table ("
          + (ops.exists(table) ? "no " + TableLayout.POINTER_NAME + " in it" : "nothing there")
          + ")");
      notFound.initCause(e);
      throw notFound;
    }
  }

  /** How many version numbers one publish tries when concurrent publishes take them. */
  static final int MAX_PUBLISH_ATTEMPTS = 64;

  /** See {@link io.kvstore.KeyValueSystem#publishVersion}. */
  public TableVersion publish(Path table, Path store) throws IOException {
    TablePointer before = pointer(table);
    StoreLayout.requireComplete(ops, store);
    StoreManifest manifest = StoreManifest.read(ops, store);
    long next = Math.max(before.current(), newestVersion(table)) + 1;
    Path dir = TableLayout.versionDir(table, next);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          // Refuses an existing directory atomically: two publishers never share a number.
          ops.rename(store, dir);
          break;
        } catch (FileAlreadyExistsException taken) {
          if (attempt == MAX_PUBLISH_ATTEMPTS) {
            throw taken;
          }
          // A concurrent publish took the number: take the next free one.
          next = Math.max(next, newestVersion(table)) + 1;
          dir = TableLayout.versionDir(table, next);
        }
      }
      new TablePointer(next, System.currentTimeMillis()).publish(ops, table, true);
    } catch (IOException | RuntimeException e) {
      if (!undoPublish(table, store, dir, next, e)) {
        throw e;
      }
      LOG.debug("Publish of {} as version {} of table {} succeeded despite {}", store, next,
          table, e.toString());
    }
    LOG.debug("Published {} as version {} of table {}", store, next, table);
    return new TableVersion(next, dir, manifest.getCreatedMillis(), manifest.getSizeBytes(),
        manifest.getKeyCount(), true);
  }

  /**
   * After a failed move or pointer replacement, moves the store back so the publish can be
   * repeated, unless the pointer names the new version after all (the rename took effect and
   * only its answer was lost) or cannot be read (then the version stays, current or not, never
   * missing).
   *
   * @return whether the publish took effect after all
   */
  private boolean undoPublish(Path table, Path store, Path dir, long next, Exception failure) {
    try {
      if (pointer(table).current() == next) {
        return true;
      }
      if (ops.exists(dir) && !ops.exists(store)) {
        ops.rename(dir, store);
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return false;
  }

  /** The highest version number with a directory in the table, or 0. */
  private long newestVersion(Path table) throws IOException {
    TreeSet<Long> versions = versionNumbers(table);
    return versions.isEmpty() ? 0 : versions.last();
  }

  private TreeSet<Long> versionNumbers(Path table) throws IOException {
    TreeSet<Long> versions = new TreeSet<>();
    for (FileStatus entry : ops.listStatus(table)) {
      long v = TableLayout.versionOf(entry.getPath().getName());
      if (v > 0 && entry.isDirectory()) {
        versions.add(v);
      }
    }
    return versions;
  }

  /** See {@link io.kvstore.KeyValueSystem#listVersions}. */
  public List<TableVersion> list(Path table) throws IOException {
    long current = pointer(table).current();
    List<TableVersion> out = new ArrayList<>();
    for (long v : versionNumbers(table)) {
      out.add(describe(table, v, current));
    }
    return Collections.unmodifiableList(out);
  }

  private TableVersion describe(Path table, long version, long current) throws IOException {
    Path dir = TableLayout.versionDir(table, version);
    StoreManifest manifest = StoreManifest.read(ops, dir);
    return new TableVersion(version, dir, manifest.getCreatedMillis(), manifest.getSizeBytes(),
        manifest.getKeyCount(), version == current);
  }

  /** See {@link io.kvstore.KeyValueSystem#setCurrentVersion}. */
  public TableVersion setCurrent(Path table, long version) throws IOException {
    TablePointer before = pointer(table);
    Path dir = TableLayout.versionDir(table, version);
    if (!ops.exists(dir)) {
      throw new StoreNotFoundException(dir, "table " + table + " has no version " + version);
    }
    StoreLayout.requireComplete(ops, dir);
    TableVersion chosen = describe(table, version, version);
    if (before.current() != version) {
      new TablePointer(version, System.currentTimeMillis()).publish(ops, table, true);
    }
    return chosen;
  }

  /** See {@link io.kvstore.KeyValueSystem#rollback}. */
  public TableVersion rollback(Path table) throws IOException {
    long current = pointer(table).current();
    Long previous = versionNumbers(table).lower(current);
    if (previous == null) {
      throw new StoreNotFoundException(table, "the table has no version older than its current"
          + " version " + current + " to roll back to");
    }
    return setCurrent(table, previous);
  }

  /** See {@link io.kvstore.KeyValueSystem#deleteOldVersions}. */
  public List<TableVersion> deleteOld(Path table) throws IOException {
    long retained = KeyValueConf.TABLE_VERSIONS_RETAINED.getLong(conf);
    long current = pointer(table).current();
    List<TableVersion> deleted = new ArrayList<>();
    long kept = current > 0 ? 1 : 0;
    for (long v : versionNumbers(table).descendingSet()) {
      if (v == current) {
        continue;
      }
      if (kept < retained) {
        kept++;
        continue;
      }
      TableVersion old = describe(table, v, current);
      ops.delete(old.getPath(), true);
      deleted.add(old);
      LOG.debug("Deleted version {} of table {}", v, table);
    }
    return Collections.unmodifiableList(deleted);
  }

  /**
   * The store a path names for reading: {@code dir} itself, or, when {@code dir} is a table, the
   * directory of its current version at this moment. Every reader (the client, the input
   * formats, the Spark source) resolves a path through this, so a table is read wherever a store
   * is.
   *
   * @param dir a qualified path
   * @throws StoreNotFoundException if {@code dir} is a table with no version published yet
   */
  public Path storeDir(Path dir) throws IOException {
    return ops.exists(TableLayout.pointer(dir)) ? currentDir(dir) : dir;
  }

  /** The directory of the current version; {@link StoreNotFoundException} if there is none. */
  public Path currentDir(Path table) throws IOException {
    long current = pointer(table).current();
    if (current == 0) {
      throw new StoreNotFoundException(table, "the table has no published version yet");
    }
    return TableLayout.versionDir(table, current);
  }
}
