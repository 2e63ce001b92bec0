package io.kvstore.format;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets lookups run without a lock while {@link #close()} waits for those in flight before the
 * resources they read (memory maps, streams) are released: a get that races close either finishes
 * on live resources or fails with {@link IllegalStateException}, never touches an unmapped buffer.
 *
 * <p>In-flight lookups are counted in padded cells picked by thread, and a lookup increments and
 * decrements the same cell (its index is returned by {@link #enter()}), so a cell is at least one
 * while one of its lookups runs. A single shared counter would make every lookup of every thread
 * write one cache line; {@code LongAdder} cannot serve, because its cell may change between the
 * increment and the decrement.
 */
public final class ReadGuard {
  /** Longs between two cells: 128 bytes, so two cells never share a cache line or its neighbour. */
  private static final int STRIDE = 16;
  /**
   * Cells of every guard: a power of two, at least twice the processors, at most 64. Computed once:
   * {@code availableProcessors()} reads the container's CPU quota files on each call, four system
   * calls that every reader's open paid.
   */
  private static final int CELLS = Math.min(64,
      Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)) * 2);

  private final Object owner;
  private final int mask;
  private final AtomicLongArray cells;
  private volatile boolean closed;

  /** @param owner what the guarded reader reads, named in the closed-reader message */
  public ReadGuard(Object owner) {
    this.owner = owner;
    this.mask = CELLS - 1;
    this.cells = new AtomicLongArray(CELLS * STRIDE);
  }

  /**
   * Marks a lookup in flight.
   *
   * @return the cell to pass to {@link #exit(int)}
   * @throws IllegalStateException if the reader is closed
   */
  public int enter() {
    long id = Thread.currentThread().getId();
    int cell = (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    // Increment first, then read the flag; close() writes the flag, then reads the cells. Both
    // are sequentially consistent, so either this lookup sees closed or close() sees the cell.
    cells.getAndIncrement(cell * STRIDE);
    if (closed) {
      cells.getAndDecrement(cell * STRIDE);
      throw closedException();
    }
    return cell;
  }

  /** Ends a lookup started by {@link #enter()} that returned {@code cell}. */
  public void exit(int cell) {
    cells.getAndDecrement(cell * STRIDE);
  }

  /** Throws {@link IllegalStateException} if the reader is closed. */
  public void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  /** Whether {@link #close()} has started. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Refuses new lookups and waits until none is in flight; afterwards nothing guarded reads the
   * resources, so they may be released.
   *
   * @return false if it was already closed (a concurrent second call returns once the first
   *     has drained)
   */
  public synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    for (int i = 0; i <= mask; i++) {
      int spins = 0;
      while (cells.get(i * STRIDE) != 0) {
        // A lookup in flight takes microseconds on a map, up to an HDFS read's retries otherwise.
        if (++spins < 100) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(100_000);
        }
      }
    }
    return true;
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("The reader of " + owner + " is closed");
  }
}
