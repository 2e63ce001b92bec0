package io.kvstore;

import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What an open reader holds and what it gives back: memory maps released by close(), lookups
 * racing close() that see a value or {@link IllegalStateException} (never a crash or another
 * exception), at most the configured number of maps, and a bounded number of open streams on
 * the positional-read path however many partitions the store has.
 */
public class ReaderLifecycleTest {
  private static final int PARTITIONS = 40;
  private static final int KEYS = 4000;

  /** One store shared by the tests: they only read it. */
  @ClassRule
  public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path store;
  private static String storePath;

  private static byte[] key(int i) {
    return ByteBuffer.allocate(8).putInt(i).putInt(i * 17).array();
  }

  private static byte[] value(int i) {
    return StoreTestSupport.value(i, 100 + i % 50);
  }

  /** Writes a store of PARTITIONS small partitions. */
  @BeforeClass
  public static void writeStore() throws Exception {
    Configuration conf = new Configuration();
    // About KEYS * 130 bytes in PARTITIONS partitions.
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, KEYS * 130L / PARTITIONS);
    store = new Path(TMP.newFolder().getAbsolutePath(), "store");
    try (KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf).createStore(store)) {
      for (int i = 0; i < KEYS; i++) {
        writer.put(key(i), value(i));
      }
    }
    storePath = store.toUri().getPath();
  }

  /** Restores the counters of the counting filesystem for other tests. */
  @AfterClass
  public static void resetCounters() {
    CountingLocalFileSystem.reset();
  }

  private static KeyValueStoreReader open(Configuration conf) throws Exception {
    KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store);
    assertTrue("partitions: " + reader.partitions().size(),
        reader.partitions().size() >= PARTITIONS - 2);
    return reader;
  }

  private static void assertAllLookups(KeyValueStoreReader reader) throws Exception {
    for (int i = 0; i < KEYS; i++) {
      assertArrayEquals("key " + i, value(i), reader.get(key(i)));
      assertNull(reader.get(ByteBuffer.allocate(8).putInt(i).putInt(i * 17 + 1).array()));
    }
  }

  @Test
  public void closeReleasesEveryMemoryMap() throws Exception {
    assertEquals(0, ProcessMaps.count(storePath));
    int before = ProcessMaps.total();
    KeyValueStoreReader reader = open(new Configuration());
    int partitions = reader.partitions().size();
    assertAllLookups(reader);
    int whileOpen = ProcessMaps.total();
    // Each partition (far smaller than a map chunk) is mapped whole, once: records and hash
    // index read views of that one map.
    assertEquals("maps while open", partitions, ProcessMaps.count(storePath));
    reader.close();
    System.out.println("/proc/self/maps lines: " + before + " before open, " + whileOpen
        + " while open, " + ProcessMaps.total() + " after close (" + partitions + " partitions)");
    assertEquals("maps after close", 0, ProcessMaps.count(storePath));
    expect(IllegalStateException.class, () -> reader.get(key(1)));
  }

  @Test
  public void openCloseLoopHoldsNoMaps() throws Exception {
    int before = ProcessMaps.total();
    int peak = 0;
    int partitions = 0;
    for (int round = 0; round < 50; round++) {
      try (KeyValueStoreReader reader = open(new Configuration())) {
        partitions = reader.partitions().size();
        assertArrayEquals(value(round), reader.get(key(round)));
        peak = Math.max(peak, ProcessMaps.count(storePath));
      }
    }
    System.out.println("open/close x50 of " + partitions + " partitions: maps of the store "
        + ProcessMaps.count(storePath) + " (peak " + peak + "), process maps " + before + " -> "
        + ProcessMaps.total());
    assertEquals(0, ProcessMaps.count(storePath));
    assertEquals("maps of one open reader", partitions, peak);
  }

  @Test
  public void mapBoundSendsTheRestToPositionalReads() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP_MAX_MAPS.setLong(conf, 5);
    try (KeyValueStoreReader reader = open(conf)) {
      // One map a partition (the whole file, records and hash index): five partitions fit.
      assertEquals(5, ProcessMaps.count(storePath));
      assertAllLookups(reader);
    }
    assertEquals(0, ProcessMaps.count(storePath));
  }

  @Test
  public void positionalReadsShareABoundedPoolOfStreams() throws Exception {
    Configuration conf = CountingLocalFileSystem.install(new Configuration());
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    KeyValueConf.READ_OPEN_FILES_MAX.setLong(conf, 2);
    int threads = 4;
    int openBefore = CountingLocalFileSystem.OPEN.get();
    CountingLocalFileSystem.reset();
    KeyValueStoreReader reader = open(conf);
    assertTrue("streams after open: " + (CountingLocalFileSystem.OPEN.get() - openBefore),
        CountingLocalFileSystem.OPEN.get() - openBefore <= 2);
    // The peak of the lookups alone: an open slower than its serial budget (a loaded machine)
    // opens partitions on helper threads too, each holding a stream while it opens one.
    CountingLocalFileSystem.reset();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          for (int i = first; i < KEYS; i += threads) {
            assertArrayEquals("key " + i, value(i), reader.get(key(i)));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    int peak = CountingLocalFileSystem.PEAK.get() - openBefore;
    System.out.println("positional reads of " + reader.partitions().size()
        + " partitions, bound 2, " + threads + " threads: peak open streams " + peak);
    // Idle streams are bounded by 2; each read in flight may hold one more.
    assertTrue("peak open streams " + peak, peak <= 2 + threads);
    assertTrue(CountingLocalFileSystem.OPEN.get() - openBefore <= 2);
    reader.close();
    assertEquals("streams after close", openBefore, CountingLocalFileSystem.OPEN.get());
  }

  @Test
  public void getRacingCloseOnMapsSeesValueOrClosed() throws Exception {
    raceGetsWithClose(new Configuration());
  }

  @Test
  public void getRacingCloseOnPositionalReadsSeesValueOrClosed() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    raceGetsWithClose(conf);
  }

  /**
   * Rounds of 4 threads looking up keys while the main thread closes the reader: every get
   * returns the right value or throws IllegalStateException naming the store.
   */
  private static void raceGetsWithClose(Configuration conf) throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong values = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try {
      for (int round = 0; round < 60; round++) {
        KeyValueStoreReader reader = open(conf);
        CountDownLatch started = new CountDownLatch(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int seed = t + round * threads;
          done.add(pool.submit(() -> {
            started.countDown();
            for (int n = 0; ; n++) {
              int i = (seed * 7919 + n * 31) % KEYS;
              byte[] v;
              try {
                v = reader.get(key(i));
              } catch (IllegalStateException e) {
                StoreTestSupport.assertContains(e.getMessage(), "is closed");
                refused.incrementAndGet();
                return null;
              }
              assertArrayEquals("key " + i, value(i), v);
              values.incrementAndGet();
            }
          }));
        }
        started.await();
        // Let the lookups run a little before closing (no timing is asserted).
        Thread.sleep(round % 3);
        reader.close();
        for (Future<?> f : done) {
          f.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("get racing close: " + values + " values, " + refused + " refused");
    assertEquals(60L * threads, refused.get());
    assertEquals(0, ProcessMaps.count(storePath));
  }
}
