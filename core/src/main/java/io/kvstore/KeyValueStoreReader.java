package io.kvstore;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.Objects;

/**
 * Reads a complete store. Thread-safe: many threads may call {@link #get} and iterate at once.
 *
 * <p>Cost of a lookup once open: no filesystem read for most absent keys (a hash index with
 * 16-bit fingerprints rejects them), one read for a present key whose record is at most
 * {@link KeyValueConf#LOOKUP_READ_BYTES} bytes (two for larger records). On the local filesystem
 * records and hash indexes are read through memory maps, at most
 * {@link KeyValueConf#READ_MMAP_MAX_MAPS} of them; other partitions share at most
 * {@link KeyValueConf#READ_OPEN_FILES_MAX} idle streams. A memory-mapped index costs 4 bytes of
 * heap per chunk of {@link KeyValueConf#INDEX_CHUNK_BYTES}; an index read into heap (positional
 * reads, or {@link KeyValueConf#READ_MMAP_INDEX} false) about {@code 8 / }
 * {@link KeyValueConf#INDEX_LOAD_FACTOR} bytes per key (10.7 at the default 0.75). A range scan
 * reads the sparse index of one key per {@link KeyValueConf#INDEX_BLOCK_SIZE} bytes of data once.
 *
 * <p>On a memory-mapped store larger than the CPU caches a get is two dependent cache misses (its
 * hash slot, then its record); {@link #getAll(byte[][])} overlaps the misses of a batch and
 * {@link #get(byte[], byte[], int)} copies into the caller's buffer without allocating. Opening
 * reads each partition's footer and compression section (and a whole heap index, with its chunk
 * checksums, on positional reads), {@link KeyValueConf#READ_OPEN_PARALLELISM} partitions at once once
 * {@link KeyValueConf#READ_OPEN_PARALLEL_AFTER_MICROS} have passed; the
 * first lookup that touches an index chunk checks it, and a damaged chunk fails every lookup that
 * touches it with a {@link CorruptStoreException} naming the file and the chunk.
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

  /**
   * Copies the value stored for {@code key} into {@code dest} at {@code off}, allocating nothing
   * when the key's partition is memory-mapped (a local store: the usual serving case); a
   * partition read by positional reads (HDFS) allocates the bytes of its one read. Costs the same
   * memory and filesystem reads as {@link #get(byte[])} without the value array.
   *
   * @return the value's length, or -1 if the store has no such key. The value is copied only if
   *     it fits, i.e. the length returned is at most {@code dest.length - off}; a larger length
   *     means nothing was copied (a too-small buffer): retry with at least that many bytes
   * @throws NullPointerException if key or dest is null
   * @throws IndexOutOfBoundsException if off is not in {@code [0, dest.length]}
   * @throws IllegalStateException after {@link #close()}, or when it starts during a close
   * @throws CorruptStoreException if the record read fails its checksum
   * @throws StoreReadException if the filesystem fails the read, naming the file and offset
   * @implSpec The default copies the result of {@link #get(byte[])}, allocating the value; the
   *     store reader overrides it.
   */
  default int get(byte[] key, byte[] dest, int off) throws IOException {
    Objects.requireNonNull(dest, "dest");
    Objects.checkFromIndexSize(off, 0, dest.length);
    byte[] value = get(key);
    if (value == null) {
      return -1;
    }
    if (value.length <= dest.length - off) {
      System.arraycopy(value, 0, dest, off, value.length);
    }
    return value.length;
  }

  /**
   * {@link #get(byte[], byte[], int)} into {@code dest} at its position, which advances by the
   * value's length when it is copied. Allocates nothing for a memory-mapped partition when
   * {@code dest} is a heap buffer (a direct buffer costs two small buffer views per copy).
   *
   * @return the value's length, or -1 if absent; a length above {@code dest.remaining()} means
   *     nothing was copied and the position did not move
   * @throws java.nio.ReadOnlyBufferException if dest is read-only
   * @implSpec The default copies the result of {@link #get(byte[])}; the store reader overrides
   *     it.
   */
  default int get(byte[] key, ByteBuffer dest) throws IOException {
    if (dest.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    byte[] value = get(key);
    if (value == null) {
      return -1;
    }
    if (value.length <= dest.remaining()) {
      dest.put(value);
    }
    return value.length;
  }

  /**
   * The values of {@code keys}, in the same order, null for a key the store does not hold;
   * duplicate keys each get their own copy. The batch form of {@link #get(byte[])}, with the same
   * guarantees (a close waits for the whole batch), and much faster per key:
   *
   * <ul>
   *   <li>On memory-mapped partitions the keys are interleaved in groups: every key of a group is
   *       hashed and routed and its hash slot loaded, then every candidate record is loaded, then
   *       each record's checksum is checked, its key compared and its value copied. The cache
   *       misses of a group overlap instead of following one another, so a key costs a fraction
   *       of a single get once a batch holds 8 or more keys (README, "Lookups").
   *   <li>On other filesystems (HDFS) every key is first resolved to its candidate record in the
   *       in-memory hash index (most absent keys need no read), records lying within
   *       {@link KeyValueConf#READ_LOOKUP_COALESCE_BYTES} of one another in one filesystem block
   *       are fetched by one positional read, and up to
   *       {@link KeyValueConf#READ_LOOKUP_PARALLELISM} reads run at once. Where reads wait on the
   *       network or disks a batch costs about the latency of a few reads; where they are bound
   *       by CPU (client and DataNodes sharing a few cores) it costs their CPU time spread over
   *       the cores (README, "Lookups").
   * </ul>
   *
   * Keys that several partitions' key ranges may hold (merged stores whose ranges overlap) are
   * looked up one after another, as by {@link #get(byte[])}. An empty batch returns an empty
   * array without reading anything.
   *
   * @throws NullPointerException if keys or any key is null (naming its index); nothing is read
   * @throws IllegalStateException after {@link #close()}, or when it starts during a close
   * @throws CorruptStoreException if a record read fails its checksum
   * @throws StoreReadException if the filesystem fails a read, naming the file and offset
   * @implSpec The default checks every key, then calls {@link #get(byte[])} for each in turn,
   *     with none of the batching above; the store reader overrides it.
   */
  default byte[][] getAll(byte[][] keys) throws IOException {
    checkKeys(keys);
    byte[][] values = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      values[i] = get(keys[i]);
    }
    return values;
  }

  /**
   * {@link #getAll(byte[][])} into one caller buffer: the values found are copied one after
   * another into {@code values} from its position, which advances past them, and
   * {@code lengths[i]} is set to the length of the value of {@code keys[i]}, or -1 if absent.
   * Allocates nothing per key on memory-mapped partitions when {@code values} is a heap buffer
   * (a batch allocates a few arrays of its size, none per key).
   *
   * @return {@code keys.length}, or the index {@code k} of the first key whose value did not fit
   *     in what was left of {@code values}: then {@code lengths[k]} holds that value's length,
   *     the values of keys before {@code k} were copied, and later entries of {@code lengths}
   *     are unspecified (call again for the keys from {@code k} with more room)
   * @throws IllegalArgumentException if lengths is shorter than keys
   * @throws java.nio.ReadOnlyBufferException if values is read-only
   * @implSpec The default checks its arguments, then calls {@link #get(byte[], ByteBuffer)} for
   *     each key in turn; the store reader overrides it.
   */
  default int getAll(byte[][] keys, ByteBuffer values, int[] lengths) throws IOException {
    checkKeys(keys);
    checkLengths(keys, values, lengths);
    for (int i = 0; i < keys.length; i++) {
      int n = get(keys[i], values);
      lengths[i] = n;
      if (n > values.remaining() && n >= 0) {
        return i;
      }
    }
    return keys.length;
  }

  /**
   * Refuses a null batch or a null key in it, naming the key's index, before anything is read.
   *
   * @throws NullPointerException if {@code keys} or one of its keys is null
   */
  static void checkKeys(byte[][] keys) {
    Objects.requireNonNull(keys, "keys");
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        throw new NullPointerException("keys[" + i + "] is null");
      }
    }
  }

  /**
   * Checks the buffers of {@link #getAll(byte[][], ByteBuffer, int[])}.
   *
   * @throws NullPointerException if values or lengths is null
   * @throws IllegalArgumentException if lengths is shorter than keys
   * @throws ReadOnlyBufferException if values is read-only
   */
  static void checkLengths(byte[][] keys, ByteBuffer values, int[] lengths) {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(lengths, "lengths");
    if (lengths.length < keys.length) {
      throw new IllegalArgumentException("lengths has " + lengths.length + " entries for "
          + keys.length + " keys");
    }
    if (values.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
  }

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
