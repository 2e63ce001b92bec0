package io.kvstore.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Point lookups against a store that {@link RunAll} built beforehand under {@link #root}, one
 * directory per system. The keys come from a regenerated {@link DataSet}, in a seeded random order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LookupBenchmark {
  /** Keys in the lookup sequence; a power of two. */
  static final int SEQUENCE = 1 << 20;
  /** Keys of one multi-get: a power of two dividing {@link #SEQUENCE}. */
  static final int BATCH = 16;

  /** System name, see {@link Systems}. */
  @Param({KvstoreSystem.NAME})
  public String system;
  /** Directory holding one store directory per system. */
  @Param({""})
  public String root;
  /** Keys in the data set. */
  @Param({"1000000"})
  public int keys;
  /** Value length of the data set. */
  @Param({"100"})
  public int valueLength;
  /** Data set seed. */
  @Param({"42"})
  public long seed;
  /** {@code present} or {@code absent}. */
  @Param({"present"})
  public String keySet;

  Lookup shared;
  long[] words;
  boolean present;

  /** Opens the store and prepares the key sequence. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    present = "present".equals(keySet);
    if (present) {
      words = DataSet.generate(keys, valueLength, seed).lookupOrder(SEQUENCE, seed + 1);
    } else {
      words = DataSet.randomWords(SEQUENCE, seed + 2);
    }
    Configuration conf = new Configuration();
    FileSystem fs = FileSystem.getLocal(conf);
    shared = Systems.byName(system, conf).open(fs, new Path(root, system));
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    shared.close();
  }

  /** One thread's reader handle, key buffer and place in the sequence. */
  @State(Scope.Thread)
  public static class PerThread {
    Lookup lookup;
    final byte[] key = new byte[DataSet.KEY_LENGTH];
    final byte[][] batch = new byte[BATCH][DataSet.KEY_LENGTH];
    /** Room for any value of the data set. */
    byte[] dest;
    int cursor;

    /** Takes a handle for this thread and starts at its own part of the sequence. */
    @Setup(Level.Trial)
    public void setUp(LookupBenchmark bench, ThreadParams params) throws IOException {
      lookup = params.getThreadIndex() == 0 ? bench.shared : bench.shared.forThread();
      cursor = (int) ((long) params.getThreadIndex() * SEQUENCE / params.getThreadCount());
      cursor &= -BATCH;
      dest = new byte[bench.valueLength];
    }

    /** Closes a handle this thread opened. */
    @TearDown(Level.Trial)
    public void tearDown(LookupBenchmark bench) throws IOException {
      if (lookup != bench.shared) {
        lookup.close();
      }
    }
  }

  /** One lookup; a present key that is not found fails the run. */
  @Benchmark
  public byte[] get(PerThread t) throws IOException {
    long hi = words[t.cursor];
    t.cursor = (t.cursor + 1) & (SEQUENCE - 1);
    if (present) {
      DataSet.presentKey(hi, t.key);
    } else {
      DataSet.absentKey(hi, t.key);
    }
    byte[] v = t.lookup.get(t.key);
    if ((v != null) != present) {
      throw new IllegalStateException(system + ": key " + Long.toHexString(hi)
          + (present ? " not found" : " found but absent"));
    }
    return v;
  }

  /**
   * One multi-get of {@link #BATCH} keys (scored per key); a present key not found, or an absent
   * one found, fails the run.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[][] getAll(PerThread t) throws IOException {
    for (int i = 0; i < BATCH; i++) {
      long hi = words[t.cursor + i];
      if (present) {
        DataSet.presentKey(hi, t.batch[i]);
      } else {
        DataSet.absentKey(hi, t.batch[i]);
      }
    }
    t.cursor = (t.cursor + BATCH) & (SEQUENCE - 1);
    byte[][] values = t.lookup.getAll(t.batch);
    for (int i = 0; i < BATCH; i++) {
      if ((values[i] != null) != present) {
        throw new IllegalStateException(system + ": multi-get answered wrongly for key " + i);
      }
    }
    return values;
  }

  /** One lookup copying the value into the thread's buffer (allocation-free in kvstore). */
  @Benchmark
  public int getInto(PerThread t) throws IOException {
    long hi = words[t.cursor];
    t.cursor = (t.cursor + 1) & (SEQUENCE - 1);
    if (present) {
      DataSet.presentKey(hi, t.key);
    } else {
      DataSet.absentKey(hi, t.key);
    }
    int n = t.lookup.getInto(t.key, t.dest);
    if ((n >= 0) != present) {
      throw new IllegalStateException(system + ": key " + Long.toHexString(hi)
          + (present ? " not found" : " found but absent"));
    }
    return n;
  }
}
