package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes sorted unique pairs into as many partition files in one directory as the partition size
 * limit needs. Shared by the store writer and by each task of a MapReduce job. It enforces the
 * input contract: keys strictly increasing in unsigned byte order, no null, no key over
 * {@link KeyValueConf#KEY_SIZE_MAX}, no pair that cannot fit in an empty partition. A rejected pair
 * leaves the writer usable.
 *
 * <p>Not thread-safe.
 */
public final class RollingPartitionWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RollingPartitionWriter.class);

  private final FileOperations ops;
  private final Path dir;
  private final IntFunction<String> fileNamer;
  private final long partitionSizeMax;
  private final int keySizeMax;
  private final double loadFactor;
  private final long blockSize;
  /** Slots per checksummed chunk of each partition's hash index. */
  private final int indexChunkSlots;
  private final long hashSeed;
  private final int bufferSize;
  private final Compression.Codec codec;
  private final int level;
  private final int dictionaryCapacity;
  private final long sampleBytes;

  private final List<PartitionInfo> finished = new ArrayList<>();
  private final List<Path> created = new ArrayList<>();
  private PartitionWriter current;
  private byte[] previousKey;
  private long pairs;
  private boolean closed;

  /**
   * @param ops filesystem operations
   * @param dir directory the partition files go to (must exist)
   * @param fileNamer the file name of the n-th partition (n from 0)
   * @param conf the {@link KeyValueConf} settings
   */
  public RollingPartitionWriter(FileOperations ops, Path dir, IntFunction<String> fileNamer,
      Configuration conf) {
    this.ops = ops;
    this.dir = dir;
    this.fileNamer = fileNamer;
    this.partitionSizeMax = KeyValueConf.PARTITION_SIZE_MAX.getLong(conf);
    // The getters refuse values out of each setting's range.
    this.keySizeMax = KeyValueConf.KEY_SIZE_MAX.getInt(conf);
    this.loadFactor = KeyValueConf.INDEX_LOAD_FACTOR.getDouble(conf);
    this.blockSize = KeyValueConf.INDEX_BLOCK_SIZE.getLong(conf);
    long chunkBytes = KeyValueConf.INDEX_CHUNK_BYTES.getLong(conf);
    if (Long.bitCount(chunkBytes) != 1) {
      throw new IllegalArgumentException(KeyValueConf.INDEX_CHUNK_BYTES.getKey() + " = " + chunkBytes
          + " is not a power of two");
    }
    this.indexChunkSlots = (int) (chunkBytes / 8);
    this.hashSeed = KeyValueConf.HASH_SEED.getLong(conf);
    this.bufferSize = KeyValueConf.WRITE_BUFFER_SIZE.getInt(conf);
    this.codec = Compression.Codec.parse(KeyValueConf.COMPRESSION_CODEC.getString(conf));
    this.level = KeyValueConf.COMPRESSION_LEVEL.getInt(conf);
    // The dictionary is reserved in every size estimate until trained: bounded by the partition
    // size so that small partitions still hold many pairs.
    this.dictionaryCapacity = (int) Math.min(
        KeyValueConf.COMPRESSION_DICTIONARY_BYTES.getLong(conf), partitionSizeMax / 16);
    this.sampleBytes = KeyValueConf.COMPRESSION_SAMPLE_BYTES.getLong(conf);
  }

  /** {@link #put(byte[], int, int, byte[], int, int)} of whole arrays. */
  public void put(byte[] key, byte[] value) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    put(key, 0, key.length, value, 0, value.length);
  }

  /**
   * Adds a pair, starting a new partition first if it would push the current one past the size
   * limit. The bytes are copied or written before this returns.
   *
   * @throws IllegalArgumentException if the key is not greater than the previous key, or the
   *     key or pair is too large; nothing is written and the writer stays usable
   * @throws IllegalStateException after {@link #finish()} or {@link #abort()}
   */
  public void put(byte[] key, int keyOff, int keyLen, byte[] value, int valueOff, int valueLen)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (closed) {
      throw new IllegalStateException("put after the writer was closed or cancelled");
    }
    checkOrder(key, keyOff, keyLen);
    if (keyLen > keySizeMax) {
      throw new IllegalArgumentException("Unable to put key-value pair: key " + keyLen
          + " bytes is larger than " + KeyValueConf.KEY_SIZE_MAX.getKey() + " = " + keySizeMax);
    }
    long single = PartitionWriter.sizeOfSingle(keyLen, valueLen, loadFactor, indexChunkSlots);
    if (single > partitionSizeMax) {
      throw new IllegalArgumentException("Unable to put key-value pair: key " + keyLen
          + " bytes, value " + valueLen + " bytes needs a partition of " + single
          + " bytes, more than " + KeyValueConf.PARTITION_SIZE_MAX.getKey() + " = "
          + partitionSizeMax);
    }
    if (current != null && (current.sizeIfAdded(keyLen, valueLen) > partitionSizeMax
        || PartitionFormat.slotCount(current.count() + 1, loadFactor) > PartitionFormat.MAX_SLOTS)) {
      finishCurrent();
    }
    if (current == null) {
      startPartition();
    }
    current.append(key, keyOff, keyLen, value, valueOff, valueLen);
    pairs++;
  }

  private void checkOrder(byte[] key, int keyOff, int keyLen) {
    byte[] prev;
    int prevLen;
    if (current != null) {
      prev = current.lastKeyBuffer();
      prevLen = current.lastKeyLength();
    } else if (previousKey != null) {
      prev = previousKey;
      prevLen = previousKey.length;
    } else {
      return;
    }
    int c = Bytes.compare(key, keyOff, keyLen, prev, 0, prevLen);
    if (c <= 0) {
      throw new IllegalArgumentException((c == 0 ? "Duplicate key: " : "Key out of order: ")
          + Bytes.toPrintable(key, keyOff, keyLen, 256)
          + (c == 0 ? " was already written" : " is smaller than the previous key "
              + Bytes.toPrintable(prev, 0, prevLen, 256))
          + "; keys must be strictly increasing in unsigned byte order");
    }
  }

  private void startPartition() throws IOException {
    String name = fileNamer.apply(finished.size());
    Path file = new Path(dir, name);
    OutputStream out = ops.create(file, false);
    created.add(file);
    current = new PartitionWriter(out, name, hashSeed, loadFactor, blockSize, indexChunkSlots,
        bufferSize, codec, level, dictionaryCapacity, sampleBytes);
  }

  private void finishCurrent() throws IOException {
    PartitionWriter w = current;
    previousKey = java.util.Arrays.copyOf(w.lastKeyBuffer(), w.lastKeyLength());
    current = null;
    PartitionInfo info = w.finish();
    LOG.debug("Finished partition {} in {}", info, dir);
    finished.add(info);
  }

  /** Pairs accepted so far. */
  public long size() {
    return pairs;
  }

  /**
   * Finishes the last partition. Writes no file for a writer that received no pair.
   *
   * @return every partition written, in order
   */
  public List<PartitionInfo> finish() throws IOException {
    if (closed) {
      throw new IllegalStateException("finish after the writer was closed or cancelled");
    }
    closed = true;
    if (current != null) {
      finishCurrent();
    }
    return Collections.unmodifiableList(new ArrayList<>(finished));
  }

  /** Deletes every file this writer created. Safe to call more than once. */
  public void abort() throws IOException {
    closed = true;
    PartitionWriter w = current;
    current = null;
    Closer closer = new Closer();
    if (w != null) {
      closer.close(w::abandon);
    }
    for (Path file : created) {
      closer.close(() -> ops.delete(file, false));
    }
    created.clear();
    closer.finish();
  }
}
