package io.kvstore;

import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Damages every file of a small multi-partition store in every way a byte can be damaged, one
 * damage at a time: truncation at every length, and every byte flipped (all bits, then the low
 * bit). After each damage the store is opened, every key and some absent keys are looked up and
 * the store is iterated fully and over a range. Each outcome must be either the exact right
 * answer or an {@link IOException} whose message names the damaged file; a wrong value, a
 * missing key or any unchecked exception is a failure.
 *
 * <p>Hadoop's .crc side files are removed after writing, so kvstore's own checks are what is
 * tested, not the local filesystem's. Runs with and without memory-mapped reads, on a store of
 * tiny partitions and on one whose values are compressed against trained zstd dictionaries (so
 * the compression section and compressed records are damaged too).
 */
@RunWith(Parameterized.class)
public final class CorruptionTest {
  private static final Logger LOG = LoggerFactory.getLogger(CorruptionTest.class);
  private static final int MAX_REPORTED = 25;

  /** The store. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final boolean mmap;
  private final boolean dictionary;
  private KeyValueSystem kvs;
  private Path store;
  private File storeDir;
  private NavigableMap<byte[], byte[]> content;
  /** Outcomes, counted by every worker of {@link #damageEveryFile}. */
  private final List<String> failures = new ArrayList<>();
  private final AtomicInteger exactAnswers = new AtomicInteger();
  private final AtomicInteger errors = new AtomicInteger();
  private final AtomicInteger badOutcomes = new AtomicInteger();

  /**
   * @param mmap whether local reads go through a memory map
   * @param dictionary whether the store holds zstd-compressed values and a trained dictionary
   *     (otherwise tiny partitions whose values are stored raw)
   */
  public CorruptionTest(boolean mmap, boolean dictionary) {
    this.mmap = mmap;
    this.dictionary = dictionary;
  }

  /** Both read paths, on plain and on compressed files. */
  @Parameters(name = "mmap={0}, dictionary={1}")
  public static List<Object[]> readPaths() {
    return Arrays.asList(new Object[] {true, false}, new Object[] {false, false},
        new Object[] {true, true}, new Object[] {false, true});
  }

