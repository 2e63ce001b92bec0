package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.fs.FileOperations;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

/**
 * The parts that the store manifest and the MapReduce task manifest lay out alike: the CRC32C
 * trailer, the partition list, a bucket routing's function id, and reading a whole manifest file
 * with a size limit. Each manifest keeps its own header; these helpers fix nothing about it.
 * {@code what} names the kind of manifest in error messages ("manifest", "task manifest").
 */
public final class ManifestCodec {
  private ManifestCodec() {}

  /** Writes the fields of a manifest after its magic and version. */
  public interface Fields {
    /** Writes the fields to {@code out}. */
    void write(DataOutputStream out) throws IOException;
  }

  /**
   * A whole manifest: {@code magic}, the big-endian {@code version}, the {@code fields} and the
   * CRC32C of all that ({@link #withChecksum}).
   */
  public static byte[] encode(byte[] magic, int version, Fields fields) {
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buffer);
      out.write(magic);
      out.writeInt(version);
      fields.write(out);
      out.flush();
      return withChecksum(buffer.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
  }

  /** {@code body} followed by the big-endian CRC32C of {@code body}. */
  public static byte[] withChecksum(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    int value = (int) crc.getValue();
    byte[] sealed = Arrays.copyOf(body, body.length + 4);
    sealed[body.length] = (byte) (value >>> 24);
    sealed[body.length + 1] = (byte) (value >>> 16);
    sealed[body.length + 2] = (byte) (value >>> 8);
    sealed[body.length + 3] = (byte) value;
    return sealed;
  }

  /**
   * Checks the trailer that {@link #withChecksum} appends.
   *
   * @param bytes the whole manifest, at least 4 bytes
   * @param what the kind of manifest, for the message
   * @param source the file the bytes came from, for the message
   * @throws CorruptStoreException if the stored checksum does not match the bytes before it
   */
  public static void verifyChecksum(byte[] bytes, String what, Object source)
      throws CorruptStoreException {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ((bytes[bytes.length - 4] & 0xFF) << 24) | ((bytes[bytes.length - 3] & 0xFF) << 16)
        | ((bytes[bytes.length - 2] & 0xFF) << 8) | (bytes[bytes.length - 1] & 0xFF);
    if ((int) crc.getValue() != stored) {
      throw new CorruptStoreException(source, what + " checksum mismatch (damaged or truncated)");
    }
  }

  /** Writes the partition count, then each partition. */
  public static void writePartitions(DataOutput out, List<PartitionInfo> partitions)
      throws IOException {
    out.writeInt(partitions.size());
    for (PartitionInfo p : partitions) {
      p.write(out);
    }
  }

  /**
   * Reads what {@link #writePartitions} wrote.
   *
   * @param manifestLength the length of the whole manifest: no count or key can exceed it, so a
   *     damaged length field fails here instead of allocating
   * @param source the file, for messages
   * @throws CorruptStoreException if the count is impossible
   */
  public static List<PartitionInfo> readPartitions(DataInput in, int manifestLength, Object source)
      throws IOException {
    int count = in.readInt();
    if (count < 0 || count > manifestLength) {
      throw new CorruptStoreException(source, "invalid partition count " + count);
    }
    List<PartitionInfo> partitions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      partitions.add(PartitionInfo.read(in, manifestLength));
    }
    return partitions;
  }

  /**
   * The bucket routing a manifest records.
   *
   * @throws CorruptStoreException if no {@link BucketFunction} has {@code functionId}
   * @throws IllegalArgumentException if the bucket count is not positive
   */
  public static Routing bucketRouting(int functionId, long seed, int buckets, Object source)
      throws CorruptStoreException {
    BucketFunction function = BucketFunction.byId(functionId);
    if (function == null) {
      throw new CorruptStoreException(source, "unknown bucket function id " + functionId);
    }
    return Routing.byBucket(function, seed, buckets);
  }

  /**
   * The whole content of a manifest file, read from one open to its end: never a length from one
   * call and bytes from another, which a replacement between the two would mix.
   *
   * @param maxBytes the largest manifest of this kind that kvstore writes
   * @param what the kind of manifest, for messages
   * @throws CorruptStoreException if the file is larger than {@code maxBytes}
   * @throws java.io.FileNotFoundException if there is no such file
   */
  public static byte[] readFile(FileOperations ops, Path file, int maxBytes, String what)
      throws IOException {
    // 8 KB holds a manifest of about a hundred partitions; larger ones grow the buffer. A local
    // read of at most 8 KB goes through the JDK's stack buffer, a larger one through a malloc.
    byte[] bytes = new byte[Math.min(maxBytes, 8 * 1024 - 1) + 1];
    int length = 0;
    try (InputStream in = ops.openSmall(file)) {
      while (true) {
        if (length == bytes.length) {
          if (length > maxBytes) {
            throw new CorruptStoreException(file, what + " is more than " + maxBytes
                + " bytes, larger than any kvstore writes");
          }
          bytes = Arrays.copyOf(bytes, (int) Math.min((long) maxBytes + 1, 2L * length));
        }
        int n = in.read(bytes, length, bytes.length - length);
        if (n < 0) {
          return Arrays.copyOf(bytes, length);
        }
        length += n;
      }
    }
  }

  /**
   * Publishes {@code bytes} as {@code dir/name}: writes them under a unique temporary name
   * ({@link StoreLayout#TEMP_PREFIX}{@code label-UUID}), then renames that to {@code name}. The
   * rename is the commit. If anything fails the temporary file is removed and the error
   * propagates.
   *
   * @param replace whether an existing file may be replaced, atomically; otherwise an existing
   *     file fails the publish
   */
  public static void publishFile(FileOperations ops, Path dir, String name, String label,
      byte[] bytes, boolean replace) throws IOException {
    Path finalPath = new Path(dir, name);
    Path temp = new Path(dir, StoreLayout.TEMP_PREFIX + label + "-" + UUID.randomUUID());
    boolean published = false;
    try {
      // Never recreates a deleted directory: a pointer published into a table that was
      // deleted meanwhile fails here instead of resurrecting it around a missing version.
      try (FSDataOutputStream out = ops.createNonRecursive(temp, false)) {
        out.write(bytes);
      }
      if (replace) {
        ops.renameReplacing(temp, finalPath);
      } else {
        ops.rename(temp, finalPath);
      }
      published = true;
    } finally {
      if (!published) {
        try {
          ops.delete(temp, false);
        } catch (IOException suppressed) {
          // The publish error matters more; a stray temporary file is invisible to readers.
        }
      }
    }
  }
}
