package io.kvstore.format;

import java.nio.ByteBuffer;
import java.util.Arrays;

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
  private final ByteBuffer[] maps;
  private final long[][] heaps;
  private final int[] positions;
  private int count;

  /** @param capacity most loads held between two {@link #load} calls */
  public BatchLoads(int capacity) {
    int n = Math.max(1, capacity);
    maps = new ByteBuffer[n];
    heaps = new long[n][];
    positions = new int[n];
  }

  /** Most loads one record adds: one per cache line of {@link MappedRecordSource}'s touch bytes. */
  public static int maxRecordLoads() {
    return MappedRecordSource.maxLoads();
  }

  /** Adds a load of byte {@code position} of {@code map}. */
  void add(ByteBuffer map, int position) {
    maps[count] = map;
    positions[count++] = position;
  }

  /** Adds a load of {@code heap[index]}. */
  void add(long[] heap, int index) {
    heaps[count] = heap;
    positions[count++] = index;
  }

  /**
   * Issues every load added since the last call, in one loop that does nothing else, then forgets
   * them (and the buffers they name, so nothing of a closed reader is kept).
   */
  public void load() {
    long sum = 0;
    for (int j = 0; j < count; j++) {
      ByteBuffer map = maps[j];
      sum += map != null ? map.get(positions[j]) : heaps[j][positions[j]];
    }
    Arrays.fill(maps, 0, count, null);
    Arrays.fill(heaps, 0, count, null);
    count = 0;
    // Kept in an array (of a size the compiler cannot know, so never optimised away) so the
    // loads cannot be dropped as unused.
    positions[0] = (int) (sum ^ (sum >>> 32));
  }
}
