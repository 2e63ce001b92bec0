package io.kvstore.format;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The cache lines a multi-get brings in before it needs them: for each key of a group, first its
 * home slot ({@link PartitionReader#addSlotLoad}), then the lines of its candidate record
 * ({@link PartitionReader#addRecordLoads}), gathered by a loop that may do any work and then
 * loaded by {@link #load}, a loop of loads alone.
 *
 * <p>Why two loops: a processor runs ahead of a load that misses the caches only as far as its
 * reorder buffer and load queue reach, so the misses of a group overlap only if all of them are
 * issued within that window. Measured on a 10M-pair store (AMD EPYC, KVM, files on 2 MB pages),
 * the loop that computed each record's place (slot read and checked, chunk, bounds) beside its
 * loads cost 437 ns a key, about one whole miss, so hardly any overlapped; gathered first and
 * loaded here, 127 ns (docs/benchmark-results/multiget-overlap-2026-12-03.md).
 *
 * <p>Loaded values decide nothing: the lookup reads every slot and record again through its
 * verifying routines. Not thread-safe; one per batch.
 */
public final class BatchLoads {
  /**
   * Raw loads, when {@code sun.misc.Unsafe} and the address field of direct buffers are
   * available: a load of a map is then an absolute address and the loop of loads is a few
   * instructions a load. Through {@code ByteBuffer.get} each load also reads the buffer's limit,
   * scope and address and checks the bounds, so the processor's window holds fewer of the loads
   * at once. Measured, multi-gets of 16: 2.90M keys per CPU-second against 2.67M (medians of six
   * probe runs each; docs/benchmark-results/multiget-overlap-2026-12-03.md). Null when not
   * available; a raw load of an unmapped buffer would crash the JVM, so callers hold the reader's
   * guard and every place is bounds-checked when added.
   */
  private static final sun.misc.Unsafe UNSAFE;
  /** Offset of {@code java.nio.Buffer.address} (the base address of a direct buffer). */
  private static final long ADDRESS;
  private static final long LONGS_BASE;
  private static final long LONGS_SCALE;

  static {
    sun.misc.Unsafe unsafe;
    long address;
    try {
      java.lang.reflect.Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      unsafe = (sun.misc.Unsafe) field.get(null);
      address = unsafe.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Loads then go through ByteBuffer.get: the same lookups, fewer misses overlapped.
      unsafe = null;
      address = -1;
    }
    UNSAFE = unsafe;
    ADDRESS = address;
    LONGS_BASE = unsafe == null ? 0 : unsafe.arrayBaseOffset(long[].class);
    LONGS_SCALE = unsafe == null ? 0 : unsafe.arrayIndexScale(long[].class);
  }

  private final ByteBuffer[] maps;
  private final long[][] heaps;
  private final int[] positions;
  /** Raw loads: the heap array or null (a map), and the offset in it or the absolute address. */
  private final Object[] bases;
  private final long[] offsets;
  private int count;

  private final boolean raw;

  /** @param capacity most loads held between two {@link #load} calls */
  public BatchLoads(int capacity) {
    this(capacity, true);
  }

  /**
   * @param capacity most loads held between two {@link #load} calls
   * @param raw whether to load through {@code sun.misc.Unsafe} when it is available (tests cover
   *     both ways)
   */
  BatchLoads(int capacity, boolean raw) {
    int n = Math.max(1, capacity);
    this.raw = raw && UNSAFE != null;
    maps = this.raw ? null : new ByteBuffer[n];
    heaps = this.raw ? null : new long[n][];
    positions = this.raw ? null : new int[n];
    bases = this.raw ? new Object[n] : null;
    offsets = new long[n];
  }

  /** Whether loads go through {@code sun.misc.Unsafe}. */
  boolean isRaw() {
    return raw;
  }

  /** Most loads one record adds: one per cache line of {@link MappedRecordSource}'s touch bytes. */
  public static int maxRecordLoads() {
    return MappedRecordSource.maxLoads();
  }

  /** Adds a load of byte {@code position} of {@code map}, a direct (memory-mapped) buffer. */
  void add(ByteBuffer map, int position) {
    // A raw load outside the map would crash the JVM, so the bounds are checked here, in the
    // gathering loop, not in the loop of loads.
    Objects.checkIndex(position, map.limit());
    if (!map.isDirect()) {
      // A heap buffer's address field is an offset in its array, not a place in memory.
      throw new IllegalArgumentException("not a direct buffer: " + map);
    }
    if (raw) {
      bases[count] = null;
      offsets[count++] = UNSAFE.getLong(map, ADDRESS) + position;
    } else {
      maps[count] = map;
      positions[count++] = position;
    }
  }

  /** Adds a load of {@code heap[index]}. */
  void add(long[] heap, int index) {
    Objects.checkIndex(index, heap.length);
    if (raw) {
      bases[count] = heap;
      offsets[count++] = LONGS_BASE + index * LONGS_SCALE;
    } else {
      heaps[count] = heap;
      positions[count++] = index;
    }
  }

  /**
   * Issues every load added since the last call, in one loop that does nothing else, then forgets
   * them (and the buffers they name, so nothing of a closed reader is kept). The caller holds the
   * reader's guard, so no map is unmapped before this returns.
   */
  public void load() {
    long sum = 0;
    if (raw) {
      sun.misc.Unsafe u = UNSAFE;
      for (int j = 0; j < count; j++) {
        sum += u.getByte(bases[j], offsets[j]);
      }
      Arrays.fill(bases, 0, count, null);
    } else {
      for (int j = 0; j < count; j++) {
        ByteBuffer map = maps[j];
        sum += map != null ? map.get(positions[j]) : heaps[j][positions[j]];
      }
      Arrays.fill(maps, 0, count, null);
      Arrays.fill(heaps, 0, count, null);
    }
    count = 0;
    // Kept in an array (of a size the compiler cannot know, so never optimised away) so the
    // loads cannot be dropped as unused.
    offsets[0] = sum;
  }
}
