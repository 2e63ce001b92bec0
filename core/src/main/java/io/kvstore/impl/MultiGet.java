package io.kvstore.impl;

import io.kvstore.format.BatchLoads;
import io.kvstore.format.KeyHash;
import io.kvstore.format.PartitionReader;
import io.kvstore.format.RecordRange;
import io.kvstore.format.ValueHit;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The batch lookup of a store reader. Every key is routed and, when its one candidate partition
 * is memory-mapped, hashed; such keys are then interleaved in groups of {@link #GROUP}: (1) load
 * every key's home slot, (2) find every key's candidate slot, then load the cache lines of its
 * record, (3) for each key in order check the record through {@link PartitionReader#find}, the
 * routine of a single get. The loads of phases 1 and 2 do not depend on one another; where each
 * lies is gathered first ({@link BatchLoads}) and a loop of loads alone then issues them, so the
 * processor overlaps their cache misses (a loop that computed each record's address beside its
 * load overlapped almost none: docs/benchmark-results/multiget-overlap-2026-12-03.md); a single
 * get instead waits for its slot, then for its record. Keys of partitions read by positional reads (HDFS)
 * are resolved to their candidate records in memory (absent keys mostly need no read), sorted by
 * file and offset, and records that lie within {@code coalesceBytes} of one another in one
 * filesystem block are fetched by one read; these reads, and the lookups of keys several
 * partitions may hold, run up to {@code parallelism} at once, the calling thread taking part.
 * Thread-safe; the caller keeps the reader's {@code ReadGuard} for the whole batch, so a close
 * waits for every read of it, the pool's included.
 */
final class MultiGet {
  /**
   * Keys interleaved at once: enough misses in flight to fill the processor's miss buffers
   * (10-20 on current x86 and ARM cores) twice over, few enough that a group's slots and records
   * are still in L1 when phase 3 reads them.
   */
  static final int GROUP = 32;

  /** How a batch looks up a key the interleaving does not handle, as a single get does. */
  interface SingleLookup {
    /** Whether the store holds {@code key}; if so {@code hit} is set to its value. */
    boolean find(byte[] key, ValueHit hit) throws IOException;
  }

  /** Receives each key's answer, in key order. */
  interface Sink {
    /**
     * @param hit the value of {@code keys[index]}, or null if absent; valid during the call only
     * @return false to stop the batch here
     */
    boolean accept(int index, ValueHit hit);
  }

  private static final int MAPPED = 0;
  private static final int ABSENT = 1;
  private static final int PARALLEL = 2;
  private static final int SEQUENTIAL = 3;

  private final PartitionReader[] readers;
  private final PartitionRouter router;
  private final SingleLookup single;
  private final int parallelism;
  private final long coalesceBytes;
  private final boolean allMapped;
  private final Object poolLock = new Object();
  private ThreadPoolExecutor pool;
  private final String poolName;

  MultiGet(PartitionReader[] readers, PartitionRouter router, SingleLookup single,
      int parallelism, long coalesceBytes, String name) {
    this.readers = readers;
    this.router = router;
    this.single = single;
    this.parallelism = parallelism;
    this.coalesceBytes = coalesceBytes;
    boolean mapped = true;
    for (PartitionReader r : readers) {
      // A damaged partition of a degraded read is null: its keys go through the single get,
      // which throws naming it.
      mapped &= r != null && r.isMapped();
    }
    this.allMapped = mapped;
    this.poolName = "kvstore-read " + name;
  }

  /**
   * Looks up every key and hands the answers to {@code sink} in key order. The keys were checked
   * to be non-null.
   *
   * @return the number of keys handed to the sink: all, or fewer if it stopped the batch
   */
  int run(byte[][] keys, Sink sink) throws IOException {
    int n = keys.length;
    if (n == 0) {
      return 0;
    }
    int[] kind = new int[n];
    int[] where = new int[n];
    long[] hashes = new long[n];
    int[] candidate = new int[n];
    int[] parallel = null;
    int parallelCount = 0;
    for (int i = 0; i < n; i++) {
      byte[] key = keys[i];
      int p = router.locate(key, 0, key.length);
      if (p == PartitionRouter.NONE) {
        kind[i] = ABSENT;
      } else if (p == PartitionRouter.SEVERAL && allMapped) {
        kind[i] = SEQUENTIAL;
      } else if (p >= 0 && readers[p] != null && readers[p].isMapped()) {
        kind[i] = MAPPED;
        where[i] = p;
        // Hash and home slot now, with no memory access, so that phase 1 is loads alone.
        long h = KeyHash.hash64(key, 0, key.length, readers[p].hashSeed());
        hashes[i] = h;
        candidate[i] = readers[p].home(h);
      } else {
        kind[i] = PARALLEL;
        // Keys of several partitions, and a damaged partition's keys, go through the single get
        // (which throws naming the damaged partition).
        where[i] = p >= 0 && readers[p] != null ? p : -1;
        if (parallel == null) {
          parallel = new int[n];
        }
        parallel[parallelCount++] = i;
      }
    }
    ValueHit[] fetched = parallelCount == 0 ? null : new ValueHit[n];
    if (parallelCount > 0) {
      readInParallel(keys, parallel, parallelCount, where, fetched);
    }
    ValueHit hit = new ValueHit();
    BatchLoads loads = new BatchLoads(Math.min(n, GROUP) * BatchLoads.maxRecordLoads());
    for (int start = 0; start < n; start += GROUP) {
      int end = Math.min(n, start + GROUP);
      // Phase 1: load every key's home slot. Where each slot lies is gathered first, so the loop
      // that loads them does nothing else and the processor keeps all their misses in flight.
      // The slots are only loaded here; phase 2 reads them again through the verifying routine
      // of every lookup, from the cache by then.
      for (int i = start; i < end; i++) {
        if (kind[i] == MAPPED) {
          readers[where[i]].addSlotLoad(candidate[i], loads);
        }
      }
      loads.load();
      // Phase 2: resolve each key's candidate slot (an empty home slot means absent, no record)
      // and gather the cache lines of its record, then load them all, again a loop of loads alone.
      for (int i = start; i < end; i++) {
        if (kind[i] == MAPPED) {
          int c = readers[where[i]].candidate(candidate[i], hashes[i]);
          candidate[i] = c;
          if (c >= 0) {
            readers[where[i]].addRecordLoads(c, loads);
          }
        }
      }
      loads.load();
      // Phase 3: checksum, key comparison and copy, through a single get's own routine.
      for (int i = start; i < end; i++) {
        byte[] key = keys[i];
        ValueHit answer;
        switch (kind[i]) {
          case MAPPED:
            answer = readers[where[i]].find(candidate[i], key, 0, key.length, hashes[i], hit)
                ? hit : null;
            break;
          case PARALLEL:
            answer = fetched[i];
            break;
          case SEQUENTIAL:
            answer = single.find(key, hit) ? hit : null;
            break;
          default:
            answer = null;
        }
        if (!sink.accept(i, answer)) {
          return i;
        }
      }
    }
    return n;
  }

  /**
   * Looks up {@code keys[parallel[0..count)]}, storing each found value's hit in
   * {@code fetched}. Keys of one positional partition ({@code where[i] >= 0}) are resolved in
   * memory first: those with no candidate record are absent without a read, the others are sorted
   * by partition and record offset and cut into reads of at most {@link #coalesceBytes} within one
   * filesystem block (a read of one record when none lies near it). Keys of several partitions
   * ({@code where[i] < 0}) are looked up by the single get. Up to {@link #parallelism} reads run
   * at once. Returns only when every read has ended, even on failure or interrupt, so none
   * outlives the caller's guard. The first failure is thrown, later ones suppressed on it.
   */
  private void readInParallel(byte[][] keys, int[] parallel, int count, int[] where,
      ValueHit[] fetched) throws IOException {
    int[] candidate = new int[count];
    long[] hashes = new long[count];
    long[] start = new long[count];
    long[] end = new long[count];
    Integer[] planned = new Integer[count];
    int plannedCount = 0;
    int[] singles = new int[count];
    int singleCount = 0;
    for (int t = 0; t < count; t++) {
      int i = parallel[t];
      if (where[i] < 0) {
        singles[singleCount++] = i;
        continue;
      }
      PartitionReader r = readers[where[i]];
      byte[] key = keys[i];
      long h = KeyHash.hash64(key, 0, key.length, r.hashSeed());
      int b = r.candidate(r.home(h), h);
      if (b < 0) {
        // No slot's fingerprint matches: absent, nothing to read.
        continue;
      }
      candidate[t] = b;
      hashes[t] = h;
      start[t] = r.recordOffset(b);
      end[t] = r.recordReadEnd(start[t]);
      planned[plannedCount++] = t;
    }
    Arrays.sort(planned, 0, plannedCount, (x, y) -> {
      int px = where[parallel[x]];
      int py = where[parallel[y]];
      return px != py ? Integer.compare(px, py) : Long.compare(start[x], start[y]);
    });
    // Reads: planned[runFirst[k] .. runFirst[k + 1]) share read k of [runStart[k], runEnd[k]).
    int[] runFirst = new int[plannedCount + 1];
    long[] runStart = new long[plannedCount];
    long[] runEnd = new long[plannedCount];
    int runs = 0;
    for (int j = 0; j < plannedCount; j++) {
      int t = planned[j];
      int p = where[parallel[t]];
      if (runs > 0 && where[parallel[planned[runFirst[runs - 1]]]] == p) {
        long from = runStart[runs - 1];
        long to = Math.max(runEnd[runs - 1], end[t]);
        long block = readers[p].blockSize();
        if (to - from <= coalesceBytes && from / block == (to - 1) / block) {
          runEnd[runs - 1] = to;
          continue;
        }
      }
      runFirst[runs] = j;
      runStart[runs] = start[t];
      runEnd[runs] = end[t];
      runs++;
    }
    runFirst[runs] = plannedCount;
    int tasks = runs + singleCount;
    int reads = runs;
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable work = () -> {
      int k;
      while (failure.get() == null && (k = next.getAndIncrement()) < tasks) {
        try {
          if (k >= reads) {
            int i = singles[k - reads];
            ValueHit h = new ValueHit();
            if (single.find(keys[i], h)) {
              fetched[i] = h;
            }
            continue;
          }
          PartitionReader r = readers[where[parallel[planned[runFirst[k]]]]];
          // One key alone is read by its own lookup; several share one read of their range.
          RecordRange range = runFirst[k + 1] - runFirst[k] == 1 ? null
              : r.readRange(runStart[k], runEnd[k]);
          for (int j = runFirst[k]; j < runFirst[k + 1]; j++) {
            int t = planned[j];
            int i = parallel[t];
            byte[] key = keys[i];
            ValueHit h = new ValueHit();
            h.use(range);
            if (r.find(candidate[t], key, 0, key.length, hashes[t], h)) {
              fetched[i] = h;
            }
            // Keep the value, not the read of up to coalesceBytes it lies in: a large batch of
            // keys spread thinly would otherwise hold a whole read per key until phase 3.
            h.detach();
          }
        } catch (IOException | RuntimeException | Error e) {
          if (!failure.compareAndSet(null, e)) {
            synchronized (failure) {
              failure.get().addSuppressed(e);
            }
          }
        }
      }
    };
    int helpers = Math.min(parallelism, tasks) - 1;
    Future<?>[] running = new Future<?>[Math.max(0, helpers)];
    for (int w = 0; w < helpers; w++) {
      running[w] = pool().submit(work);
    }
    work.run();
    boolean interrupted = false;
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          // Keep waiting: returning early would let close() release a stream a helper reads.
          interrupted = true;
        } catch (ExecutionException e) {
          // The work catches everything it throws; nothing else can end it.
          failure.compareAndSet(null, e.getCause());
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof IOException) {
      throw (IOException) e;
    } else if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    } else if (e != null) {
      throw (Error) e;
    }
  }

  private ThreadPoolExecutor pool() {
    synchronized (poolLock) {
      if (pool == null) {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
          Thread t = new Thread(r, poolName + " #" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
        // Threads end after a minute idle, so an idle reader holds none.
        pool = new ThreadPoolExecutor(parallelism - 1, parallelism - 1, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
      }
      return pool;
    }
  }

  /** Stops the pool's threads; the owner guarantees no batch is in flight. */
  void close() {
    synchronized (poolLock) {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }
}
