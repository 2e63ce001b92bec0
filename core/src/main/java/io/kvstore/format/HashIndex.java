package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.PositionedReadable;

/**
 * The hash index of an open partition (docs/format.md, sections 3.5 and 3.6): its slots, in heap
 * or memory-mapped, and the checks that make them safe to follow. Every slot a lookup reads comes
 * through {@link #slot}, which verifies the slot's chunk the first time any lookup touches it.
 *
 * <p>Version 3 checksums the index per chunk of {@code indexChunkSlots} slots. A mapped index is
 * verified lazily: a chunk's CRC32C is checked on first touch against its entry in the chunk
 * checksum section (itself read from the map, so opening reads no byte of the index), then the
 * chunk is marked in a bitset (two threads racing on one chunk both verify it; marking is atomic,
 * so no mark is lost). A chunk that fails is never marked, so every lookup that touches it fails
 * naming the file and the chunk (or the checksum section, when that is what is damaged), and no
 * lookup ever reads an unchecked slot. An index loaded into heap (positional reads, or
 * {@code kvstore.read.mmap.index=false}) is verified chunk by chunk while it is read, with the
 * same outcome for a bad chunk. Versions 1 and 2 have one checksum over the whole index: they are
 * read into heap and checked whole at open, as before.
 *
 * <p>A used slot's record offset is checked against the data section when a lookup reads the
 * slot, on every path ({@link #slot}): two compares, where checking all slots of a chunk on its
 * first touch cost more than its checksum. A checksum proves the chunk is what the writer wrote;
 * the offset check keeps a lookup from following a slot of a wrongly written file out of the data
 * section. Versions 1 and 2 also check every offset at open, as before.
 *
 * <p>The count of used slots against the footer's key count, and the chunk checksum section's own
 * checksum on a mapped index, need the whole index or section, so only {@link #verifyAll} checks
 * them for version 3 ({@code kvstore verify}).
 *
 * <p>A mapped index either owns its maps ({@link #map}) or reads views of one map of the whole
 * file ({@link #view}, owned by a {@link FileMap}); the layout of slots in maps is the same.
 */
