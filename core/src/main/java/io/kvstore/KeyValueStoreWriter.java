package io.kvstore;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes one new store. Keys must come in strictly increasing unsigned lexicographic byte order
 * (the order {@code BytesWritable} sorts by); the writer copies what it keeps, so callers may
 * reuse their arrays. Pairs spill into as many partition files as
 * {@link KeyValueConf#PARTITION_SIZE_MAX} needs; no file ever exceeds that limit.
 *
 * <p>Limits: a key may be at most {@link KeyValueConf#KEY_SIZE_MAX} bytes; a pair must fit in one
 * partition together with that partition's index and footer. Empty keys and values are legal.
 *
 * <p>Memory: 12 bytes of heap per key of the partition being written (its hash index entries),
 * plus the write buffer; finishing a partition adds no per-key memory.
 *
 * <p>Not thread-safe: one thread writes a store.
 */
public interface KeyValueStoreWriter extends Closeable {

  /**
   * Adds a pair.
   *
   * @throws NullPointerException if key or value is null
   * @throws IllegalArgumentException if the key is not greater than the previous key (the message
   *     names both, escaped), or the key or pair is too large (the message gives both sizes); the
   *     writer stays usable
   * @throws IllegalStateException after {@link #close()} or {@link #cancel()}
   */
  void put(byte[] key, byte[] value) throws IOException;

  /** {@link #put(byte[], byte[])} for the remaining bytes of two buffers; positions do not move. */
  void put(ByteBuffer key, ByteBuffer value) throws IOException;

  /** Number of pairs accepted so far. */
  long size();

  /**
   * Finishes every partition and publishes the manifest with one atomic rename: the store
   * becomes visible and never changes again. Calling close again does nothing. If close fails
   * the store stays incomplete and {@link KeyValueSystem#deleteStore} removes it.
   */
  @Override
  void close() throws IOException;

  /** Abandons the store and removes everything written for it. Does nothing after close. */
  void cancel() throws IOException;
}
