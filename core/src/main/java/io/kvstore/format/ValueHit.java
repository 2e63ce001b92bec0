package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Where a lookup found a value: a buffer (a memory-mapped chunk, or the bytes of one positional
 * read) and the value's bounds in it, set by {@link PartitionReader#find}. The buffer is never
 * exposed: the value leaves only as a copy, so nothing can read a map after the reader unmapped
 * it. Reusable across lookups; not thread-safe.
 */
public final class ValueHit {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /**
   * Values up to this length are copied eight bytes at a time by absolute reads, which allocates
   * nothing (Java 11 has no absolute bulk get); longer ones through one bulk copy of a duplicate
   * buffer, whose one small allocation is nothing beside the copy.
   */
  private static final int WORD_COPY_MAX = 512;

  /**
   * Decompressed values at most this long keep their scratch array between lookups; a longer
   * one's is dropped by {@link #clear()}, so one huge value does not stay on the heap.
   */
  private static final int SCRATCH_KEPT_MAX = 64 * 1024;

  ByteBuffer buf;
  int start;
  int length;
  /**
   * The header of the record being looked at, decoded by the record source into this holder so
   * that a lookup allocates no layout of its own.
   */
  final RecordCodec.Layout layout = new RecordCodec.Layout();
  /**
   * Bytes already read that the lookup may take its record from instead of reading it, or null
   * (see {@link #use}).
   */
  RecordRange range;
  /** Where compressed values are decompressed; reused across lookups, grown on demand. */
  private byte[] scratch;
  private ByteBuffer scratchBuffer;

  /**
   * The CRC32C of the records this holder checks ({@link #checkCrc}), and the array a record of
   * up to {@link #WORD_COPY_MAX} bytes is copied into to be checked; both made on first use.
   */
  private CRC32C crc;
  private byte[] crcCopy;
  /**
   * The buffer and range {@link #crcCopy} holds a copy of, or null: a value inside it is copied
   * out of that array (the file never changes under a map, so the bytes are the same).
   */
  private ByteBuffer copySource;
  private int copyStart;
  private int copyLength;

  /** Holds nothing until a lookup sets it. */
  public ValueHit() {}

  /**
   * Checks the CRC32C of the record of {@code totalLength} bytes at {@code index} of {@code buf},
   * as {@link RecordCodec#checkCrc} does, allocating nothing for a record of up to
   * {@link #WORD_COPY_MAX} bytes of a memory map or any record of a heap buffer: the record is
   * checksummed through this holder's own CRC32C, from a copy in its own array (Java 11's
   * CRC32C takes a direct buffer only through its position and limit, i.e. a duplicate per
   * record, which the JIT's escape analysis removed in some compilations and not in others:
   * JMH measured 64 bytes a lookup in one run of nine).
   */
  void checkCrc(ByteBuffer buf, int index, int totalLength, Object file, long offset)
      throws CorruptStoreException {
    int n = totalLength - PartitionFormat.RECORD_CRC_SIZE;
    copySource = null;
    if (!buf.hasArray() && n > WORD_COPY_MAX) {
      RecordCodec.checkCrc(buf, index, totalLength, file, offset);
      return;
    }
    if (crc == null) {
      crc = new CRC32C();
    } else {
      crc.reset();
    }
    if (buf.hasArray()) {
      crc.update(buf.array(), buf.arrayOffset() + index, n);
    } else {
      if (crcCopy == null) {
        crcCopy = new byte[WORD_COPY_MAX];
      }
      copyWords(buf, index, crcCopy, 0, n);
      crc.update(crcCopy, 0, n);
      copySource = buf;
      copyStart = index;
      copyLength = n;
    }
    RecordCodec.compareCrc((int) crc.getValue(), buf, index + n, file, offset);
  }

  /**
   * Lets the next lookups through this holder take their record from {@code range} when it lies
   * there whole, instead of reading it; null reads every record. Set by a multi-get that read
   * several records at once.
   */
  public void use(RecordRange range) {
    this.range = range;
  }

  void set(ByteBuffer buf, int start, int length) {
    this.buf = buf;
    this.start = start;
    this.length = length;
  }

  /** An array of at least {@code length} bytes to decompress a value into. */
  byte[] scratch(int length) {
    if (scratch == null || scratch.length < length) {
      scratch = new byte[Math.max(length, 256)];
      scratchBuffer = ByteBuffer.wrap(scratch);
    }
    return scratch;
  }

  /** Holds the value of {@code length} bytes just decompressed into {@link #scratch}. */
  void setDecoded(int length) {
    set(scratchBuffer, 0, length);
  }

  /**
   * Moves the value into this holder's own array and forgets the buffer it was found in (and any
   * {@link #use range}), so that a multi-get's read of many records can be collected while their
   * values wait for their turn: a batch then holds its values, not every read's bytes.
   */
  public void detach() {
    range = null;
    if (buf == null || buf == scratchBuffer) {
      return;
    }
    byte[] own = scratch(length);
    copyTo(own, 0);
    setDecoded(length);
  }

  /**
   * Forgets the buffer, so a holder kept between lookups keeps no read's bytes alive (nor a
   * large decompressed value).
   */
  public void clear() {
    buf = null;
    copySource = null;
    range = null;
    if (scratch != null && scratch.length > SCRATCH_KEPT_MAX) {
      scratch = null;
      scratchBuffer = null;
    }
  }

  /** Length of the value in bytes. */
  public int length() {
    return length;
  }

  /** A new array holding the value. */
  public byte[] copy() {
    byte[] out = new byte[length];
    copyTo(out, 0);
    return out;
  }

  /**
   * Copies the value into {@code dest} at {@code off}; the caller has checked that it fits.
   */
  public void copyTo(byte[] dest, int off) {
    if (buf.hasArray()) {
      System.arraycopy(buf.array(), buf.arrayOffset() + start, dest, off, length);
      return;
    }
    if (buf == copySource && start >= copyStart && start + length <= copyStart + copyLength) {
      // The record was copied to check its checksum: take the value from that copy.
      System.arraycopy(crcCopy, start - copyStart, dest, off, length);
      return;
    }
    if (length > WORD_COPY_MAX) {
      ByteBuffer view = buf.duplicate();
      view.position(start);
      view.get(dest, off, length);
      return;
    }
    copyWords(buf, start, dest, off, length);
  }

  /**
   * Copies {@code length} bytes at {@code from} of {@code b} into {@code dest} at {@code off} by
   * absolute reads, eight bytes at a time where the buffer is little-endian (as kvstore's maps
   * are; the word order only has to match the array view's): allocates nothing.
   */
  private static void copyWords(ByteBuffer b, int from, byte[] dest, int off, int length) {
    int i = 0;
    if (b.order() == ByteOrder.LITTLE_ENDIAN) {
      for (; i + 8 <= length; i += 8) {
        LONG_LE.set(dest, off + i, b.getLong(from + i));
      }
    }
    for (; i < length; i++) {
      dest[off + i] = b.get(from + i);
    }
  }

  /**
   * Copies the value into {@code dest} at its position, which advances by the value's length;
   * the caller has checked that it fits.
   */
  public void copyTo(ByteBuffer dest) {
    int at = dest.position();
    if (dest.hasArray()) {
      copyTo(dest.array(), dest.arrayOffset() + at);
    } else if (buf.hasArray()) {
      ByteBuffer view = dest.duplicate();
      view.put(buf.array(), buf.arrayOffset() + start, length);
    } else {
      ByteBuffer view = dest.duplicate();
      ByteBuffer src = buf.duplicate();
      src.limit(start + length).position(start);
      view.put(src);
    }
    dest.position(at + length);
  }
}
