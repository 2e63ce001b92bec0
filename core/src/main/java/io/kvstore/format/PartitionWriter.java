package io.kvstore.format;

import io.kvstore.PartitionInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes one partition file: header, records in the order given, sparse block index, hash index
 * and footer. The caller ({@link RollingPartitionWriter}) checks key order and sizes; this class
 * knows the byte layout and what a file will weigh once finished.
 *
 * <p>Memory: 12 bytes per record for the hash index entries ({@link HashIndexBuilder}), which
 * {@link #finish} writes slot by slot without holding the index itself.
 */
final class PartitionWriter {
  private final OutputStream out;
  private final String fileName;
  private final long hashSeed;
  private final double loadFactor;
  private final long blockSize;

  private final byte[] buffer;
  private int bufferPos;
  private long offset;
  private final CRC32C fileCrc = new CRC32C();
  private final CRC32C recordCrc = new CRC32C();
  private final byte[] scratch = new byte[20];

  private final HashIndexBuilder index = new HashIndexBuilder(HashIndexBuilder.DEFAULT_CHUNK_BITS);
  private int count;
  /** The hash index being written by {@link #finish}: a chunk of slots and its fill. */
  private byte[] slotChunk;
  private int slotChunkPos;
  private CRC32C slotCrc;

  private byte[] blockKeys = new byte[4096];
  private int blockKeysLength;
  private int blockCount;
  private long blockIndexBytes = 4;
  private long lastBlockStart = -1;

  private byte[] firstKey;
  private byte[] lastKey = new byte[64];
  private int lastKeyLength;
  private int maxRecordLength;

  PartitionWriter(OutputStream out, String fileName, long hashSeed, double loadFactor,
      long blockSize, int bufferSize) throws IOException {
    this.out = out;
    this.fileName = fileName;
    this.hashSeed = hashSeed;
    this.loadFactor = loadFactor;
    this.blockSize = blockSize;
    this.buffer = new byte[Math.max(bufferSize, 4096)];
    byte[] header = new byte[PartitionFormat.HEADER_SIZE];
    System.arraycopy(PartitionFormat.HEADER_MAGIC, 0, header, 0, 8);
    PartitionFormat.putIntLE(header, 8, PartitionFormat.FORMAT_VERSION);
    write(header, 0, header.length);
  }

  /** Records written so far. */
  long count() {
    return count;
  }

  /** The last key written; valid until the next append. */
  byte[] lastKeyBuffer() {
    return lastKey;
  }

  int lastKeyLength() {
    return lastKeyLength;
  }

  /** Bytes of a record with these lengths. */
  static long recordSize(int keyLength, int valueLength) {
    return PartitionFormat.varintSize(keyLength) + PartitionFormat.varintSize(valueLength)
        + (long) keyLength + valueLength + PartitionFormat.RECORD_CRC_SIZE;
  }

  /** Most bytes the file would have, once finished, if a pair of these lengths were added now. */
  long sizeIfAdded(int keyLength, int valueLength) {
    return sizeWith(count + 1, offset + recordSize(keyLength, valueLength),
        blockIndexBytes + PartitionFormat.varintSize(keyLength) + keyLength + 8, keyLength);
  }

  /** Most bytes a file holding only one pair of these lengths has. */
  static long sizeOfSingle(int keyLength, int valueLength, double loadFactor) {
    long blockIndex = 4 + PartitionFormat.varintSize(keyLength) + keyLength + 8;
    return PartitionFormat.HEADER_SIZE + recordSize(keyLength, valueLength) + blockIndex
        + PartitionFormat.varintSize(keyLength) + keyLength + 4
        + PartitionFormat.slotCount(1, loadFactor) * 8 + 4 + PartitionFormat.FOOTER_SIZE;
  }

  private long sizeWith(long keys, long dataEnd, long blockIndex, int lastKeyLen) {
    long blockSection = blockIndex + PartitionFormat.varintSize(lastKeyLen) + lastKeyLen + 4;
    return dataEnd + blockSection + PartitionFormat.slotCount(keys, loadFactor) * 8 + 4
        + PartitionFormat.FOOTER_SIZE;
  }

  /** Appends a record; the key must be greater than the previous one (checked by the caller). */
  void append(byte[] key, int keyOff, int keyLen, byte[] value, int valueOff, int valueLen)
      throws IOException {
    long hash = KeyHash.hash64(key, keyOff, keyLen, hashSeed);
    index.add(hash, PartitionFormat.slot(hash, offset));
    count++;
    if (lastBlockStart < 0 || offset - lastBlockStart >= blockSize) {
      addBlock(key, keyOff, keyLen);
    }
    if (firstKey == null) {
      firstKey = Arrays.copyOfRange(key, keyOff, keyOff + keyLen);
    }
    if (lastKey.length < keyLen) {
      lastKey = new byte[Math.max(keyLen, lastKey.length * 2)];
    }
    System.arraycopy(key, keyOff, lastKey, 0, keyLen);
    lastKeyLength = keyLen;

    long recordStart = offset;
    recordCrc.reset();
    int n = PartitionFormat.putVarint(scratch, 0, keyLen);
    n = PartitionFormat.putVarint(scratch, n, valueLen);
    recordCrc.update(scratch, 0, n);
    write(scratch, 0, n);
    recordCrc.update(key, keyOff, keyLen);
    write(key, keyOff, keyLen);
    recordCrc.update(value, valueOff, valueLen);
    write(value, valueOff, valueLen);
    PartitionFormat.putIntLE(scratch, 0, (int) recordCrc.getValue());
    write(scratch, 0, 4);
    long length = offset - recordStart;
    if (length > maxRecordLength) {
      maxRecordLength = (int) Math.min(Integer.MAX_VALUE, length);
    }
  }

  private void addBlock(byte[] key, int keyOff, int keyLen) {
    int need = PartitionFormat.varintSize(keyLen) + keyLen + 8;
    if (blockKeysLength + need > blockKeys.length) {
      blockKeys = Arrays.copyOf(blockKeys, Math.max(blockKeysLength + need, blockKeys.length * 2));
    }
    int p = PartitionFormat.putVarint(blockKeys, blockKeysLength, keyLen);
    System.arraycopy(key, keyOff, blockKeys, p, keyLen);
    p += keyLen;
    PartitionFormat.putLongLE(blockKeys, p, offset);
    blockKeysLength = p + 8;
    blockCount++;
    blockIndexBytes += need;
    lastBlockStart = offset;
  }

  /**
   * Writes the indexes and footer and closes the stream.
   *
   * @return the partition's manifest entry
   */
  PartitionInfo finish() throws IOException {
    long dataEnd = offset;
    // Block index section: count, entries, last key, CRC32C of the section.
    CRC32C sectionCrc = new CRC32C();
    byte[] small = new byte[16];
    PartitionFormat.putIntLE(small, 0, blockCount);
    writeSection(small, 0, 4, sectionCrc);
    writeSection(blockKeys, 0, blockKeysLength, sectionCrc);
    int n = PartitionFormat.putVarint(small, 0, lastKeyLength);
    writeSection(small, 0, n, sectionCrc);
    writeSection(lastKey, 0, lastKeyLength, sectionCrc);
    PartitionFormat.putIntLE(small, 0, (int) sectionCrc.getValue());
    write(small, 0, 4);

    long hashIndexOffset = offset;
    long slots = PartitionFormat.slotCount(count, loadFactor);
    sectionCrc.reset();
    slotCrc = sectionCrc;
    slotChunk = new byte[64 * 1024];
    slotChunkPos = 0;
    index.writeTo((int) slots, this::putSlot);
    writeSection(slotChunk, 0, slotChunkPos, sectionCrc);
    slotChunk = null;
    PartitionFormat.putIntLE(small, 0, (int) sectionCrc.getValue());
    write(small, 0, 4);

    byte[] footer = new PartitionFooter(count, dataEnd, hashIndexOffset, slots, hashSeed,
        maxRecordLength, offset + PartitionFormat.FOOTER_SIZE).toBytes();
    write(footer, 0, footer.length);
    flushBuffer();
    out.close();
    return new PartitionInfo(fileName, count, offset, firstKey,
        Arrays.copyOf(lastKey, lastKeyLength), (int) fileCrc.getValue(), PartitionInfo.NO_BUCKET);
  }

  private void putSlot(long slot) throws IOException {
    PartitionFormat.putLongLE(slotChunk, slotChunkPos, slot);
    slotChunkPos += 8;
    if (slotChunkPos == slotChunk.length) {
      writeSection(slotChunk, 0, slotChunkPos, slotCrc);
      slotChunkPos = 0;
    }
  }

  /** Closes the stream without finishing the file (the caller deletes it). */
  void abandon() throws IOException {
    out.close();
  }

  private void writeSection(byte[] src, int off, int len, CRC32C sectionCrc) throws IOException {
    sectionCrc.update(src, off, len);
    write(src, off, len);
  }

  /**
   * Buffers {@code src[off, off + len)}. The file reaches the stream only in writes of whole
   * buffers at multiples of the buffer size (the last write excepted): a write of 2 MB or more
   * at a 2 MB boundary is what lets Linux (6.x, ext4 and XFS) cache the file in 2 MB folios that a
   * memory map then maps with huge pages, and lookups on such pages measured 1.3-1.5x faster.
   * Data larger than the buffer is written from {@code src} directly, in whole buffers.
   */
  private void write(byte[] src, int off, int len) throws IOException {
    offset += len;
    int room = buffer.length - bufferPos;
    if (len < room) {
      System.arraycopy(src, off, buffer, bufferPos, len);
      bufferPos += len;
      return;
    }
    System.arraycopy(src, off, buffer, bufferPos, room);
    bufferPos += room;
    flushBuffer();
    off += room;
    len -= room;
    int whole = len - len % buffer.length;
    if (whole > 0) {
      fileCrc.update(src, off, whole);
      out.write(src, off, whole);
      off += whole;
      len -= whole;
    }
    System.arraycopy(src, off, buffer, 0, len);
    bufferPos = len;
  }

  private void flushBuffer() throws IOException {
    if (bufferPos > 0) {
      fileCrc.update(buffer, 0, bufferPos);
      out.write(buffer, 0, bufferPos);
      bufferPos = 0;
    }
  }
}
