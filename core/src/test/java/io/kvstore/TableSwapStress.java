package io.kvstore;

import static io.kvstore.TableTestSupport.key;
import static io.kvstore.TableTestSupport.versionOf;
import static io.kvstore.TableTestSupport.writeStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.hadoop.fs.Path;

/**
 * Reader threads doing gets, scans, ByteBuffer gets and multi-gets on a {@link TableReader} for a while,
 * first with no publish (the baseline), then while a publisher makes a new version (built before
 * the phase) current every {@code publishMillis} and deletes old versions (values name their
 * version). Checks every answer: a get returns the
 * value of its key in some published version, a scan returns every key of its range, all from
 * one version. Collects the errors and the latencies of both phases. Shared by the unit suite
 * (short) and the integration tests (60 s).
 */
public final class TableSwapStress {
  /** Keys of every version. */
  public static final int KEYS = 2000;
  /** Keys a scan covers. */
  public static final int SCAN = 50;
  /** Keys in one multi-get. */
  public static final int BATCH = 16;

  /** Latencies of one phase, per kind of call, in nanoseconds. */
  public static final class Phase {
    /** Calls made. */
    public long calls;
    /** Largest latency of a get, a scan (whole range), a ByteBuffer get and a multi-get. */
    public final AtomicLongArray max = new AtomicLongArray(4);
    /** Versions answers came from. */
    public long lowestVersion = Long.MAX_VALUE;
    /** Newest version an answer came from. */
    public long highestVersion;

    @Override
    public String toString() {
      return String.format("%d calls, max latency get %.2f ms, scan of %d %.2f ms,"
          + " ByteBuffer get %.2f ms, multi-get of %d %.2f ms, versions %d..%d", calls,
          max.get(0) / 1e6, SCAN, max.get(1) / 1e6, max.get(2) / 1e6, BATCH, max.get(3) / 1e6,
          lowestVersion, highestVersion);
    }
  }

  /** What a run saw. */
  public static final class Result {
    /** The phase without publishes. */
    public final Phase quiet = new Phase();
    /** The phase with publishes. */
    public final Phase swapping = new Phase();
    /** Every wrong answer or exception. */
    public final List<String> errors = new ArrayList<>();
    /** Versions published during the swapping phase. */
    public long published;
    /** Switches the reader made. */
    public long switches;
  }

  private TableSwapStress() {}

  /** Most seconds of the phase without publishes: a baseline of latencies, not the test. */
  public static final int QUIET_SECONDS_MAX = 10;

  /**
   * Runs the phase with publishes for {@code seconds}, after a phase without them of
   * {@code seconds} but at most {@link #QUIET_SECONDS_MAX}, with {@code threads} reader threads.
   *
   * @param table a table whose version 1 is current
   * @param builds a directory for the stores to publish
   */
  public static Result run(KeyValueSystem system, Path table, Path builds, int threads,
      int seconds, long publishMillis) throws Exception {
    Result result = new Result();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    try (TableReader reader = system.openTable(table)) {
      runPhase(reader, threads, Math.min(seconds, QUIET_SECONDS_MAX), result.quiet, errors,
          null);
      long first = reader.currentVersion();
      // Built before the phase, so that a publish is what it is in production: a move of a
      // finished store and a pointer replacement, not a build competing with 8 reader threads.
      int ready = (int) (seconds * 1000L / publishMillis) + 10;
      for (long v = first + 1; v <= first + ready; v++) {
        writeStore(system, new Path(builds, "v" + v), v, KEYS);
      }
      long[] published = new long[1];
      Publisher publisher = done -> {
        long v = first;
        while (!done.get() && v < first + ready) {
          try {
            v++;
            system.publishVersion(table, new Path(builds, "v" + v));
            system.deleteOldVersions(table);
            published[0]++;
            Thread.sleep(publishMillis);
          } catch (Exception e) {
            errors.add("publisher: " + e);
            return;
          }
        }
      };
      runPhase(reader, threads, seconds, result.swapping, errors, publisher);
      result.published = published[0];
      result.switches = reader.statistics().getSwitches();
    }
    result.errors.addAll(errors);
    return result;
  }

  /** Publishes versions until {@code done}. */
  private interface Publisher {
    void run(AtomicBoolean done);
  }

