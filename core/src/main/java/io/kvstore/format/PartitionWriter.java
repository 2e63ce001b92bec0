package io.kvstore.format;

import io.kvstore.PartitionInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one partition file of format version 3: header, compression section, records in the
 * order given, sparse block index, hash index, the CRC32C of each chunk of hash index slots (in a
 * section of its own) and footer. The caller
 * ({@link RollingPartitionWriter}) checks key order and sizes; this class knows the byte layout
 * and what a file will weigh once finished.
 *
 * <p>Under zstd the first pairs are held back until their values reach the sample size, a
 * dictionary is trained on them and written in the compression section, and then they are
 * written like every later pair (as RocksDB does per SST file). Each value is compressed on its
 * own; one that does not shrink the record is stored raw with its flag clear.
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
  /** Slots per checksummed hash index chunk, a power of two. */
  private final int indexChunkSlots;

  private final byte[] buffer;
  private int bufferPos;
  private long offset;
  private final CRC32C fileCrc = new CRC32C();
  private final CRC32C recordCrc = new CRC32C();
  private final byte[] scratch = new byte[RecordCodec.MAX_HEADER + 8];

  private final Compression.Codec codec;
  private final int level;
  private final int dictionaryCapacity;
  private final long sampleBytes;
  /** Null until the compression section is written (the dictionary is trained). */
  private Compression.Encoder encoder;
  private byte[] compressed = new byte[256];
  /** Pairs held back for training (key, value copies), until the encoder exists. */
  private List<byte[][]> pending = new ArrayList<>();
  private long pendingValueBytes;
  /** Most bytes the held-back pairs will take as records (uncompressed). */
  private long pendingRecordBytes;
  /** Largest block index entry one held-back pair could add. */
  private long pendingMaxBlockEntry;
  private long dataStart;
  private long pairBytes;
  private int maxValueLength;

  private final HashIndexBuilder index = new HashIndexBuilder(HashIndexBuilder.DEFAULT_CHUNK_BITS);
  private int count;
  /** The hash index being written by {@link #finish}: a buffer of slots and its fill. */
  private byte[] slotChunk;
  private int slotChunkPos;
  /** CRC32C of the index chunk being written, the slots it holds so far, and the chunk table. */
  private final CRC32C slotCrc = new CRC32C();
  private int slotsInChunk;
  /** Start of the slots in {@link #slotChunk} not yet added to {@link #slotCrc}. */
  private int crcFrom;
  private byte[] chunkTable;
  private int chunkTablePos;

  private byte[] blockKeys = new byte[4096];
  private int blockKeysLength;
  private int blockCount;
  private long blockIndexBytes = 4;
  private long lastBlockStart = -1;

  private byte[] firstKey;
  private byte[] lastKey = new byte[64];
  private int lastKeyLength;
  private int maxRecordLength;

  /**
   * @param indexChunkSlots slots per checksummed hash index chunk, a power of two
   * @param codec the value codec
   * @param level the zstd level
   * @param dictionaryCapacity most bytes of the zstd dictionary; below
   *     {@link Compression#MIN_DICTIONARY_BYTES}, none is trained
   * @param sampleBytes bytes of values held back to train the dictionary on
   */
  PartitionWriter(OutputStream out, String fileName, long hashSeed, double loadFactor,
      long blockSize, int indexChunkSlots, int bufferSize, Compression.Codec codec, int level,
      int dictionaryCapacity, long sampleBytes) throws IOException {
    this.out = out;
    this.codec = codec;
    this.level = level;
    this.dictionaryCapacity = codec == Compression.Codec.ZSTD
        && dictionaryCapacity >= Compression.MIN_DICTIONARY_BYTES ? dictionaryCapacity : 0;
    this.sampleBytes = sampleBytes;
    this.fileName = fileName;
    this.hashSeed = hashSeed;
    this.loadFactor = loadFactor;
    this.blockSize = blockSize;
    this.indexChunkSlots = indexChunkSlots;
    this.buffer = new byte[Math.max(bufferSize, 4096)];
    byte[] header = new byte[PartitionFormat.HEADER_SIZE];
    System.arraycopy(PartitionFormat.HEADER_MAGIC, 0, header, 0, 8);
    PartitionFormat.putIntLE(header, 8, PartitionFormat.FORMAT_VERSION);
    write(header, 0, header.length);
    if (this.dictionaryCapacity == 0) {
      startData();
    }
  }

  /**
   * Trains the dictionary on the held-back pairs, writes the section, then those pairs. A
   * partition whose held-back values do not compress together ({@link Compression#pays}: random
   * values, which then cost no training) or one by one against the dictionary
   * ({@link Compression#paysPerValue}: values of a few bytes) is written with codec none and no
   * dictionary: no compression attempt per value and no dictionary bytes.
   */
  private void startData() throws IOException {
    byte[] dictionary = new byte[0];
    Compression.Codec chosen = codec;
    if (dictionaryCapacity > 0) {
      List<byte[]> values = new ArrayList<>(pending.size());
      for (byte[][] pair : pending) {
        values.add(pair[1]);
      }
      if (values.isEmpty() || Compression.pays(values)) {
        dictionary = Compression.trainDictionary(values, (int) Math.min(Integer.MAX_VALUE - 16,
            pendingValueBytes), dictionaryCapacity);
        if (!values.isEmpty()
            && !Compression.paysPerValue(codec, level, dictionary, values)) {
          chosen = Compression.Codec.NONE;
          dictionary = new byte[0];
        }
      } else {
        chosen = Compression.Codec.NONE;
      }
    }
    encoder = new Compression.Encoder(chosen, level, dictionary);
    byte[] section = CompressionSection.toBytes(chosen, dictionary);
    write(section, 0, section.length);
    dataStart = offset;
    List<byte[][]> held = pending;
    pending = null;
    for (byte[][] pair : held) {
      writeRecord(pair[0], 0, pair[0].length, pair[1], 0, pair[1].length);
    }
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

  /** Most bytes a record with these lengths takes: stored raw when compression does not pay. */
  static long recordSize(int keyLength, int valueLength) {
    return RecordCodec.rawRecordSize(keyLength, valueLength);
  }

  private static long blockEntrySize(int keyLength) {
    return Varint.size(keyLength) + keyLength + 8;
  }

  /** Most bytes the file would have, once finished, if a pair of these lengths were added now. */
  long sizeIfAdded(int keyLength, int valueLength) {
    long dataEnd = offset + recordSize(keyLength, valueLength);
    long blockIndex = blockIndexBytes + blockEntrySize(keyLength);
    if (pending != null) {
      // Not written yet: the section with the largest dictionary, the held-back records stored
      // raw, and a block entry for every block they could start.
      dataEnd += CompressionSection.EMPTY_SIZE + dictionaryCapacity + pendingRecordBytes;
      if (!pending.isEmpty()) {
        blockIndex += (pendingRecordBytes / blockSize + 1) * pendingMaxBlockEntry;
      }
    }
    return sizeWith(count + 1, dataEnd, blockIndex, keyLength);
  }

  /** Bytes of the hash index of {@code keys} keys, its chunk checksums, and the footer. */
  private static long indexAndFooterSize(long keys, double loadFactor, int indexChunkSlots) {
    return PartitionFormat.hashIndexBytes(PartitionFormat.slotCount(keys, loadFactor),
        indexChunkSlots) + PartitionFormat.FOOTER_SIZE_V3;
  }

  /**
   * Most bytes a file holding only one pair of these lengths has (one pair never trains a
   * dictionary).
   */
  static long sizeOfSingle(int keyLength, int valueLength, double loadFactor,
      int indexChunkSlots) {
    long blockIndex = 4 + blockEntrySize(keyLength);
    return PartitionFormat.HEADER_SIZE + CompressionSection.EMPTY_SIZE
        + recordSize(keyLength, valueLength) + blockIndex + Varint.size(keyLength) + keyLength + 4
        + indexAndFooterSize(1, loadFactor, indexChunkSlots);
  }

  private long sizeWith(long keys, long dataEnd, long blockIndex, int lastKeyLen) {
    long blockSection = blockIndex + Varint.size(lastKeyLen) + lastKeyLen + 4;
    return dataEnd + blockSection + indexAndFooterSize(keys, loadFactor, indexChunkSlots);
  }

  /** Appends a record; the key must be greater than the previous one (checked by the caller). */
  void append(byte[] key, int keyOff, int keyLen, byte[] value, int valueOff, int valueLen)
      throws IOException {
    count++;
    pairBytes += (long) keyLen + valueLen;
    maxValueLength = Math.max(maxValueLength, valueLen);
    if (firstKey == null) {
      firstKey = Arrays.copyOfRange(key, keyOff, keyOff + keyLen);
    }
    if (lastKey.length < keyLen) {
      lastKey = new byte[Math.max(keyLen, lastKey.length * 2)];
    }
    System.arraycopy(key, keyOff, lastKey, 0, keyLen);
    lastKeyLength = keyLen;
    if (pending != null) {
      pending.add(new byte[][] {Arrays.copyOfRange(key, keyOff, keyOff + keyLen),
          Arrays.copyOfRange(value, valueOff, valueOff + valueLen)});
      pendingValueBytes += valueLen;
      pendingRecordBytes += recordSize(keyLen, valueLen);
      pendingMaxBlockEntry = Math.max(pendingMaxBlockEntry, blockEntrySize(keyLen));
      if (pendingValueBytes >= sampleBytes) {
        startData();
      }
      return;
    }
    writeRecord(key, keyOff, keyLen, value, valueOff, valueLen);
  }

  private void writeRecord(byte[] key, int keyOff, int keyLen, byte[] value, int valueOff,
      int valueLen) throws IOException {
    long hash = KeyHash.hash64(key, keyOff, keyLen, hashSeed);
    index.add(hash, PartitionFormat.slot(hash, offset));
    if (lastBlockStart < 0 || offset - lastBlockStart >= blockSize) {
      addBlock(key, keyOff, keyLen);
    }
    byte[] stored = value;
    int storedOff = valueOff;
    int storedLen = valueLen;
    boolean isCompressed = false;
    if (encoder.codec != Compression.Codec.NONE && valueLen > 0) {
      int bound = encoder.bound(valueLen);
      if (compressed.length < bound) {
        compressed = new byte[Math.max(bound, compressed.length * 2)];
      }
      int n = encoder.compress(value, valueOff, valueLen, compressed);
      // Compressed only if the record shrinks: random values cost nothing but the flag bit.
      if (Varint.size(n) + Varint.size(valueLen) + n < Varint.size(valueLen) + valueLen) {
        stored = compressed;
        storedOff = 0;
        storedLen = n;
        isCompressed = true;
      }
    }
    long recordStart = offset;
    recordCrc.reset();
    int n = RecordCodec.putHeader(scratch, 0, keyLen, storedLen, valueLen, isCompressed);
    recordCrc.update(scratch, 0, n);
    write(scratch, 0, n);
    recordCrc.update(key, keyOff, keyLen);
    write(key, keyOff, keyLen);
    recordCrc.update(stored, storedOff, storedLen);
    write(stored, storedOff, storedLen);
    PartitionFormat.putIntLE(scratch, 0, (int) recordCrc.getValue());
    write(scratch, 0, 4);
    long length = offset - recordStart;
    if (length > maxRecordLength) {
      maxRecordLength = (int) Math.min(Integer.MAX_VALUE, length);
    }
  }

  private void addBlock(byte[] key, int keyOff, int keyLen) {
    int need = (int) blockEntrySize(keyLen);
    if (blockKeysLength + need > blockKeys.length) {
      blockKeys = Arrays.copyOf(blockKeys, Math.max(blockKeysLength + need, blockKeys.length * 2));
    }
    int p = Varint.put(blockKeys, blockKeysLength, keyLen);
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
    if (pending != null) {
      startData();
    }
    encoder.close();
    long dataEnd = offset;
    // Block index section: count, entries, last key, CRC32C of the section.
    CRC32C sectionCrc = new CRC32C();
    byte[] small = new byte[16];
    PartitionFormat.putIntLE(small, 0, blockCount);
    writeSection(small, 0, 4, sectionCrc);
    writeSection(blockKeys, 0, blockKeysLength, sectionCrc);
    int n = Varint.put(small, 0, lastKeyLength);
    writeSection(small, 0, n, sectionCrc);
    writeSection(lastKey, 0, lastKeyLength, sectionCrc);
    PartitionFormat.putIntLE(small, 0, (int) sectionCrc.getValue());
    write(small, 0, 4);

    // Hash index section: the slots alone; each chunk's CRC32C goes to the chunk table.
    long hashIndexOffset = offset;
    long slots = PartitionFormat.slotCount(count, loadFactor);
    chunkTable = new byte[(int) (4 * PartitionFormat.indexChunkCount(slots, indexChunkSlots)) + 4];
    chunkTablePos = 0;
    slotCrc.reset();
    slotsInChunk = 0;
    slotChunk = new byte[64 * 1024];
    slotChunkPos = 0;
    crcFrom = 0;
    index.writeTo((int) slots, this::putSlot);
    if (slotsInChunk > 0) {
      endIndexChunk();
    }
    write(slotChunk, 0, slotChunkPos);
    slotChunk = null;
    // Chunk checksum section: a CRC32C per chunk, then its own.
    sectionCrc.reset();
    sectionCrc.update(chunkTable, 0, chunkTablePos);
    PartitionFormat.putIntLE(chunkTable, chunkTablePos, (int) sectionCrc.getValue());
    write(chunkTable, 0, chunkTable.length);
    chunkTable = null;

    byte[] footer = new PartitionFooter(PartitionFormat.FORMAT_VERSION, count, dataStart, dataEnd,
        hashIndexOffset, slots, hashSeed, maxRecordLength, maxValueLength, pairBytes,
        offset + PartitionFormat.FOOTER_SIZE_V3, indexChunkSlots,
        PartitionFooter.keyHash(firstKey, hashSeed),
        PartitionFooter.keyHash(count == 0 ? null : Arrays.copyOf(lastKey, lastKeyLength),
            hashSeed)).toBytes();
    write(footer, 0, footer.length);
    flushBuffer();
    out.close();
    return new PartitionInfo(fileName, count, offset, firstKey,
        Arrays.copyOf(lastKey, lastKeyLength), (int) fileCrc.getValue(), PartitionInfo.NO_BUCKET);
  }

  private void putSlot(long slot) throws IOException {
    PartitionFormat.putLongLE(slotChunk, slotChunkPos, slot);
    slotChunkPos += 8;
    if (++slotsInChunk == indexChunkSlots) {
      endIndexChunk();
    }
    if (slotChunkPos == slotChunk.length) {
      // Checksummed in runs, not slot by slot: a call per slot would cost more than the CRC.
      slotCrc.update(slotChunk, crcFrom, slotChunkPos - crcFrom);
      crcFrom = 0;
      write(slotChunk, 0, slotChunkPos);
      slotChunkPos = 0;
    }
  }

  /** Records the CRC32C of the index chunk just completed (the last may be short). */
  private void endIndexChunk() {
    slotCrc.update(slotChunk, crcFrom, slotChunkPos - crcFrom);
    crcFrom = slotChunkPos;
    PartitionFormat.putIntLE(chunkTable, chunkTablePos, (int) slotCrc.getValue());
    chunkTablePos += 4;
    slotCrc.reset();
    slotsInChunk = 0;
  }

  /** Closes the stream without finishing the file (the caller deletes it). */
  void abandon() throws IOException {
    if (encoder != null) {
      encoder.close();
    }
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
