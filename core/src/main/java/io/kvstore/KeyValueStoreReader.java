package io.kvstore;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads a complete store. Thread-safe: many threads may call {@link #get} and iterate at once.
 *
 * <p>Cost of a lookup once open: no filesystem read for most absent keys (an in-memory hash
 * index with 16-bit fingerprints rejects them), one read for a present key whose record is at most
 * {@link KeyValueConf#LOOKUP_READ_BYTES} bytes (two for larger records). On the local filesystem
 * records are read through memory maps, at most {@link KeyValueConf#READ_MMAP_MAX_MAPS} of
 * them; other partitions share at most {@link KeyValueConf#READ_OPEN_FILES_MAX} idle streams. An
 * open reader holds about {@code 8 / }{@link KeyValueConf#INDEX_LOAD_FACTOR} bytes of heap per key
 * (10.7 at the default 0.75) plus a sparse index of one key per {@link KeyValueConf#INDEX_BLOCK_SIZE} bytes of data.
 */
public interface KeyValueStoreReader extends Closeable {

  /**
   * The value stored for {@code key}, or null if the store has no such key.
   *
   * @throws NullPointerException if key is null
   * @throws IllegalStateException after {@link #close()}, or when it starts during a close
   * @throws CorruptStoreException if the record read fails its checksum
   * @throws StoreReadException if the filesystem fails the read (e.g. HDFS finds no healthy
   *     replica of the block), naming the partition file and offset
   */
  byte[] get(byte[] key) throws IOException;

  /**
   * {@link #get(byte[])} for the remaining bytes of {@code key} (its position does not move);
   * returns a new heap buffer holding the value, or null.
   */
  ByteBuffer get(ByteBuffer key) throws IOException;

  /** Every pair in ascending unsigned key order. */
  KeyValueIterator iterator() throws IOException;

  /**
   * The pairs with {@code fromKey <= key < toKey} in ascending order; a null bound leaves that
   * end open.
   */
  KeyValueIterator iterator(byte[] fromKey, byte[] toKey) throws IOException;

  /** Number of pairs in the store. */
  long size();

  /** The store's partitions, in the order the manifest lists them. */
  List<PartitionInfo> partitions();

  /** Lookups, record reads and heap held so far, for monitoring and capacity planning. */
  ReaderStatistics statistics();

  /**
   * Releases files and memory maps at once. Lookups in flight finish first (close waits for
   * them); lookups that start later throw {@link IllegalStateException}. Iterators still open
   * fail on their next read.
   */
  @Override
  void close() throws IOException;
}