  private static void runPhase(TableReader reader, int threads, int seconds, Phase phase,
      ConcurrentLinkedQueue<String> errors, Publisher publisher) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicBoolean done = new AtomicBoolean();
    List<Future<long[]>> futures = new ArrayList<>();
    Future<?> publishing = null;
    if (publisher != null) {
      publishing = pool.submit(() -> publisher.run(done));
    }
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> readLoop(reader, end, phase, errors)));
    }
    long calls = 0;
    long low = Long.MAX_VALUE;
    long high = 0;
    for (Future<long[]> f : futures) {
      long[] r = f.get();
      calls += r[0];
      low = Math.min(low, r[1]);
      high = Math.max(high, r[2]);
    }
    done.set(true);
    if (publishing != null) {
      publishing.get();
    }
    pool.shutdown();
    pool.awaitTermination(60, TimeUnit.SECONDS);
    phase.calls = calls;
    phase.lowestVersion = low;
    phase.highestVersion = high;
  }

  /** Returns calls made, lowest and highest version seen. */
  private static long[] readLoop(TableReader reader, long end, Phase phase,
      ConcurrentLinkedQueue<String> errors) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long calls = 0;
    long low = Long.MAX_VALUE;
    long high = 0;
    while (System.nanoTime() < end && errors.size() < 20) {
      int kind = random.nextInt(4);
      int i = random.nextInt(KEYS);
      long start = System.nanoTime();
      long version;
      try {
        if (kind == 0) {
          version = checkValue(i, reader.get(key(i)), errors);
        } else if (kind == 2) {
          java.nio.ByteBuffer v = reader.get(java.nio.ByteBuffer.wrap(key(i)));
          version = checkValue(i, v == null ? null : Arrays.copyOfRange(v.array(),
              v.arrayOffset() + v.position(), v.arrayOffset() + v.limit()), errors);
        } else if (kind == 3) {
          version = multiGet(reader, random, errors);
        } else {
          version = scan(reader, Math.min(i, KEYS - SCAN), errors);
        }
      } catch (Exception e) {
        errors.add("call " + kind + " on key " + i + ": " + e);
        continue;
      }
      long took = System.nanoTime() - start;
      phase.max.accumulateAndGet(kind, took, Math::max);
      calls++;
      if (version > 0) {
        low = Math.min(low, version);
        high = Math.max(high, version);
      }
    }
    return new long[] {calls, low, high};
  }

  /** A multi-get of {@link #BATCH} random keys: every value of one version. */
  private static long multiGet(TableReader reader, ThreadLocalRandom random,
      ConcurrentLinkedQueue<String> errors) throws IOException {
    int[] which = new int[BATCH];
    byte[][] keys = new byte[BATCH][];
    for (int j = 0; j < BATCH; j++) {
      which[j] = random.nextInt(KEYS);
      keys[j] = key(which[j]);
    }
    byte[][] values = reader.getAll(keys);
    long version = -1;
    for (int j = 0; j < BATCH; j++) {
      long v = checkValue(which[j], values[j], errors);
      if (version == -1) {
        version = v;
      } else if (v != version) {
        errors.add("one multi-get answered from versions " + version + " and " + v);
      }
    }
    return version;
  }

  private static long checkValue(int i, byte[] value, ConcurrentLinkedQueue<String> errors) {
    if (value == null) {
      errors.add("get of key " + i + " returned null");
      return -1;
    }
    long version = versionOf(value);
    if (!Arrays.equals(TableTestSupport.value(version, i), value)) {
      errors.add("get of key " + i + " returned " + new String(value));
    }
    return version;
  }

  private static long scan(TableReader reader, int from, ConcurrentLinkedQueue<String> errors)
      throws IOException {
    long version = -1;
    int n = 0;
    try (KeyValueIterator it = reader.iterator(key(from), key(from + SCAN))) {
      while (it.hasNext()) {
        KeyValuePair p = it.next();
        long v = versionOf(p.getValue());
        if (version < 0) {
          version = v;
        } else if (v != version) {
          errors.add("scan from " + from + " mixed versions " + version + " and " + v);
        }
        if (!Arrays.equals(key(from + n), p.getKey())
            || !Arrays.equals(TableTestSupport.value(v, from + n), p.getValue())) {
          errors.add("scan from " + from + ": pair " + n + " is wrong");
        }
        n++;
      }
    }
    if (n != SCAN) {
      errors.add("scan from " + from + " returned " + n + " pairs");
    }
    return version;
  }
}
