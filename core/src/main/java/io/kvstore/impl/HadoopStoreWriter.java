package io.kvstore.impl;

import io.kvstore.KeyValueStoreWriter;
import io.kvstore.PartitionInfo;
import io.kvstore.format.RollingPartitionWriter;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a new store directory: claims it with the exclusive incomplete marker, spills pairs
 * into partition files, and on close publishes the manifest (the commit) and drops the marker.
 */
final class HadoopStoreWriter implements KeyValueStoreWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopStoreWriter.class);

  private final FileOperations ops;
  private final Path dir;
  private final RollingPartitionWriter partitions;
  private State state = State.OPEN;

  private enum State { OPEN, CLOSED, CANCELLED }

  private HadoopStoreWriter(FileOperations ops, Path dir, RollingPartitionWriter partitions) {
    this.ops = ops;
    this.dir = dir;
    this.partitions = partitions;
  }

  /** Claims {@code dir} for a new store; fails if anything exists there. */
  static HadoopStoreWriter create(FileOperations ops, Path dir, Configuration conf)
      throws IOException {
    if (ops.exists(dir)) {
      throw new FileAlreadyExistsException("Cannot create a key-value store at " + dir
          + ": the path already exists (" + describe(ops, dir) + ")");
    }
    ops.mkdirs(dir);
    Path marker = new Path(dir, StoreLayout.INCOMPLETE_MARKER_NAME);
    try (FSDataOutputStream out = ops.create(marker, false)) {
      out.write(("KeyValueStoreWriter started " + System.currentTimeMillis() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException("Cannot create a key-value store at " + dir
          + ": another writer claimed it at the same time");
    }
    RollingPartitionWriter writer = new RollingPartitionWriter(ops, dir,
        n -> String.format("part-%05d%s", n, StoreLayout.PARTITION_EXTENSION), conf);
    LOG.debug("Creating store {}", dir);
    return new HadoopStoreWriter(ops, dir, writer);
  }

  private static String describe(FileOperations ops, Path dir) throws IOException {
    switch (StoreLayout.stateOf(ops, dir)) {
      case COMPLETE:
        return "it holds a key-value store";
      case INCOMPLETE:
        return "it holds an incomplete key-value store";
      default:
        return StoreLayout.describe(ops, dir);
    }
  }

  @Override
  public void put(byte[] key, byte[] value) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    checkOpen();
    partitions.put(key, 0, key.length, value, 0, value.length);
  }

  @Override
  public void put(ByteBuffer key, ByteBuffer value) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    checkOpen();
    byte[] k = remaining(key);
    byte[] v = remaining(value);
    partitions.put(k, 0, k.length, v, 0, v.length);
  }

  private static byte[] remaining(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("The writer of " + dir + " is already "
          + (state == State.CLOSED ? "closed" : "cancelled"));
    }
  }

  @Override
  public long size() {
    return partitions.size();
  }

  @Override
  public void close() throws IOException {
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSED;
    List<PartitionInfo> written = partitions.finish();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("created.by", "KeyValueStoreWriter");
    StoreManifest manifest = new StoreManifest(Routing.byRange(), written, properties);
    manifest.publish(ops, dir, false);
    ops.delete(new Path(dir, StoreLayout.INCOMPLETE_MARKER_NAME), false);
    LOG.debug("Published store {}: {} pairs in {} partitions", dir, manifest.getKeyCount(),
        written.size());
  }

  @Override
  public void cancel() throws IOException {
    if (state != State.OPEN) {
      return;
    }
    state = State.CANCELLED;
    try {
      partitions.abort();
    } finally {
      ops.delete(dir, true);
    }
  }
}
