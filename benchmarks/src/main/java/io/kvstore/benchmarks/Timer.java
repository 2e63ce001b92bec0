package io.kvstore.benchmarks;

/** Wall-clock timing of a whole job. */
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
}