final class HashIndex implements Closeable {
  /** Bytes of hash index read at once into heap: large reads, yet the buffer stays in L2. */
  private static final int READ_BYTES = 512 * 1024;
  /** Most slots one memory map of the index covers: 1 GB, within a Java buffer's 2 GB. */
  private static final int MAX_MAP_SLOTS = 1 << 27;
  private static final String CRC_SECTION_DAMAGED =
      "hash index chunk checksum section checksum mismatch";
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);
  /**
   * Reads a slot of a map. A view handle rather than {@code ByteBuffer.getLong}: its whole chain
   * is force-inlined, so a lookup's call chain stays shallow enough for the JIT to inline it and
   * keep its per-lookup objects off the heap (measured: 45 bytes a lookup otherwise).
   */
  private static final VarHandle MAPPED_LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle MAPPED_INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final Object file;
  private final int slotCount;
  private final long dataStart;
  private final long dataEnd;
  /** Slots in heap, or null when mapped. */
  private final long[] heap;
  /** Maps of {@code 1 << mapShift} slots each, or null when in heap. */
  private final MappedByteBuffer[] maps;
  /** Whether {@link #maps} are this index's own maps (else views of a {@link FileMap}). */
  private final boolean ownsMaps;
  private final int mapShift;
  private final int mapMask;
  /** log2 of the slots of a chunk; a chunk lies whole in one map. */
  private final int chunkShift;
  /** The stored CRC32C of each chunk (version 3) read into heap, or null. */
  private final int[] chunkCrcs;
  /**
   * The map holding the chunk checksum section of a mapped version-3 index (the last map of its
   * slots, extended over the section), or null when {@link #chunkCrcs} holds it.
   */
  private final ByteBuffer crcMap;
  /** Position of the chunk checksum section in {@link #crcMap}. */
  private final int crcStart;
  /** One bit per chunk: set once the chunk is verified. */
  private final long[] verified;
  /** Why chunks of a heap index failed their check, by chunk; empty for an intact index. */
  private final Map<Integer, String> failed;

  private HashIndex(Object file, PartitionFooter footer, long[] heap, MappedByteBuffer[] maps,
      boolean ownsMaps, int mapShift, int chunkShift, int[] chunkCrcs, ByteBuffer crcMap, int crcStart,
      long[] verified, Map<Integer, String> failed) {
    this.file = file;
    this.slotCount = (int) footer.slotCount;
    this.dataStart = footer.dataStart;
    this.dataEnd = footer.dataEnd;
    this.heap = heap;
    this.maps = maps;
    this.ownsMaps = ownsMaps;
    this.mapShift = mapShift;
    this.mapMask = (1 << mapShift) - 1;
    this.chunkShift = chunkShift;
    this.chunkCrcs = chunkCrcs;
    this.crcMap = crcMap;
    this.crcStart = crcStart;
    this.verified = verified;
    this.failed = failed;
  }

  /** Number of slots. */
  int slotCount() {
    return slotCount;
  }

  /**
   * The content of slot {@code b}, its chunk verified first if no lookup has touched it yet and
   * its record offset checked against the data section: the one routine through which every
   * lookup form reads the index.
   *
   * @throws CorruptStoreException naming the file and the chunk if the chunk is damaged or the
   *     slot points outside the data section
   */
  long slot(int b) throws CorruptStoreException {
    int c = b >>> chunkShift;
    if ((verified[c >>> 6] & (1L << c)) == 0) {
      verifyChunk(c);
    }
    long slot = heap != null ? heap[b]
        : (long) MAPPED_LONG.get(maps[b >>> mapShift], (b & mapMask) << 3);
    long offset = slot & PartitionFormat.OFFSET_MASK;
    if (slot != 0 && (offset < dataStart || offset >= dataEnd)) {
      throw damaged(c, checkOffset(slot, b));
    }
    return slot;
  }

  /**
   * Adds the load of slot {@code b}, unverified, to {@code loads}: it only brings the slot's
   * cache line in, and the lookup then reads the slot again through {@link #slot}.
   */
  void addLoad(int b, BatchLoads loads) {
    if (heap != null) {
      loads.add(heap, b);
    } else {
      loads.add(maps[b >>> mapShift], (b & mapMask) << 3);
    }
  }

  /** Verifies chunk {@code c} and marks it, or throws why it is damaged. */
  private void verifyChunk(int c) throws CorruptStoreException {
    if (heap != null) {
      // A heap index was verified while it was read: an unmarked chunk is a damaged one.
      throw damaged(c, failed.get(c));
    }
    int from = c << chunkShift;
    int to = (int) Math.min(slotCount, (long) from + (1L << chunkShift));
    int start = (from & mapMask) << 3;
    // The stored checksum is loaded before the chunk is summed: the two loads are independent,
    // so their cache misses overlap instead of the checksum's waiting behind the CRC32C of the
    // chunk (open + first 10,000 gets of a 10M store: 1.33x -> 1.21x Sparkey's, see
    // docs/benchmark-results/first-touch-2026-12-04.md).
    int stored = storedCrc(c);
    if (chunkCrc(maps[from >>> mapShift], start, (to - from) << 3) != stored) {
      if (crcMap != null && !crcSectionIntact()) {
        throw new CorruptStoreException(file, CRC_SECTION_DAMAGED + " (found checking chunk " + c
            + ")");
      }
      throw damaged(c, "checksum mismatch");
    }
    BITS.getAndBitwiseOr(verified, c >>> 6, 1L << c);
  }

  /** The stored checksum of chunk {@code c}, from heap or from the map. */
  private int storedCrc(int c) {
    return chunkCrcs != null ? chunkCrcs[c] : (int) MAPPED_INT.get(crcMap, crcStart + 4 * c);
  }

  /** CRC32C of {@code length} bytes of {@code map} from {@code start}; the map is not moved. */
  private static int chunkCrc(ByteBuffer map, int start, int length) {
    ByteBuffer view = map.duplicate();
    view.limit(start + length).position(start);
    CRC32C crc = new CRC32C();
    crc.update(view);
    return (int) crc.getValue();
  }

  /** Whether the mapped chunk checksum section matches its own checksum. */
  private boolean crcSectionIntact() {
    int count = (int) PartitionFormat.indexChunkCount(slotCount, 1 << chunkShift);
    return chunkCrc(crcMap, crcStart, 4 * count)
        == (int) MAPPED_INT.get(crcMap, crcStart + 4 * count);
  }

  private String checkOffset(long slot, int s) {
    if (slot == 0) {
      return null;
    }
    long offset = slot & PartitionFormat.OFFSET_MASK;
    return offset < dataStart || offset >= dataEnd ? "slot " + s + " points outside the data"
        + " section (offset " + offset + ")" : null;
  }

  private CorruptStoreException damaged(int c, String problem) {
    long from = (long) c << chunkShift;
    long to = Math.min(slotCount, from + (1L << chunkShift)) - 1;
    return new CorruptStoreException(file, "hash index chunk " + c + " (slots " + from + " to "
        + to + "): " + problem);
  }

  /**
   * Verifies every chunk and counts the used slots against the footer's key count: the
   * whole-index checks of {@code kvstore verify}.
   *
   * @throws CorruptStoreException naming the file and the first problem
   */
  void verifyAll(long keyCount) throws CorruptStoreException {
    if (crcMap != null && !crcSectionIntact()) {
      throw new CorruptStoreException(file, CRC_SECTION_DAMAGED);
    }
    long used = 0;
    for (int b = 0; b < slotCount; b++) {
      if (slot(b) != 0) {
        used++;
      }
    }
    if (used != keyCount) {
      throw new CorruptStoreException(file, "hash index holds " + used + " entries for "
          + keyCount + " keys");
    }
  }

  /** Heap bytes held: the slots of a heap index, the chunk checksums read into heap, the bitset. */
  long heapBytes() {
    return (heap == null ? 0 : 8L * heap.length) + (chunkCrcs == null ? 0 : 4L * chunkCrcs.length)
        + 8L * verified.length + 64;
  }

  /** Whether the slots are read through memory maps. */
  boolean isMapped() {
    return maps != null;
  }

  /** Memory maps held: 0 in heap or when the maps are views of a {@link FileMap}. */
  int maps() {
    return maps == null || !ownsMaps ? 0 : maps.length;
  }

  /**
   * Unmaps a mapped index's own maps at once, or drops its views of a {@link FileMap} (whose
   * owner unmaps the file): the owner makes sure no lookup is in flight.
   */
  @Override
  public void close() {
    if (maps != null && ownsMaps) {
      unmap(maps);
    } else if (maps != null) {
      Arrays.fill(maps, null);
    }
  }

  private static void unmap(MappedByteBuffer[] maps) {
    for (int i = 0; i < maps.length; i++) {
      if (maps[i] != null) {
        Unmapper.unmap(maps[i]);
        maps[i] = null;
      }
    }
  }

  /** Slots one map of a version-3 index covers, for maps of at most {@code mapBytes} bytes. */
  private static int mapSlots(PartitionFooter footer, long mapBytes) {
    long slots = Long.highestOneBit(Math.max(1, Math.min(mapBytes / 8, MAX_MAP_SLOTS)));
    // A chunk lies whole in one map: both are powers of two.
    return (int) Math.max(slots, footer.indexChunkSlots);
  }

  /** Memory maps a version-3 index takes with maps of at most {@code mapBytes} bytes. */
  static long mapCount(PartitionFooter footer, long mapBytes) {
    int per = mapSlots(footer, mapBytes);
    return (footer.slotCount + per - 1) / per;
  }

  /**
   * Whether {@link #map} maps the chunk checksum section with the slots (the last map extended
   * over it, no map of its own), so that opening reads none of it: when the last map stays within
   * {@code mapBytes} (at the defaults, unless the index fills its 1 GB maps exactly). Otherwise
   * the caller reads the section with {@link #readChunkCrcs}.
   */
  static boolean mapsChunkCrcs(PartitionFooter footer, long mapBytes) {
    int per = mapSlots(footer, mapBytes);
    long lastSlots = footer.slotCount - (mapCount(footer, mapBytes) - 1) * per;
    return lastSlots * 8 + 4L * footer.indexChunkCount() + 4
        <= Math.min(mapBytes, Integer.MAX_VALUE);
  }

  /**
   * Maps the slots of a version-3 index from {@code channel} (closed by the caller), to be
   * verified chunk by chunk as lookups touch them. The index owns its maps and unmaps them on
   * close.
   *
   * @param chunkCrcs the chunk checksum section from {@link #readChunkCrcs}, or null to map it
   *     with the slots (when {@link #mapsChunkCrcs})
   */
  static HashIndex map(FileChannel channel, PartitionFooter footer, int[] chunkCrcs,
      long mapBytes, Object file) throws IOException {
    return mapped(footer, chunkCrcs, mapBytes, file, true,
        (position, size) -> channel.map(FileChannel.MapMode.READ_ONLY, position, size));
  }

  /**
   * The index read through views of {@code whole}, a map of the whole file: the same layout of
   * maps as {@link #map} (a map's slots a power of two, the last extended over the chunk
   * checksum section when {@code chunkCrcs} is null), each a slice of {@code whole}. The index
   * does not own them: {@link #close} drops them and {@code whole}'s owner unmaps the file.
   */
  static HashIndex view(FileMap whole, PartitionFooter footer, int[] chunkCrcs, long mapBytes,
      Object file) throws IOException {
    return mapped(footer, chunkCrcs, mapBytes, file, false, whole::view);
  }

  /** Where {@link #mapped} gets a buffer of {@code [position, position + size)} of the file. */
  private interface Regions {
    MappedByteBuffer region(long position, long size) throws IOException;
  }

  /** The mapped index over buffers taken from {@code regions}, unmapped on failure if owned. */
  private static HashIndex mapped(PartitionFooter footer, int[] chunkCrcs, long mapBytes,
      Object file, boolean owned, Regions regions) throws IOException {
    int per = mapSlots(footer, mapBytes);
    MappedByteBuffer[] maps = new MappedByteBuffer[(int) mapCount(footer, mapBytes)];
    long crcBytes = chunkCrcs == null ? 4L * footer.indexChunkCount() + 4 : 0;
    try {
      for (int i = 0; i < maps.length; i++) {
        long first = (long) i * per;
        long slots = Math.min(per, footer.slotCount - first);
        // The section follows the last slot: the last map covers it too, no map of its own.
        maps[i] = regions.region(footer.hashIndexOffset + first * 8,
            slots * 8 + (i == maps.length - 1 ? crcBytes : 0));
        maps[i].order(ByteOrder.LITTLE_ENDIAN);
      }
    } catch (IOException | RuntimeException e) {
      if (owned) {
        unmap(maps);
      }
      throw e;
    }
    MappedByteBuffer last = maps[maps.length - 1];
    return new HashIndex(file, footer, null, maps, owned, Integer.numberOfTrailingZeros(per),
        Integer.numberOfTrailingZeros(footer.indexChunkSlots), chunkCrcs,
        chunkCrcs == null ? last : null, (int) (last.capacity() - crcBytes),
        new long[(footer.indexChunkCount() + 63) >>> 6], new ConcurrentHashMap<>());
  }

  /**
   * Reads and checks the chunk checksum section of a version-3 file: one CRC32C per chunk, then
   * the section's own CRC32C.
   */
  static int[] readChunkCrcs(PositionedReadable in, PartitionFooter footer, Object file)
      throws IOException {
    int count = footer.indexChunkCount();
    byte[] section = new byte[4 * count + 4];
    try {
      in.readFully(footer.chunkTableOffset(), section);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside its hash index chunk checksums", e);
    }
    CRC32C crc = new CRC32C();
    crc.update(section, 0, 4 * count);
    if ((int) crc.getValue() != PartitionFormat.getIntLE(section, 4 * count)) {
      throw new CorruptStoreException(file, CRC_SECTION_DAMAGED);
    }
    int[] crcs = new int[count];
    for (int i = 0; i < count; i++) {
      crcs[i] = PartitionFormat.getIntLE(section, 4 * i);
    }
    return crcs;
  }

  /**
   * Reads the whole index into heap in large reads, checking each chunk while it is in cache:
   * version 3 per chunk (a damaged chunk fails the lookups that touch it), versions 1 and 2
   * whole (a damaged index fails here, as do a slot outside the data section and a used-slot
   * count that differs from the footer's key count).
   *
   * @param chunkCrcs the chunk checksums of a version-3 file, null for versions 1 and 2
   */
  static HashIndex readIntoHeap(PositionedReadable in, PartitionFooter footer, int[] chunkCrcs,
      Object file) throws IOException {
    int count = (int) footer.slotCount;
    long[] slots = new long[count];
    boolean whole = chunkCrcs == null;
    // A whole index is one chunk of up to 2^30 slots: chunk 0 (or 1 past 2^30) is always marked.
    int chunkSlots = whole ? 1 << 30 : footer.indexChunkSlots;
    int chunks = (int) PartitionFormat.indexChunkCount(count, chunkSlots);
    long[] verified = new long[(chunks + 63) >>> 6];
    Map<Integer, String> failed = new ConcurrentHashMap<>();
    HashIndex index = new HashIndex(file, footer, slots, null, false, 0,
        Integer.numberOfTrailingZeros(chunkSlots), chunkCrcs, null, 0, verified, failed);
    // Reads hold whole chunks, so each chunk's checksum is computed from one buffer.
    int readSlots = Math.max(chunkSlots == 1 << 30 ? READ_BYTES / 8 : chunkSlots,
        READ_BYTES / 8 / chunkSlots * chunkSlots);
    byte[] buffer = new byte[(int) Math.min((long) readSlots, count) * 8];
    CRC32C wholeCrc = new CRC32C();
    CRC32C chunkCrc = new CRC32C();
    long position = footer.hashIndexOffset;
    long used = 0;
    String outside = null;
    int done = 0;
    try {
      while (done < count) {
        int n = Math.min(buffer.length / 8, count - done);
        in.readFully(position, buffer, 0, n * 8);
        if (whole) {
          wholeCrc.update(buffer, 0, n * 8);
        }
        for (int first = 0; first < n; first += whole ? n : chunkSlots) {
          int m = whole ? n : Math.min(chunkSlots, n - first);
          String problem = null;
          for (int i = first; i < first + m; i++) {
            long slot = (long) LONG_LE.get(buffer, i * 8);
            slots[done + i] = slot;
            used += slot != 0 ? 1 : 0;
            // Version 3 checks offsets where a lookup reads the slot (slot(b)).
            if (whole && problem == null) {
              problem = index.checkOffset(slot, done + i);
            }
          }
          if (whole) {
            outside = outside == null ? problem : outside;
            continue;
          }
          int c = (done + first) / chunkSlots;
          chunkCrc.reset();
          chunkCrc.update(buffer, first * 8, m * 8);
          if ((int) chunkCrc.getValue() != chunkCrcs[c]) {
            problem = "checksum mismatch";
          }
          if (problem == null) {
            verified[c >>> 6] |= 1L << c;
          } else {
            failed.put(c, problem);
          }
        }
        done += n;
        position += n * 8L;
      }
      if (whole) {
        byte[] stored = new byte[4];
        in.readFully(position, stored, 0, 4);
        if ((int) wholeCrc.getValue() != PartitionFormat.getIntLE(stored, 0)) {
          throw new CorruptStoreException(file, "hash index checksum mismatch");
        }
      }
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside its hash index", e);
    }
    if (whole) {
      if (outside != null) {
        throw new CorruptStoreException(file, "hash index " + outside);
      }
      if (used != footer.keyCount) {
        throw new CorruptStoreException(file, "hash index holds " + used + " entries for "
            + footer.keyCount + " keys");
      }
      Arrays.fill(verified, -1L);
    }
    return index;
  }
}
