package io.kvstore.format;

import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * What a partition file holds and how it is stored, for tools ({@code kvstore info}): format
 * version, codec, dictionary size and sizes before and after compression.
 */
public final class PartitionDetails {
  private final int formatVersion;
  private final Compression.Codec codec;
  private final int dictionaryBytes;
  private final long dataBytes;
  private final long pairBytes;
  private final long keyCount;

  private PartitionDetails(int formatVersion, Compression.Codec codec, int dictionaryBytes,
      long dataBytes, long pairBytes, long keyCount) {
    this.formatVersion = formatVersion;
    this.codec = codec;
    this.dictionaryBytes = dictionaryBytes;
    this.dataBytes = dataBytes;
    this.pairBytes = pairBytes;
    this.keyCount = keyCount;
  }

  /**
   * Reads the header, footer and compression section of a partition file (a few hundred bytes
   * and its dictionary; no record), checking each.
   *
   * @throws io.kvstore.CorruptStoreException naming the file if one of them is damaged
   */
  public static PartitionDetails read(FileOperations ops, Path file) throws IOException {
    long length = ops.getFileStatus(file).getLen();
    try (FSDataInputStream in = ops.open(file)) {
      PartitionFooter footer = PartitionFooter.read(in, length, file);
      return of(footer, CompressionSection.read(in, footer, file));
    }
  }

  static PartitionDetails of(PartitionFooter footer, Compression.Decoder values) {
    return new PartitionDetails(footer.version, values.codec, values.dictionaryLength,
        footer.dataEnd - footer.dataStart, footer.pairBytes, footer.keyCount);
  }

  /** Partition format version of the file (1 or 2). */
  public int formatVersion() {
    return formatVersion;
  }

  /** The file's value codec ({@link Compression.Codec#NONE} for version 1). */
  public Compression.Codec codec() {
    return codec;
  }

  /** Bytes of the file's zstd dictionary (0 when it has none). */
  public int dictionaryBytes() {
    return dictionaryBytes;
  }

  /** Bytes of the data section: the records as stored. */
  public long dataBytes() {
    return dataBytes;
  }

  /**
   * Sum of the key and value lengths of the file's pairs before compression, or -1 for version 1
   * files, which do not record it.
   */
  public long pairBytes() {
    return pairBytes;
  }

  /** Number of pairs. */
  public long keyCount() {
    return keyCount;
  }
}
