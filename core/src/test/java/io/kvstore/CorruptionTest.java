package io.kvstore;

import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
  private final List<String> failures = new ArrayList<>();
  private int exactAnswers;
  private int errors;
  private int badOutcomes;

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
    for (File f : storeFiles()) {
      byte[] pristine = Files.readAllBytes(f.toPath());
      try {
        for (int len = 0; len < pristine.length; len++) {
          Files.write(f.toPath(), Arrays.copyOf(pristine, len));
          checkOutcome(f, "truncated to " + len + " of " + pristine.length + " bytes");
        }
      } finally {
        Files.write(f.toPath(), pristine);
      }
    }
    report();
  }

  @Test
  public void everyFlippedByteOfEveryFileIsAnErrorOrExact() throws Exception {
    for (File f : storeFiles()) {
      byte[] pristine = Files.readAllBytes(f.toPath());
      try {
        for (int mask : new int[] {0xFF, 0x01}) {
          for (int pos = 0; pos < pristine.length; pos++) {
            byte[] damaged = pristine.clone();
            damaged[pos] ^= (byte) mask;
            Files.write(f.toPath(), damaged);
            checkOutcome(f, "byte " + pos + " of " + pristine.length + " xor 0x"
                + Integer.toHexString(mask));
          }
        }
      } finally {
        Files.write(f.toPath(), pristine);
      }
    }
    report();
  }

  @Test
  public void pristineStoreIsExact() throws Exception {
    for (File f : storeFiles()) {
      checkOutcome(f, "undamaged");
    }
    assertTrue(failures.toString(), failures.isEmpty());
    assertTrue(errors == 0);
  }

  private void report() {
    LOG.info("mmap={}: {} exact answers, {} clear errors, {} bad outcomes", mmap, exactAnswers,
        errors, badOutcomes);
    assertTrue(badOutcomes + " bad outcomes (" + exactAnswers + " exact, " + errors
        + " clear errors); first ones:\n" + String.join("\n", failures), failures.isEmpty());
    assertTrue("some damage must be detected", errors > 0);
  }

  /** Opens, looks up and iterates; records anything but an exact answer or a clear error. */
  private void checkOutcome(File damaged, String damage) {
    String what = damaged.getName() + " " + damage;
    KeyValueStoreReader reader;
    try {
      reader = kvs.openStore(store);
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
        exactAnswers++;
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
      exactAnswers++;
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
      exactAnswers++;
    } else {
      bad(step + " returned " + got + ", expected " + want);
    }
  }

  private void clearError(File damaged, String step, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains(damaged.getName())) {
      errors++;
    } else {
      bad(step + " threw an IOException not naming " + damaged.getName() + ": " + describe(e));
    }
  }

  private void bad(String failure) {
    badOutcomes++;
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
