package io.kvstore.commit;

import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;

/**
 * The output check of both output formats: a job may only write a store at a path where nothing
 * exists. Stores are write-once, and a job must never mix its files with anything else.
 */
public final class OutputPathCheck {
  private OutputPathCheck() {}

  /**
   * Fails unless nothing exists at {@code storeDir}.
   *
   * @throws FileAlreadyExistsException naming what is there
   */
  public static void requireAbsent(FileOperations ops, Path storeDir) throws IOException {
    StoreLayout.State state = StoreLayout.stateOf(ops, storeDir);
    if (state != StoreLayout.State.ABSENT) {
      throw new FileAlreadyExistsException(describeRefusal(ops, storeDir, state));
    }
  }

  /**
   * The message refusing output to {@code storeDir} in {@code state}.
   *
   * @param ops the store's filesystem operations
   * @param storeDir the refused path
   * @param state what is there
   */
  public static String describeRefusal(FileOperations ops, Path storeDir, StoreLayout.State state)
      throws IOException {
    String what;
    switch (state) {
      case COMPLETE:
        what = "already holds a complete key-value store; stores are write-once: delete it"
            + " (KeyValueSystem.deleteStore) or choose another output path";
        break;
      case INCOMPLETE:
        what = "holds an incomplete key-value store (a job or writer is writing it, or one"
            + " failed there); delete it or choose another output path";
        break;
      default:
        what = "exists and is not a key-value store (" + StoreLayout.describe(ops, storeDir)
            + "); a job writes a store only where nothing exists";
        break;
    }
    return "Output path " + ops.makeQualified(storeDir) + " " + what;
  }
}
