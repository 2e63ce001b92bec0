package io.kvstore.format;

import io.kvstore.KeyValueConf;
import io.kvstore.NotAStoreException;
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
      // No pointer: a concurrent deleteTable removed it; this publish did not take effect.
      if (ops.exists(TableLayout.pointer(table)) && pointer(table).current() == next) {
        return true;
      }
      if (ops.exists(dir)) {
        if (!ops.exists(store)) {
          ops.rename(dir, store);
        }
      } else if (!ops.exists(store)) {
        // Only a deleteTable racing this publish removes a version directory: say where the
        // store went rather than leave the caller looking for it.
        failure.addSuppressed(new StoreNotFoundException(store, "it was moved into table "
            + table + " as version " + next + " and deleted with the table, which a concurrent"
            + " deleteTable removed"));
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

  /** See {@link io.kvstore.KeyValueSystem#deleteTable}. */
  public void delete(Path table) throws IOException {
    boolean hasPointer = requireDeletable(table);
    Path pointer = TableLayout.pointer(table);
    String step = "removing its pointer " + pointer;
    try {
      // The pointer first: no reader or publish starts on the table from here on.
      if (hasPointer) {
        ops.delete(pointer, false);
      }
      step = "removing its versions";
      for (FileStatus entry : ops.listStatus(table)) {
        // A pointer a racing publish wrote back is a table entry too: removed with the rest.
        if (TableLayout.isTableEntry(entry)) {
          step = "removing " + entry.getPath();
          ops.delete(entry.getPath(), true);
        }
      }
      step = "removing the directory";
      FileStatus[] left = ops.listStatus(table);
      if (left.length != 0) {
        // Not a recursive delete: what appeared since the listing above (a version a racing
        // publish moved in) stays, so that publish can still make it current.
        throw new IOException("something appeared in the table while it was being deleted");
      }
      ops.delete(table, false);
    } catch (IOException | RuntimeException e) {
      throw new IOException("Deleting table " + table + " failed while " + step + " ("
          + e.getMessage() + "); left: " + describeLeft(table, e)
          + (hasPointer && !step.startsWith("removing its pointer")
              ? "; the pointer is removed, so run deleteTable again to finish" : ""), e);
    }
    LOG.debug("Deleted table {}", table);
  }

  /**
   * Fails unless {@code table} holds nothing but table entries ({@link TableLayout#isTableEntry}),
   * with a pointer or at least one version (what a failed delete leaves).
   *
   * @return whether the pointer is there
   */
  private boolean requireDeletable(Path table) throws IOException {
    StoreLayout.State state = StoreLayout.stateOf(ops, table);
    if (state == StoreLayout.State.ABSENT) {
      throw new StoreNotFoundException(table, "it is not a table (nothing there)");
    }
    if (state == StoreLayout.State.COMPLETE || state == StoreLayout.State.INCOMPLETE) {
      throw NotAStoreException.notATable(table, "it is a store; refusing to delete it as a"
          + " table (deleteStore deletes stores)");
    }
    if (!ops.getFileStatus(table).isDirectory()) {
      throw NotAStoreException.notATable(table, StoreLayout.describe(ops, table)
          + "; refusing to delete it");
    }
    boolean pointer = false;
    boolean version = false;
    FileStatus[] entries = ops.listStatus(table);
    TreeSet<String> foreign = new TreeSet<>();
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (!TableLayout.isTableEntry(entry)) {
        foreign.add(name);
      }
      pointer |= name.equals(TableLayout.POINTER_NAME);
      version |= TableLayout.versionOf(name) > 0 && entry.isDirectory();
    }
    if (!foreign.isEmpty()) {
      // The first in name order, so the message does not depend on the listing's order.
      throw NotAStoreException.notATable(table, "it holds " + foreign.first()
          + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " other entries" : "")
          + " that no table holds; refusing to delete it");
    }
    if (!pointer && !version) {
      throw NotAStoreException.notATable(table, (entries.length == 0
          ? "it is an empty directory" : "it holds no " + TableLayout.POINTER_NAME
          + " and no version") + "; refusing to delete it");
    }
    return pointer;
  }

  /** What is left of a table whose delete failed, for the message. */
  private String describeLeft(Path table, Exception failure) {
    try {
      if (!ops.exists(table)) {
        return "nothing";
      }
      List<String> names = new ArrayList<>();
      for (FileStatus entry : ops.listStatus(table)) {
        names.add(entry.getPath().getName());
      }
      Collections.sort(names);
      return names.isEmpty() ? "the empty directory" : names.toString();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      return "unknown (listing the table failed too)";
    }
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
