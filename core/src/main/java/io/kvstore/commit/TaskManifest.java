package io.kvstore.commit;

import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.ManifestCodec;
import io.kvstore.format.Routing;
import io.kvstore.fs.FileOperations;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

/**
 * What one task attempt wrote: exactly the partition files its record writer finished, and
 * whether every key it wrote falls in the attempt's partitioner bucket. A closed record writer
 * leaves one in its attempt directory; the task commit publishes it under the task's name. Job
 * commit reads nothing else, so files that a zombie or a losing attempt leaves behind can never
 * reach the store. Immutable; serialized with a magic, a version and a CRC32C.
 */
public final class TaskManifest {
  private static final byte[] MAGIC = "KVSTTASK".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_BYTES = 64 << 20;

  private final String attemptId;
  private final List<PartitionInfo> partitions;
  private final Routing checkedRouting;
  private final boolean keysMatchRouting;

  /**
   * @param attemptId the attempt that wrote the files
   * @param partitions the files, in key order
   * @param checkedRouting the bucket routing every key was checked against, or
   *     {@link Routing#byRange()} if none was checked
   * @param keysMatchRouting whether every key fell in the attempt's bucket of
   *     {@code checkedRouting}
   */
  public TaskManifest(String attemptId, List<PartitionInfo> partitions, Routing checkedRouting,
      boolean keysMatchRouting) {
    this.attemptId = attemptId;
    this.partitions = Collections.unmodifiableList(new ArrayList<>(partitions));
    this.checkedRouting = checkedRouting;
    this.keysMatchRouting = keysMatchRouting;
  }

  /** The attempt that wrote the files. */
  public String getAttemptId() {
    return attemptId;
  }

  /** The partition files, in key order. */
  public List<PartitionInfo> getPartitions() {
    return partitions;
  }

  /** The bucket routing the keys were checked against ({@link Routing#byRange()} if none). */
  public Routing getCheckedRouting() {
    return checkedRouting;
  }

  /** Whether every key fell in the attempt's bucket of {@link #getCheckedRouting()}. */
  public boolean keysMatchRouting() {
    return keysMatchRouting;
  }

  /** Total pairs. */
  public long keyCount() {
    return PartitionInfo.totalKeyCount(partitions);
  }

  /** Total bytes of the files. */
  public long sizeBytes() {
    return PartitionInfo.totalSizeBytes(partitions);
  }

  /** The serialized form. */
  public byte[] toBytes() {
    return ManifestCodec.encode(MAGIC, VERSION, out -> {
      out.writeUTF(attemptId);
      out.writeBoolean(checkedRouting.isByBucket());
      if (checkedRouting.isByBucket()) {
        out.writeInt(checkedRouting.function().id());
        out.writeLong(checkedRouting.seed());
        out.writeInt(checkedRouting.bucketCount());
      }
      out.writeBoolean(keysMatchRouting);
      ManifestCodec.writePartitions(out, partitions);
    });
  }

  /**
   * Parses a serialized task manifest.
   *
   * @param source the file the bytes came from, for messages
   * @throws CorruptStoreException if the bytes are not an intact task manifest
   */
  public static TaskManifest parse(byte[] bytes, Object source) throws CorruptStoreException {
    if (bytes.length < MAGIC.length + 8
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new CorruptStoreException(source, "not a kvstore task manifest (" + bytes.length
          + " bytes, bad magic)");
    }
    ManifestCodec.verifyChecksum(bytes, "task manifest", source);
    try {
      DataInputStream in = new DataInputStream(
          new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length - 4));
      int version = in.readInt();
      if (version != VERSION) {
        throw new CorruptStoreException(source, "task manifest version " + version
            + " is not supported (this kvstore reads version " + VERSION + ")");
      }
      String attempt = in.readUTF();
      Routing routing = Routing.byRange();
      if (in.readBoolean()) {
        int functionId = in.readInt();
        long seed = in.readLong();
        int buckets = in.readInt();
        routing = ManifestCodec.bucketRouting(functionId, seed, buckets, source);
      }
      boolean match = in.readBoolean();
      List<PartitionInfo> partitions = ManifestCodec.readPartitions(in, bytes.length, source);
      if (in.available() != 0) {
        throw new CorruptStoreException(source, in.available() + " unexpected trailing bytes");
      }
      return new TaskManifest(attempt, partitions, routing, match);
    } catch (EOFException e) {
      throw new CorruptStoreException(source, "task manifest ends in the middle of a record", e);
    } catch (CorruptStoreException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptStoreException(source, "invalid task manifest: " + e.getMessage(), e);
    }
  }

  /** Reads the task manifest at {@code file}. */
  public static TaskManifest read(FileOperations ops, Path file) throws IOException {
    return parse(ManifestCodec.readFile(ops, file, MAX_BYTES, "task manifest"), file);
  }

  /**
   * Writes this manifest to {@code file}, whose directory must exist: it is never recreated, so a
   * late attempt cannot resurrect the staging tree of a job that ended.
   *
   * @param overwrite whether an existing file is replaced; otherwise it fails the write
   */
  public void write(FileOperations ops, Path file, boolean overwrite) throws IOException {
    try (FSDataOutputStream out = ops.createNonRecursive(file, overwrite)) {
      out.write(toBytes());
    }
  }

  @Override
  public String toString() {
    return "TaskManifest{attempt=" + attemptId + ", partitions=" + partitions.size() + ", keys="
        + keyCount() + ", bytes=" + sizeBytes() + ", routing=" + checkedRouting
        + (checkedRouting.isByBucket() ? ", keysMatch=" + keysMatchRouting : "") + "}";
  }
}
