package io.kvstore.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CyclicBarrier;

/**
 * Lookups per CPU-second of the measuring thread (as Sparkey's own README reports them): on a
 * shared machine whose load average exceeds its cores, wall-clock rates measure the scheduler,
 * while the CPU time a thread spent on its lookups still measures the lookups (cache and memory
 * contention from other processes remain, so variants are interleaved round by round).
 */
final class CpuRate {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Lookups between two reads of the thread's CPU clock (a system call of about 1 us). */
  private static final int CHUNK = 512;

  /** How a variant looks keys up. */
  enum Method {
    /** One {@code get} per key. */
    GET,
    /** {@code getAll} of {@link LookupBenchmark#BATCH} keys. */
    GET_ALL,
    /** {@code getInto} a reused array. */
    GET_INTO
  }

  private CpuRate() {}

  /**
   * Present-key lookups per CPU-second over about {@code cpuSeconds} of this thread's CPU time,
   * starting at {@code words[start]}; a key not found fails the run.
   */
  static double measure(Lookup lookup, Method method, long[] words, int start, int valueLength,
      double cpuSeconds) throws IOException {
    byte[] key = new byte[DataSet.KEY_LENGTH];
    byte[][] batch = new byte[LookupBenchmark.BATCH][DataSet.KEY_LENGTH];
    byte[] dest = new byte[valueLength];
    int mask = words.length - 1;
    int i = start & mask & -LookupBenchmark.BATCH;
    long budget = (long) (cpuSeconds * 1e9);
    long t0 = THREADS.getCurrentThreadCpuTime();
    long used;
    long n = 0;
    do {
      switch (method) {
        case GET:
          for (int k = 0; k < CHUNK; k++) {
            DataSet.presentKey(words[i], key);
            i = (i + 1) & mask;
            if (lookup.get(key) == null) {
              throw new IllegalStateException("present key not found");
            }
          }
          break;
        case GET_INTO:
          for (int k = 0; k < CHUNK; k++) {
            DataSet.presentKey(words[i], key);
            i = (i + 1) & mask;
            if (lookup.getInto(key, dest) < 0) {
              throw new IllegalStateException("present key not found");
            }
          }
          break;
        default:
          for (int k = 0; k < CHUNK; k += LookupBenchmark.BATCH) {
            for (int b = 0; b < LookupBenchmark.BATCH; b++) {
              DataSet.presentKey(words[i], batch[b]);
              i = (i + 1) & mask;
            }
            byte[][] values = lookup.getAll(batch);
            for (byte[] v : values) {
              if (v == null) {
                throw new IllegalStateException("present key not found");
              }
            }
          }
      }
      n += CHUNK;
      used = THREADS.getCurrentThreadCpuTime() - t0;
    } while (used < budget);
    return n / (used / 1e9);
  }

  /**
   * The sum of two threads' rates per CPU-second, measured at the same time, each thread with its
   * own handle ({@code first} and {@code second}, see {@link Lookup#forThread}) and its own half
   * of the sequence.
   */
  static double measureTwo(Lookup first, Lookup second, Method method, long[] words,
      int valueLength, double cpuSeconds) throws Exception {
    double[] rates = new double[2];
    Exception[] failure = new Exception[1];
    CyclicBarrier start = new CyclicBarrier(2);
    Thread[] threads = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int me = t;
      Lookup handle = t == 0 ? first : second;
      threads[t] = new Thread(() -> {
        try {
          start.await();
          rates[me] = measure(handle, method, words, me * (words.length / 2), valueLength,
              cpuSeconds);
        } catch (Exception e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return rates[0] + rates[1];
  }
}
