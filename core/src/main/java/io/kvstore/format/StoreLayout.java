package io.kvstore.format;

import io.kvstore.IncompleteStoreException;
import io.kvstore.NotAStoreException;
import io.kvstore.StoreNotFoundException;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Names of the files in a store directory and how to tell what a path holds.
 *
 * <p>A store directory holds partition files, the manifest {@value #MANIFEST_NAME} once complete,
 * and, while a writer or job is working, the marker {@value #INCOMPLETE_MARKER_NAME}, created
 * exclusively so two writers can never share a store. Names starting with {@value #TEMP_PREFIX}
 * are temporary and invisible to readers.
 */
public final class StoreLayout {
  /** The manifest; its presence makes a store complete. */
  public static final String MANIFEST_NAME = "_kvstore_manifest";
  /** Marker of a store being written; created with overwrite=false. */
  public static final String INCOMPLETE_MARKER_NAME = "_kvstore_incomplete";
  /** Prefix of temporary files in a store directory. */
  public static final String TEMP_PREFIX = "_kvstore_tmp_";
  /** Extension of partition files. */
  public static final String PARTITION_EXTENSION = ".kvp";

  /** What a path holds. */
  public enum State {
    /** Nothing exists at the path. */
    ABSENT,
    /** A directory with a manifest. */
    COMPLETE,
    /**
     * A directory with the marker but no manifest, or one holding nothing but what a failed or
     * killed kvstore writer or job leaves (see {@link StoreLayout#isLeftover}): deletable.
     */
    INCOMPLETE,
    /** Something that is not a store. */
    NOT_A_STORE
  }

  private StoreLayout() {}

  /** The state of {@code path}. */
  public static State stateOf(FileOperations ops, Path path) throws IOException {
    FileStatus status;
    try {
      status = ops.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return State.ABSENT;
    }
    if (!status.isDirectory()) {
      return State.NOT_A_STORE;
    }
    if (ops.exists(new Path(path, MANIFEST_NAME))) {
      return State.COMPLETE;
    }
    if (ops.exists(new Path(path, INCOMPLETE_MARKER_NAME))) {
      return State.INCOMPLETE;
    }
    return onlyLeftovers(ops.listStatus(path)) ? State.INCOMPLETE : State.NOT_A_STORE;
  }

  /**
   * Whether {@code name}, an entry of a store directory, is something only kvstore writes there:
   * a temporary or staging entry ({@value #TEMP_PREFIX}...), a partition file, the marker, or the
   * checksum side file Hadoop's local filesystem keeps for one of them. A directory of nothing
   * else without a manifest is what a failed job left (its owner marker already gone), and may be
   * deleted like an incomplete store.
   */
  public static boolean isLeftover(String name) {
    String own = name.startsWith(".") && name.endsWith(".crc")
        ? name.substring(1, name.length() - ".crc".length()) : name;
    return own.startsWith(TEMP_PREFIX) || own.endsWith(PARTITION_EXTENSION)
        || own.equals(INCOMPLETE_MARKER_NAME);
  }

  private static boolean onlyLeftovers(FileStatus[] entries) {
    if (entries.length == 0) {
      return false;
    }
    for (FileStatus entry : entries) {
      if (!isLeftover(entry.getPath().getName())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fails unless {@code path} holds a complete store.
   *
   * @throws StoreNotFoundException if absent
   * @throws IncompleteStoreException if incomplete
   * @throws NotAStoreException if something else
   */
  public static void requireComplete(FileOperations ops, Path path) throws IOException {
    switch (stateOf(ops, path)) {
      case COMPLETE:
        return;
      case ABSENT:
        throw new StoreNotFoundException(path);
      case INCOMPLETE:
        throw new IncompleteStoreException(path);
      default:
        throw new NotAStoreException(path, describe(ops, path));
    }
  }

  /** A short description of what a non-store path holds, for messages. */
  public static String describe(FileOperations ops, Path path) throws IOException {
    FileStatus status = ops.getFileStatus(path);
    if (!status.isDirectory()) {
      return "it is a file of " + status.getLen() + " bytes";
    }
    FileStatus[] entries = ops.listStatus(path);
    return entries.length == 0 ? "it is an empty directory"
        : "it is a directory of " + entries.length + " entries and no " + MANIFEST_NAME;
  }
}
