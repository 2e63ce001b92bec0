package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.PositionedReadable;

/**
 * The sparse key index of a partition: the first key and offset of every block of records, and
 * the partition's last key. Positions range scans; held in memory by open readers.
 */
final class BlockIndex {
  private final byte[] keys;
  private final int[] keyStarts;
  private final int[] keyLengths;
  private final long[] offsets;
  private final byte[] lastKey;
  /** Where a scan starts in an empty partition. */
  private final long dataStart;

  private BlockIndex(byte[] keys, int[] keyStarts, int[] keyLengths, long[] offsets, byte[] lastKey,
      long dataStart) {
    this.dataStart = dataStart;
    this.keys = keys;
    this.keyStarts = keyStarts;
    this.keyLengths = keyLengths;
    this.offsets = offsets;
    this.lastKey = lastKey;
  }

  /** Reads and checks the block index section of a partition. */
  static BlockIndex read(PositionedReadable in, PartitionFooter footer, Object file)
      throws IOException {
    long length = footer.blockIndexLength();
    if (length > Integer.MAX_VALUE - 16) {
      throw new CorruptStoreException(file, "block index of " + length + " bytes is too large");
    }
    byte[] section = new byte[(int) length];
    try {
      in.readFully(footer.blockIndexOffset(), section);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside its block index", e);
    }
    return parse(section, footer, file);
  }

  static BlockIndex parse(byte[] section, PartitionFooter footer, Object file)
      throws CorruptStoreException {
    int end = section.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(section, 0, end);
    if ((int) crc.getValue() != PartitionFormat.getIntLE(section, end)) {
      throw new CorruptStoreException(file, "block index checksum mismatch");
    }
    int count = PartitionFormat.getIntLE(section, 0);
    if (count < 0 || count > end / 9 || (count == 0) != (footer.keyCount == 0)) {
      throw new CorruptStoreException(file, "invalid block count " + count);
    }
    int[] starts = new int[count];
    int[] lengths = new int[count];
    long[] offsets = new long[count];
    int[] cursor = {4};
    long previousOffset = -1;
    for (int i = 0; i < count; i++) {
      int keyLength = readLength(section, cursor, end, file);
      starts[i] = cursor[0];
      lengths[i] = keyLength;
      cursor[0] += keyLength;
      if (cursor[0] + 8 > end) {
        throw new CorruptStoreException(file, "block index entry " + i + " runs past its section");
      }
      offsets[i] = PartitionFormat.getLongLE(section, cursor[0]);
      cursor[0] += 8;
      if (offsets[i] <= previousOffset || offsets[i] < footer.dataStart
          || offsets[i] >= footer.dataEnd) {
        throw new CorruptStoreException(file, "block index entry " + i + " has invalid offset "
            + offsets[i]);
      }
      previousOffset = offsets[i];
    }
    int lastKeyLength = readLength(section, cursor, end, file);
    if (cursor[0] + lastKeyLength != end) {
      throw new CorruptStoreException(file, "block index section has a wrong length");
    }
    byte[] lastKey = Arrays.copyOfRange(section, cursor[0], end);
    return new BlockIndex(section, starts, lengths, offsets, lastKey, footer.dataStart);
  }

  private static int readLength(byte[] b, int[] cursor, int end, Object file)
      throws CorruptStoreException {
    long decoded = Varint.decode(ByteBuffer.wrap(b), cursor[0], end);
    if (decoded == Varint.INVALID) {
      throw new CorruptStoreException(file, "invalid key length in block index");
    }
    cursor[0] += Varint.length(decoded);
    long value = Varint.value(decoded);
    if (value > end - cursor[0]) {
      throw new CorruptStoreException(file, "key length " + value + " runs past the block index");
    }
    return (int) value;
  }

  /** The first key of the partition, or null when it is empty. */
  byte[] firstKey() {
    return offsets.length == 0 ? null
        : Arrays.copyOfRange(keys, keyStarts[0], keyStarts[0] + keyLengths[0]);
  }

  /** The last key of the partition. */
  byte[] lastKey() {
    return lastKey.clone();
  }

  /**
   * Offset of the block where a scan for the first key {@code >= key} starts: the last block
   * whose first key is at most {@code key}, or the first block.
   */
  long startOffset(byte[] key) {
    int lo = 0;
    int hi = offsets.length - 1;
    int found = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Bytes.compare(keys, keyStarts[mid], keyLengths[mid], key, 0, key.length) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return offsets.length == 0 ? dataStart : offsets[found];
  }

  /** Approximate heap bytes held. */
  long heapBytes() {
    return keys.length + 16L * offsets.length + lastKey.length + 64;
  }
}
