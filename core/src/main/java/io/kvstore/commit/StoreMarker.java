package io.kvstore.commit;

import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

/**
 * The incomplete-store marker of a job: created exclusively by job setup, its content is the id
 * of the job that owns the store, so abort and cleanup only ever remove what their own job made.
 */
public final class StoreMarker {
  private static final int MAX_BYTES = 4096;

  private StoreMarker() {}

  /**
   * Creates the marker; fails with {@code FileAlreadyExistsException} if any marker exists.
   */
  public static void create(FileOperations ops, Path marker, String jobId) throws IOException {
    try (FSDataOutputStream out = ops.create(marker, false)) {
      out.write(jobId.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The id of the job that owns the store, or null if there is no marker. */
  public static String readOwner(FileOperations ops, Path marker) throws IOException {
    long length;
    try {
      length = ops.getFileStatus(marker).getLen();
    } catch (FileNotFoundException e) {
      return null;
    }
    byte[] bytes = new byte[(int) Math.min(length, MAX_BYTES)];
    try (FSDataInputStream in = ops.open(marker)) {
      in.readFully(0, bytes);
    } catch (FileNotFoundException e) {
      return null;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Fails unless the store's marker names {@code context}'s job: the job still owns the store
   * and has not been aborted or committed.
   *
   * @param action what is about to happen, for the message
   */
  public static void requireOwned(CommitContext context, String action) throws IOException {
    CommitLayout layout = context.layout();
    String owner = readOwner(context.ops(), layout.marker());
    if (!layout.jobId().equals(owner)) {
      throw new IOException(context.logPrefix() + " cannot " + action + ": job "
          + layout.jobId() + " does not own the store " + layout.storeDir() + " ("
          + (owner == null ? "no " + layout.marker().getName() + " marker: the job was aborted or"
              + " already committed, or setupJob never ran"
              : "its marker names job " + owner) + ")");
    }
  }
}
