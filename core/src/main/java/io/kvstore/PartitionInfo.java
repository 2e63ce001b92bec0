package io.kvstore;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * What the manifest records about one partition file: its name inside the store directory, key
 * count, size, first and last key, whole-file CRC32C and, for stores built with a recorded
 * partitioner, the bucket whose keys it holds. Immutable.
 */
public final class PartitionInfo {
  /** Bucket of a partition that belongs to no partitioner bucket. */
  public static final int NO_BUCKET = -1;

  private final String fileName;
  private final long keyCount;
  private final long sizeBytes;
  private final byte[] firstKey;
  private final byte[] lastKey;
  private final int checksum;
  private final int bucket;
  private final Path path;

  /**
   * @param fileName file name inside the store directory (no separators)
   * @param keyCount number of pairs, at least 1
   * @param sizeBytes exact file length
   * @param firstKey smallest key
   * @param lastKey largest key
   * @param checksum CRC32C of the whole file
   * @param bucket partitioner bucket, or {@link #NO_BUCKET}
   */
  public PartitionInfo(String fileName, long keyCount, long sizeBytes, byte[] firstKey,
      byte[] lastKey, int checksum, int bucket) {
    this(fileName, keyCount, sizeBytes, firstKey, lastKey, checksum, bucket, null);
  }

  private PartitionInfo(String fileName, long keyCount, long sizeBytes, byte[] firstKey,
      byte[] lastKey, int checksum, int bucket, Path path) {
    this.fileName = Objects.requireNonNull(fileName, "fileName");
    if (fileName.isEmpty() || fileName.indexOf('/') >= 0) {
      throw new IllegalArgumentException("Partition file name must be a plain name: " + fileName);
    }
    if (keyCount < 1 || sizeBytes < 0) {
      throw new IllegalArgumentException("Partition " + fileName + " has " + keyCount
          + " keys and " + sizeBytes + " bytes");
    }
    this.keyCount = keyCount;
    this.sizeBytes = sizeBytes;
    this.firstKey = Objects.requireNonNull(firstKey, "firstKey");
    this.lastKey = Objects.requireNonNull(lastKey, "lastKey");
    this.checksum = checksum;
    this.bucket = bucket;
    this.path = path;
  }

  /** File name inside the store directory. */
  public String getFileName() {
    return fileName;
  }

  /** Full path of the file, when this info came from an open store; otherwise null. */
  public Path getPath() {
    return path;
  }

  /** Number of pairs. */
  public long getKeyCount() {
    return keyCount;
  }

  /** File length in bytes. */
  public long getSizeBytes() {
    return sizeBytes;
  }

  /** Smallest key (a copy). */
  public byte[] getFirstKey() {
    return firstKey.clone();
  }

  /** Largest key (a copy). */
  public byte[] getLastKey() {
    return lastKey.clone();
  }

  /** Whether {@code firstKey <= key <= lastKey}. */
  public boolean mayContain(byte[] key, int off, int len) {
    return Bytes.compare(key, off, len, firstKey, 0, firstKey.length) >= 0
        && Bytes.compare(key, off, len, lastKey, 0, lastKey.length) <= 0;
  }

  /** Whether the key ranges of the two partitions share any key. */
  public boolean overlaps(PartitionInfo other) {
    return Bytes.compare(firstKey, other.lastKey) <= 0 && Bytes.compare(other.firstKey, lastKey) <= 0;
  }

  /** CRC32C of the whole file. */
  public int getChecksum() {
    return checksum;
  }

  /** Partitioner bucket, or {@link #NO_BUCKET}. */
  public int getBucket() {
    return bucket;
  }

  /** This info under another file name (after a move). */
  public PartitionInfo withFileName(String newName) {
    return new PartitionInfo(newName, keyCount, sizeBytes, firstKey, lastKey, checksum, bucket, null);
  }

  /** This info with another bucket. */
  public PartitionInfo withBucket(int newBucket) {
    return new PartitionInfo(fileName, keyCount, sizeBytes, firstKey, lastKey, checksum, newBucket, path);
  }

  /** This info with its file resolved in {@code storeDir}. */
  public PartitionInfo resolvedIn(Path storeDir) {
    return withPath(new Path(storeDir, fileName));
  }

  /**
   * This info with its file at {@code file}, which the caller resolved in the store directory
   * itself ({@link #resolvedIn} parses the directory's URI four times; an open of a store, which
   * runs interpreted, resolves every partition).
   *
   * @throws IllegalArgumentException if {@code file} is not named {@link #getFileName()}
   */
  public PartitionInfo withPath(Path file) {
    if (!fileName.equals(file.getName())) {
      throw new IllegalArgumentException("Partition " + fileName + " cannot be at " + file);
    }
    return new PartitionInfo(fileName, keyCount, sizeBytes, firstKey, lastKey, checksum, bucket,
        file);
  }

  /** Total pairs of {@code partitions}. */
  public static long totalKeyCount(Iterable<PartitionInfo> partitions) {
    long n = 0;
    for (PartitionInfo p : partitions) {
      n += p.keyCount;
    }
    return n;
  }

  /** Total file bytes of {@code partitions}. */
  public static long totalSizeBytes(Iterable<PartitionInfo> partitions) {
    long n = 0;
    for (PartitionInfo p : partitions) {
      n += p.sizeBytes;
    }
    return n;
  }

  /** Serializes this info (without the resolved path). */
  public void write(DataOutput out) throws IOException {
    out.writeUTF(fileName);
    out.writeLong(keyCount);
    out.writeLong(sizeBytes);
    out.writeInt(firstKey.length);
    out.write(firstKey);
    out.writeInt(lastKey.length);
    out.write(lastKey);
    out.writeInt(checksum);
    out.writeInt(bucket);
  }

  /**
   * Reads an info written by {@link #write}.
   *
   * @param maxKeyLength largest key length to accept, so a damaged length cannot allocate wildly
   */
  public static PartitionInfo read(DataInput in, int maxKeyLength) throws IOException {
    String name = in.readUTF();
    long keys = in.readLong();
    long size = in.readLong();
    byte[] first = readKey(in, maxKeyLength);
    byte[] last = readKey(in, maxKeyLength);
    int crc = in.readInt();
    int bucket = in.readInt();
    try {
      return new PartitionInfo(name, keys, size, first, last, crc, bucket);
    } catch (IllegalArgumentException e) {
      throw new IOException("Invalid partition record: " + e.getMessage(), e);
    }
  }

  private static byte[] readKey(DataInput in, int maxKeyLength) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > maxKeyLength) {
      throw new IOException("Invalid key length " + length + " in partition record");
    }
    byte[] key = new byte[length];
    in.readFully(key);
    return key;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PartitionInfo)) {
      return false;
    }
    PartitionInfo p = (PartitionInfo) o;
    return fileName.equals(p.fileName) && keyCount == p.keyCount && sizeBytes == p.sizeBytes
        && java.util.Arrays.equals(firstKey, p.firstKey) && java.util.Arrays.equals(lastKey, p.lastKey)
        && checksum == p.checksum && bucket == p.bucket;
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, keyCount, sizeBytes, checksum, bucket);
  }

  @Override
  public String toString() {
    return fileName + "{keys=" + keyCount + ", bytes=" + sizeBytes + ", first="
        + Bytes.toPrintable(firstKey, 64) + ", last=" + Bytes.toPrintable(lastKey, 64)
        + ", crc32c=" + String.format("%08x", checksum)
        + (bucket == NO_BUCKET ? "" : ", bucket=" + bucket) + "}";
  }
}
