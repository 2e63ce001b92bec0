package io.kvstore.benchmarks;

/** Timing of a whole job: wall clock, or the CPU time of the calling thread. */
final class Timer {
  private Timer() {}

  /** A job that may throw. */
  interface Job {
    void run() throws Exception;
  }

  /** Seconds {@code job} took. */
  static double seconds(Job job) throws Exception {
    long start = System.nanoTime();
    job.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Seconds of CPU time the calling thread spent on {@code job}: on a shared machine whose load
   * exceeds its cores this measures the job, where wall time measures the scheduler. Only for
   * jobs that do their work on the calling thread (GC threads are not counted).
   */
  static double cpuSeconds(Job job) throws Exception {
    long start = THREADS.getCurrentThreadCpuTime();
    job.run();
    return (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
}
