package io.kvstore;

import io.kvstore.impl.HadoopKeyValueSystem;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Entry point of the client API: creates, opens, deletes, renames and merges write-once stores
 * on any Hadoop {@link org.apache.hadoop.fs.FileSystem}.
 *
 * <p>A store is a directory holding partition files and a manifest. The manifest is written last
 * and published with one atomic rename; until then the store is <em>incomplete</em> and cannot be
 * opened. Once complete a store never changes, except that {@link #mergeStore} may give it a new
 * manifest that adds another store's partitions.
 *
 * <p>URIs and paths without a scheme resolve against the configuration's default filesystem
 * ({@code fs.defaultFS}), as everywhere in Hadoop. Implementations are thread-safe.
 */
public interface KeyValueSystem {

  /** Creates {@link KeyValueSystem} instances. */
  final class Factory {
    private Factory() {}

    /** A system using a new default {@link Configuration} (core-site.xml etc. from the classpath). */
    public static KeyValueSystem create() {
      return create(new Configuration());
    }

    /**
     * A system using {@code conf} for filesystems and for the {@link KeyValueConf} settings.
     * The configuration is copied: later changes to it are not seen.
     */
    public static KeyValueSystem create(Configuration conf) {
      return new HadoopKeyValueSystem(new Configuration(conf));
    }
  }

  /**
   * Starts a new store at {@code uri}. Nothing is visible to readers until the writer's
   * {@link KeyValueStoreWriter#close()} returns.
   *
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException if anything exists at {@code uri}
   */
  KeyValueStoreWriter createStore(URI uri) throws IOException;

  /** {@link #createStore(URI)} for a Hadoop path. */
  KeyValueStoreWriter createStore(Path path) throws IOException;

  /**
   * Opens the complete store at {@code uri}; of a table, its current version (once: see
   * {@link #openTable} for a reader that follows the table). With
   * {@link KeyValueConf#LOCAL_COPY_DIR} set, a store on a remote filesystem is first copied to
   * local disk and checked against its manifest's checksums; the copy is deleted at close.
   *
   * @throws StoreNotFoundException if nothing exists there
   * @throws IncompleteStoreException if a writer created the store but never closed it
   * @throws NotAStoreException if the path holds something that is not a store
   * @throws CorruptStoreException if the manifest or a partition's footer or index is damaged
   */
  KeyValueStoreReader openStore(URI uri) throws IOException;

  /** {@link #openStore(URI)} for a Hadoop path. */
  KeyValueStoreReader openStore(Path path) throws IOException;

  /**
   * Deletes the store at {@code uri}, complete or incomplete. Refuses to delete a path that is
   * not a store, so a mistyped path cannot remove unrelated data.
   *
   * @throws StoreNotFoundException if nothing exists there
   * @throws NotAStoreException if the path is not a store
   */
  void deleteStore(URI uri) throws IOException;

  /** {@link #deleteStore(URI)} for a Hadoop path. */
  void deleteStore(Path path) throws IOException;

  /**
   * Renames a complete store. Both URIs must be on the same filesystem; the rename is one
   * filesystem rename of the directory, atomic where the filesystem's rename is (HDFS, local).
   *
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException if {@code newUri} exists
   */
  void renameStore(URI oldUri, URI newUri) throws IOException;

  /** {@link #renameStore(URI, URI)} for Hadoop paths. */
  void renameStore(Path oldPath, Path newPath) throws IOException;

  /**
   * Makes the store at {@code toUri} serve every pair of both stores and removes the store at
   * {@code fromUri}. Partition files are moved, never rewritten; {@code to} gets one new manifest,
   * published atomically, so readers of {@code to} see either the old or the merged store.
   * Partitions whose key ranges overlap are compared key by key first; a key present in both
   * stores is refused with a {@link DuplicateKeyException} naming it, and nothing changes.
   */
  void mergeStore(URI fromUri, URI toUri) throws IOException;

  /** {@link #mergeStore(URI, URI)} for Hadoop paths. */
  void mergeStore(Path fromPath, Path toPath) throws IOException;

  /**
   * Creates an empty table at {@code table}: a directory for the versions of a store that is
   * rebuilt on a schedule, and a pointer to the current one. Its first
   * {@link #publishVersion} makes version 1 current.
   *
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException if anything but an empty directory
   *     exists at {@code table}
   */
  void createTable(Path table) throws IOException;

  /**
   * Moves the complete store at {@code store} into the table as its next version and makes it
   * current, in one step: the store directory is renamed into the table, then the table's
   * pointer is replaced by one atomic rename. Readers see the old or the new version, never
   * neither. If anything fails the store is moved back and the table still serves the old
   * version, so the call can be repeated. Both paths must be on one filesystem.
   *
   * <p>Concurrent publishes into one table (two jobs finishing together) each get their own
   * version number: the rename into the table refuses an existing version directory atomically
   * (HDFS, local filesystem), and a publish that loses the race takes the next number. Each
   * store becomes a complete version; the current one is the one whose pointer replacement
   * came last, which need not be the highest number.
   *
   * @return the new current version
   * @throws StoreNotFoundException if {@code table} is not a table (see {@link #createTable})
   * @throws IncompleteStoreException if {@code store} is not complete
   */
  TableVersion publishVersion(Path table, Path store) throws IOException;

  /** The table's versions, oldest first, each with its creation time, size and pair count. */
  List<TableVersion> listVersions(Path table) throws IOException;

  /**
   * Makes the kept version {@code version} current again (a rollback, or forward again after
   * one), by one atomic replacement of the pointer.
   *
   * @return that version
   * @throws StoreNotFoundException if the table has no such version
   */
  TableVersion setCurrentVersion(Path table, long version) throws IOException;

  /**
   * Makes the newest version older than the current one current again.
   *
   * @return that version
   * @throws StoreNotFoundException if there is no older version
   */
  TableVersion rollback(Path table) throws IOException;

  /**
   * Deletes old versions, keeping {@link KeyValueConf#TABLE_VERSIONS_RETAINED}: the current one
   * and the newest others up to that many. Never deletes the current version. A reader serving
   * a deleted version from the table itself fails its reads of files it had not opened; readers
   * with {@link KeyValueConf#LOCAL_COPY_DIR} serve their own copies and are not affected.
   *
   * @return the versions deleted
   */
  List<TableVersion> deleteOldVersions(Path table) throws IOException;

  /**
   * Deletes the table at {@code table}: its pointer, every version and the directory. Refuses a
   * path that is not a table, so a mistyped path cannot remove unrelated data: a store (see
   * {@link #deleteStore}), a file, an empty directory, or a directory holding anything a table
   * does not (a table holds its pointer, its {@code v-NNNNNNNN} version directories and
   * temporary {@code _kvstore_tmp_*} entries). A directory of versions without a pointer, what
   * a failed delete leaves, is deleted too, so a failed delete can be run again (one failing at
   * its last step leaves an empty directory, which it names and which is no longer a table).
   *
   * <p>The pointer is removed first, so from then on {@link #openTable}, {@link #openStore} of
   * the table and {@link #publishVersion} fail ({@link StoreNotFoundException}, or
   * {@link NotAStoreException} from {@code openStore} while versions remain); then the
   * versions, then the (by then empty) directory. A failure leaves either the table intact or
   * no pointer, never a pointer to a missing version; its exception names the table, the step
   * and what is left. A store being published concurrently is either refused (and stays where
   * it was), or became a version before the delete and is deleted with the table, or arrived
   * after the versions were removed: then the delete fails, naming it, and the publish makes it
   * the table's only version. Readers already serving the table fare as after
   * {@link #deleteOldVersions}: one serving from the table itself fails its reads of files it
   * had not opened; readers with {@link KeyValueConf#LOCAL_COPY_DIR} serve their own copies; a
   * {@link TableReader}'s polls fail (logged) and it keeps its version.
   *
   * @throws StoreNotFoundException if nothing exists at {@code table}
   * @throws NotAStoreException if {@code table} is not a table
   */
  void deleteTable(Path table) throws IOException;

  /**
   * Opens the table's current version in a reader that follows the table: see
   * {@link TableReader}. {@link #openStore} of a table instead opens its current version once.
   *
   * @throws StoreNotFoundException if {@code table} is not a table or has no version yet
   */
  TableReader openTable(Path table) throws IOException;
}
