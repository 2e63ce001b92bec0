package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.fs.ChildPath;
import io.kvstore.fs.FileOperations;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The manifest of a complete store: format version, routing, free-form properties and every
 * partition's {@link PartitionInfo}. Publishing it, with one rename from a temporary name, is the
 * commit of a store. Immutable. Byte layout: docs/format.md.
 */
public final class StoreManifest {
  /** Magic bytes that open every manifest. */
  static final byte[] MAGIC = "KVSTMANI".getBytes(StandardCharsets.US_ASCII);
  /** Manifest format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** Largest manifest this code reads, against damaged length fields. */
  private static final int MAX_MANIFEST_BYTES = 1 << 30;
  /** Reads of a manifest that a concurrent merge may be replacing before an error stands. */
  private static final int READ_ATTEMPTS = 4;

  private final Routing routing;
  private final List<PartitionInfo> partitions;
  private final Map<String, String> properties;
  private final long createdMillis;

  /**
   * @param routing how lookups find partitions
   * @param partitions every partition, in the order readers list them
   * @param properties free-form facts (who wrote the store, which job), may be empty
   */
  public StoreManifest(Routing routing, List<PartitionInfo> partitions,
      Map<String, String> properties) {
    this(routing, partitions, properties, System.currentTimeMillis());
  }

  private StoreManifest(Routing routing, List<PartitionInfo> partitions,
      Map<String, String> properties, long createdMillis) {
    this.routing = routing;
    this.partitions = Collections.unmodifiableList(new ArrayList<>(partitions));
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    this.createdMillis = createdMillis;
    java.util.Set<String> names = new java.util.HashSet<>();
    for (PartitionInfo p : partitions) {
      if (!names.add(p.getFileName())) {
        throw new IllegalArgumentException("Partition file " + p.getFileName() + " listed twice");
      }
      if (routing.isByBucket() && (p.getBucket() < 0 || p.getBucket() >= routing.bucketCount())) {
        throw new IllegalArgumentException("Partition " + p.getFileName() + " has bucket "
            + p.getBucket() + " outside [0, " + routing.bucketCount() + ")");
      }
    }
  }

  /** How lookups find partitions. */
  public Routing getRouting() {
    return routing;
  }

  /** The partitions. */
  public List<PartitionInfo> getPartitions() {
    return partitions;
  }

  /** Free-form properties. */
  public Map<String, String> getProperties() {
    return properties;
  }

  /** When the manifest was made, in epoch milliseconds. */
  public long getCreatedMillis() {
    return createdMillis;
  }

  /** Total number of pairs. */
  public long getKeyCount() {
    return PartitionInfo.totalKeyCount(partitions);
  }

  /** Total bytes of partition files. */
  public long getSizeBytes() {
    return PartitionInfo.totalSizeBytes(partitions);
  }