  @Before
  public void writeSmallStore() throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, dictionary ? 4096 : 240);
    KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
    KeyValueConf.COMPRESSION_DICTIONARY_BYTES.setLong(conf, 256);
    KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(conf, 900);
    kvs = KeyValueSystem.Factory.create(conf);
    storeDir = new File(tmp.getRoot(), "small");
    store = new Path(storeDir.toURI());
    content = model();
    content.put(new byte[0], b("e"));
    content.put(b("a"), new byte[0]);
    content.put(b("b"), value(2, 9));
    content.put(b("c\u00ff"), value(3, 3));
    content.put(b("d"), value(4, 17));
    content.put(b("e"), b("x"));
    if (dictionary) {
      // Text-like values, compressed against the dictionary trained on the first 900 bytes.
      for (int i = 0; i < 75; i++) {
        content.put(b(String.format("b%02d", i)), b(String.format("{\"id\":%d,\"name\":"
            + "\"user-%d\",\"tags\":[\"alpha\",\"beta\"],\"on\":%s}", i * 37, i, i % 2 == 0)));
      }
    }
    writeAll(kvs.createStore(store), content);
    for (File f : storeDir.listFiles()) {
      if (f.getName().endsWith(".crc")) {
        Files.delete(f.toPath());
      }
    }
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertTrue("partitions: " + r.partitions(), r.partitions().size() >= 2);
    }
    if (dictionary) {
      for (File f : storeFiles()) {
        if (f.getName().endsWith(".kvp")) {
          byte[] bytes = Files.readAllBytes(f.toPath());
          assertTrue(f.getName() + " has a dictionary", bytes[20] != 0 || bytes[21] != 0);
        }
      }
    }
  }

  private File[] storeFiles() {
    File[] files = storeDir.listFiles();
    Arrays.sort(files);
    assertTrue(files.length >= 3);
    return files;
  }

  @Test
  public void everyTruncationOfEveryFileIsAnErrorOrExact() throws Exception {
    damageEveryFile((ch, pristine, i) -> {
      // Each length cut from the pristine file and written back: the file is never emptied and
      // rewritten, which ext4 flushes at close (auto_da_alloc), making the next damage wait for
      // the disk, seconds per file over thousands of damages.
      ch.truncate(i);
      return "truncated to " + i + " of " + pristine.length + " bytes";
    }, (ch, pristine, i) -> writeAt(ch, pristine, i, pristine.length - i), 1);
    report();
  }

  @Test
  public void everyFlippedByteOfEveryFileIsAnErrorOrExact() throws Exception {
    int[] masks = {0xFF, 0x01};
    damageEveryFile((ch, pristine, i) -> {
      int pos = i % pristine.length;
      int mask = masks[i / pristine.length];
      writeAt(ch, new byte[] {(byte) (pristine[pos] ^ mask)}, 0, 1, pos);
      return "byte " + pos + " of " + pristine.length + " xor 0x" + Integer.toHexString(mask);
    }, (ch, pristine, i) -> writeAt(ch, pristine, i % pristine.length, 1), masks.length);
    report();
  }

  /** One damage of a file's bytes, in place. */
  private interface Damage {
    /** Applies damage {@code i} (of {@code pristine.length * kinds}) and describes it. */
    String apply(FileChannel ch, byte[] pristine, int i) throws IOException;
  }

  /** Undoes damage {@code i}. */
  private interface Repair {
    void apply(FileChannel ch, byte[] pristine, int i) throws IOException;
  }

  /**
   * Applies every damage {@code 0 <= i < kinds * length} to every file, one at a time, checking
   * the outcome of each and repairing it before the next. The damages are dealt out to one worker
   * per core (at most two), each on its own copy of the store, so the suite takes half the time
   * on two cores; every damage is still checked alone.
   */
  private void damageEveryFile(Damage damage, Repair repair, int kinds) throws Exception {
    int workers = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    List<File> dirs = new ArrayList<>();
    dirs.add(storeDir);
    for (int w = 1; w < workers; w++) {
      File copy = new File(tmp.getRoot(), "small-" + w);
      assertTrue(copy.mkdir());
      for (File f : storeFiles()) {
        Files.copy(f.toPath(), new File(copy, f.getName()).toPath());
      }
      dirs.add(copy);
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        File dir = dirs.get(w);
        int first = w;
        done.add(pool.submit(() -> {
          Path copy = new Path(dir.toURI());
          for (File original : storeFiles()) {
            File f = new File(dir, original.getName());
            byte[] pristine = Files.readAllBytes(f.toPath());
            try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.WRITE)) {
              for (int i = first; i < kinds * pristine.length; i += workers) {
                checkOutcome(copy, f, damage.apply(ch, pristine, i));
                repair.apply(ch, pristine, i);
              }
            }
            // Each damage alone: the file is whole again before the next file is damaged.
            assertTrue(f.getName(), Arrays.equals(pristine, Files.readAllBytes(f.toPath())));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes {@code bytes[from, from + n)} at file position {@code from}. */
  private static void writeAt(FileChannel ch, byte[] bytes, int from, int n) throws IOException {
    writeAt(ch, bytes, from, n, from);
  }

  private static void writeAt(FileChannel ch, byte[] bytes, int from, int n, long position)
      throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes, from, n);
    while (buf.hasRemaining()) {
      ch.write(buf, position + buf.position() - from);
    }
  }

  @Test
  public void pristineStoreIsExact() throws Exception {
    for (File f : storeFiles()) {
      checkOutcome(store, f, "undamaged");
    }
    assertTrue(failures.toString(), failures.isEmpty());
    assertTrue(errors.get() == 0);
  }

  private synchronized void report() {
    LOG.info("mmap={}: {} exact answers, {} clear errors, {} bad outcomes", mmap, exactAnswers,
        errors, badOutcomes);
    assertTrue(badOutcomes + " bad outcomes (" + exactAnswers + " exact, " + errors
        + " clear errors); first ones:\n" + String.join("\n", failures), failures.isEmpty());
    assertTrue("some damage must be detected", errors.get() > 0);
  }

  /** Opens, looks up and iterates; records anything but an exact answer or a clear error. */
  private void checkOutcome(Path storePath, File damaged, String damage) {
    String what = damaged.getName() + " " + damage;
    KeyValueStoreReader reader;
    try {
      reader = kvs.openStore(storePath);
    } catch (IOException e) {
      clearError(damaged, what + ", openStore", e);
      return;
    } catch (RuntimeException | Error e) {
      bad(what + ", openStore threw " + describe(e));
      return;
    }
    try {
      for (Map.Entry<byte[], byte[]> e : content.entrySet()) {
        lookup(reader, damaged, what, e.getKey(), e.getValue());
      }
      for (byte[] absent : new byte[][] {b("0"), b("aa"), b("b0"), b("c"), b("f"),
          b("\u00ff")}) {
        lookup(reader, damaged, what, absent, null);
      }
      lookupAll(reader, damaged, what);
      scan(reader, damaged, what, null, null);
      scan(reader, damaged, what, b("b"), b("e"));
    } finally {
      try {
        reader.close();
      } catch (IOException | RuntimeException e) {
        bad(what + ", close threw " + describe(e));
      }
    }
  }

  private void lookup(KeyValueStoreReader reader, File damaged, String what, byte[] key,
      byte[] expected) {
    String step = what + ", get " + Bytes.toPrintable(key);
    try {
      byte[] actual = reader.get(key);
      if (Arrays.equals(expected, actual)) {
        exactAnswers.incrementAndGet();
      } else {
        bad(step + " returned " + Bytes.toPrintable(actual) + ", expected "
            + Bytes.toPrintable(expected));
      }
    } catch (IOException e) {
      clearError(damaged, step, e);
    } catch (RuntimeException | Error e) {
      bad(step + " threw " + describe(e));
    }
  }

  /** One multi-get of every key and some absent ones: exact answers or a clear error. */
  private void lookupAll(KeyValueStoreReader reader, File damaged, String what) {
    List<byte[]> keys = new ArrayList<>(content.keySet());
    keys.add(b("aa"));
    keys.add(b("f"));
    keys.addAll(content.keySet());
    String step = what + ", getAll";
    try {
      byte[][] values = reader.getAll(keys.toArray(new byte[0][]));
      for (int i = 0; i < keys.size(); i++) {
        byte[] expected = content.get(keys.get(i));
        if (!Arrays.equals(expected, values[i])) {
          bad(step + " returned " + Bytes.toPrintable(values[i]) + " for "
              + Bytes.toPrintable(keys.get(i)) + ", expected " + Bytes.toPrintable(expected));
          return;
        }
      }
      exactAnswers.incrementAndGet();
    } catch (IOException e) {
      clearError(damaged, step, e);
    } catch (RuntimeException | Error e) {
      bad(step + " threw " + describe(e));
    }
  }

  private void scan(KeyValueStoreReader reader, File damaged, String what, byte[] from,
      byte[] to) {
    String step = what + ", iterator(" + Bytes.toPrintable(from) + ", " + Bytes.toPrintable(to)
        + ")";
    Map<byte[], byte[]> expected = from == null ? content : content.subMap(from, true, to, false);
    List<KeyValuePair> got = new ArrayList<>();
    try (KeyValueIterator it = from == null ? reader.iterator() : reader.iterator(from, to)) {
      while (it.hasNext()) {
        got.add(it.next());
        if (got.size() > expected.size()) {
          break;
        }
      }
    } catch (IOException e) {
      clearError(damaged, step, e);
      return;
    } catch (RuntimeException | Error e) {
      bad(step + " threw " + describe(e));
      return;
    }
    List<KeyValuePair> want = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
      want.add(new KeyValuePair(e.getKey(), e.getValue()));
    }
    if (want.equals(got)) {
      exactAnswers.incrementAndGet();
    } else {
      bad(step + " returned " + got + ", expected " + want);
    }
  }

  private void clearError(File damaged, String step, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains(damaged.getName())) {
      errors.incrementAndGet();
    } else {
      bad(step + " threw an IOException not naming " + damaged.getName() + ": " + describe(e));
    }
  }

  private synchronized void bad(String failure) {
    badOutcomes.incrementAndGet();
    if (failures.size() < MAX_REPORTED) {
      failures.add(failure);
    } else if (failures.size() == MAX_REPORTED) {
      failures.add("...");
    }
  }

  private static String describe(Throwable t) {
    StackTraceElement[] trace = t.getStackTrace();
    return t + (trace.length > 0 ? " at " + trace[0] : "")
        + (t.getCause() != null ? " caused by " + t.getCause() : "");
  }
}
