package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * The fixed-size footer of a partition file, which locates its sections. Parsing validates magic,
 * version, checksum and that every section lies inside the file, so nothing is read from a file
 * whose layout is damaged.
 */
final class PartitionFooter {
  final long keyCount;
  final long dataEnd;
  final long hashIndexOffset;
  final long slotCount;
  final long hashSeed;
  final int maxRecordLength;
  final long fileLength;

  PartitionFooter(long keyCount, long dataEnd, long hashIndexOffset, long slotCount, long hashSeed,
      int maxRecordLength, long fileLength) {
    this.keyCount = keyCount;
    this.dataEnd = dataEnd;
    this.hashIndexOffset = hashIndexOffset;
    this.slotCount = slotCount;
    this.hashSeed = hashSeed;
    this.maxRecordLength = maxRecordLength;
    this.fileLength = fileLength;
  }

  /** Offset of the block index section. */
  long blockIndexOffset() {
    return dataEnd;
  }

  /** Length of the block index section, its checksum included. */
  long blockIndexLength() {
    return hashIndexOffset - dataEnd;
  }

  byte[] toBytes() {
    byte[] b = new byte[PartitionFormat.FOOTER_SIZE];
    PartitionFormat.putLongLE(b, 0, keyCount);
    PartitionFormat.putLongLE(b, 8, dataEnd);
    PartitionFormat.putLongLE(b, 16, hashIndexOffset);
    PartitionFormat.putLongLE(b, 24, slotCount);
    PartitionFormat.putLongLE(b, 32, hashSeed);
    PartitionFormat.putIntLE(b, 40, maxRecordLength);
    PartitionFormat.putIntLE(b, 44, KeyHash.FUNCTION_ID);
    PartitionFormat.putIntLE(b, 48, PartitionFormat.FORMAT_VERSION);
    System.arraycopy(PartitionFormat.FOOTER_MAGIC, 0, b, 52, 8);
    CRC32C crc = new CRC32C();
    crc.update(b, 0, 60);
    PartitionFormat.putIntLE(b, 60, (int) crc.getValue());
    return b;
  }

  /** Reads and validates header and footer of {@code file}, of length {@code length}. */
  static PartitionFooter read(FSDataInputStream in, long length, Object file) throws IOException {
    if (length < PartitionFormat.HEADER_SIZE + PartitionFormat.FOOTER_SIZE) {
      throw new CorruptStoreException(file, "file is " + length + " bytes, shorter than a"
          + " partition's header and footer (" + (PartitionFormat.HEADER_SIZE
          + PartitionFormat.FOOTER_SIZE) + "); truncated or not a kvstore partition");
    }
    byte[] header = new byte[PartitionFormat.HEADER_SIZE];
    byte[] b = new byte[PartitionFormat.FOOTER_SIZE];
    try {
      in.readFully(0, header);
      in.readFully(length - PartitionFormat.FOOTER_SIZE, b);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ended before its listed length " + length, e);
    }
    if (!Arrays.equals(Arrays.copyOf(header, 8), PartitionFormat.HEADER_MAGIC)) {
      throw new CorruptStoreException(file, "not a kvstore partition file (header magic "
          + Bytes.toPrintable(Arrays.copyOf(header, 8)) + ")");
    }
    int headerVersion = PartitionFormat.getIntLE(header, 8);
    if (headerVersion != PartitionFormat.FORMAT_VERSION) {
      throw new CorruptStoreException(file, "partition format version " + headerVersion
          + " is not supported (this kvstore reads version " + PartitionFormat.FORMAT_VERSION + ")");
    }
    int flags = PartitionFormat.getIntLE(header, 12);
    if (flags != 0) {
      throw new CorruptStoreException(file, "header flags " + flags + " are unknown to format version "
          + PartitionFormat.FORMAT_VERSION + " (damaged, or written by a newer kvstore)");
    }
    if (!Arrays.equals(Arrays.copyOfRange(b, 52, 60), PartitionFormat.FOOTER_MAGIC)) {
      throw new CorruptStoreException(file, "footer magic missing: the file is truncated or"
          + " damaged at its end");
    }
    CRC32C crc = new CRC32C();
    crc.update(b, 0, 60);
    if ((int) crc.getValue() != PartitionFormat.getIntLE(b, 60)) {
      throw new CorruptStoreException(file, "footer checksum mismatch");
    }
    int footerVersion = PartitionFormat.getIntLE(b, 48);
    if (footerVersion != PartitionFormat.FORMAT_VERSION) {
      throw new CorruptStoreException(file, "footer format version " + footerVersion
          + " differs from the header's " + headerVersion);
    }
    int hashFunction = PartitionFormat.getIntLE(b, 44);
    if (hashFunction != KeyHash.FUNCTION_ID) {
      throw new CorruptStoreException(file, "unknown index hash function " + hashFunction);
    }
    PartitionFooter f = new PartitionFooter(PartitionFormat.getLongLE(b, 0),
        PartitionFormat.getLongLE(b, 8), PartitionFormat.getLongLE(b, 16),
        PartitionFormat.getLongLE(b, 24), PartitionFormat.getLongLE(b, 32),
        PartitionFormat.getIntLE(b, 40), length);
    f.validate(file);
    return f;
  }

  private void validate(Object file) throws CorruptStoreException {
    long footerStart = fileLength - PartitionFormat.FOOTER_SIZE;
    boolean ok = keyCount >= 0
        && dataEnd >= PartitionFormat.HEADER_SIZE
        && hashIndexOffset >= dataEnd + 8
        && slotCount > keyCount && slotCount <= PartitionFormat.MAX_SLOTS
        && hashIndexOffset + slotCount * 8 + 4 == footerStart
        && maxRecordLength >= 0
        && (keyCount == 0) == (dataEnd == PartitionFormat.HEADER_SIZE);
    if (!ok) {
      throw new CorruptStoreException(file, "footer describes an impossible layout (keys="
          + keyCount + ", dataEnd=" + dataEnd + ", hashIndex=" + hashIndexOffset + ", slots="
          + slotCount + ", length=" + fileLength + ")");
    }
  }
}