  /** The serialized manifest, checksum included. */
  public byte[] toBytes() {
    return ManifestCodec.encode(MAGIC, FORMAT_VERSION, out -> {
      out.writeLong(createdMillis);
      out.writeByte(routing.isByBucket() ? 1 : 0);
      out.writeInt(routing.isByBucket() ? routing.function().id() : 0);
      out.writeLong(routing.seed());
      out.writeInt(routing.bucketCount());
      out.writeInt(properties.size());
      for (Map.Entry<String, String> e : properties.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      ManifestCodec.writePartitions(out, partitions);
    });
  }

  /**
   * Parses a manifest.
   *
   * @param source the file the bytes came from, for error messages
   * @throws CorruptStoreException if the bytes are not an intact manifest of a known version
   */
  public static StoreManifest parse(byte[] bytes, Object source) throws CorruptStoreException {
    if (bytes.length < MAGIC.length + 8) {
      throw new CorruptStoreException(source, "manifest is " + bytes.length
          + " bytes, too short to be a kvstore manifest");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new CorruptStoreException(source, "not a kvstore manifest (bad magic "
            + Bytes.toPrintable(java.util.Arrays.copyOf(bytes, MAGIC.length)) + ")");
      }
    }
    int version = ((bytes[8] & 0xFF) << 24) | ((bytes[9] & 0xFF) << 16)
        | ((bytes[10] & 0xFF) << 8) | (bytes[11] & 0xFF);
    if (version != FORMAT_VERSION) {
      throw new CorruptStoreException(source, "manifest format version " + version
          + " is not supported by this kvstore (it reads version " + FORMAT_VERSION + ")");
    }
    ManifestCodec.verifyChecksum(bytes, "manifest", source);
    try {
      DataInputStream in = new DataInputStream(
          new ByteArrayInputStream(bytes, MAGIC.length + 4, bytes.length - MAGIC.length - 8));
      long created = in.readLong();
      int kind = in.readByte();
      int functionId = in.readInt();
      long seed = in.readLong();
      int buckets = in.readInt();
      Routing routing;
      if (kind == 0) {
        routing = Routing.byRange();
      } else if (kind == 1) {
        routing = ManifestCodec.bucketRouting(functionId, seed, buckets, source);
      } else {
        throw new CorruptStoreException(source, "unknown routing kind " + kind);
      }
      int propertyCount = in.readInt();
      if (propertyCount < 0 || propertyCount > bytes.length) {
        throw new CorruptStoreException(source, "invalid property count " + propertyCount);
      }
      Map<String, String> properties = new LinkedHashMap<>();
      for (int i = 0; i < propertyCount; i++) {
        properties.put(in.readUTF(), in.readUTF());
      }
      List<PartitionInfo> partitions = ManifestCodec.readPartitions(in, bytes.length, source);
      if (in.available() != 0) {
        throw new CorruptStoreException(source, in.available() + " unexpected bytes after the"
            + " partition list");
      }
      return new StoreManifest(routing, partitions, properties, created);
    } catch (EOFException e) {
      throw new CorruptStoreException(source, "manifest ends in the middle of a record", e);
    } catch (CorruptStoreException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptStoreException(source, "invalid manifest: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the manifest of the store at {@code storeDir}.
   *
   * @throws java.io.FileNotFoundException if there is none
   */
  public static StoreManifest read(FileSystem fs, Path storeDir) throws IOException {
    return read(FileOperations.of(fs), storeDir);
  }

  /**
   * Reads the manifest of the store at {@code storeDir} through {@code ops}. A merge may replace
   * the manifest while it is read (on HDFS the blocks of an opened file are deleted by the
   * replacement), so a read that fails or yields a damaged manifest is repeated, up to
   * {@value #READ_ATTEMPTS} reads; damage is reported once two reads give the same bytes.
   *
   * @throws java.io.FileNotFoundException if there is none
   * @throws CorruptStoreException naming the file if the manifest is damaged
   */
  public static StoreManifest read(FileOperations ops, Path storeDir) throws IOException {
    Path file = ChildPath.of(storeDir, StoreLayout.MANIFEST_NAME);
    byte[] previous = null;
    for (int attempt = 1;; attempt++) {
      byte[] bytes;
      try {
        bytes = ManifestCodec.readFile(ops, file, MAX_MANIFEST_BYTES, "manifest");
      } catch (CorruptStoreException e) {
        throw e;
      } catch (IOException e) {
        if (attempt >= READ_ATTEMPTS) {
          throw e;
        }
        continue;
      }
      try {
        return parse(bytes, file);
      } catch (CorruptStoreException e) {
        if (attempt >= READ_ATTEMPTS || Arrays.equals(previous, bytes)) {
          throw e;
        }
        previous = bytes;
      }
    }
  }

  /**
   * Publishes this manifest in {@code storeDir}: writes it under a unique temporary name, then
   * renames it to {@link StoreLayout#MANIFEST_NAME}. The rename is the commit. If anything
   * fails the temporary file is removed and the error propagates.
   *
   * @param replace whether an existing manifest may be replaced (merge); otherwise an existing
   *     manifest fails the publish
   */
  public void publish(FileOperations ops, Path storeDir, boolean replace) throws IOException {
    ManifestCodec.publishFile(ops, storeDir, StoreLayout.MANIFEST_NAME, "manifest", toBytes(),
        replace);
  }
}
