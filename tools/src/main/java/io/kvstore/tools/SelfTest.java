package io.kvstore.tools;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The {@code runKVTest} self-test: exercises the whole client API and the MapReduce clone on a
 * store that spans many partitions, printing each step. Keys of the second (merged) store fall
 * between keys of the first, so the merged store has overlapping partition ranges, the case a
 * range-only lookup gets wrong.
 */
final class SelfTest {
  /** Partition size limit of the test stores: small, so a few hundred KiB span many files. */
  static final long PARTITION_LIMIT = 64 * 1024;
  /** Number of steps. */
  static final int STEPS = 11;

  private final Configuration conf;
  private final KeyValueSystem system;
  private final StoreCloner cloner;
  private final PrintStream out;
  private final int pairs;
  private final int mergedPairs;
  private int stepNumber;
  private String currentStep;

  /**
   * @param conf configuration; the test uses a copy with a {@value #PARTITION_LIMIT}-byte
   *     partition limit
   * @param cloner runs the clone job
   * @param out where the steps are printed
   * @param pairs pairs in the first store (at least 400, so that they need several partitions)
   */
  SelfTest(Configuration conf, StoreCloner cloner, PrintStream out, int pairs) {
    this.conf = new Configuration(conf);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(this.conf, PARTITION_LIMIT);
    this.system = KeyValueSystem.Factory.create(this.conf);
    this.cloner = cloner;
    this.out = out;
    this.pairs = pairs;
    this.mergedPairs = pairs / 4;
  }

  /** The name of the step that failed or is running, for the failure message. */
  String currentStep() {
    return stepNumber + " (" + currentStep + ")";
  }

  /**
   * Runs every step in {@code dir}, which must not exist; the stores it creates are deleted by
   * the last step, the directory itself is the caller's to remove.
   *
   * @throws StepFailedException if the system behaved wrongly ({@link #currentStep()} says where)
   * @throws IOException if an operation failed
   */
  void run(Path dir) throws IOException, InterruptedException {
    Path first = new Path(dir, "store");
    Path renamed = new Path(dir, "store-renamed");
    Path second = new Path(dir, "store-to-merge");
    Path clone = new Path(dir, "store-clone");

    step("create a store of " + pairs + " pairs with a " + Sizes.bytes(PARTITION_LIMIT)
        + " partition limit");
    write(first, pairs, false);
    int partitions;
    try (KeyValueStoreReader reader = system.openStore(first)) {
      partitions = reader.partitions().size();
      for (PartitionInfo p : reader.partitions()) {
        check(p.getSizeBytes() <= PARTITION_LIMIT, "partition " + p.getFileName() + " is "
            + p.getSizeBytes() + " bytes, over the limit");
      }
    }
    check(partitions > 1, "expected the pairs to span several partitions, got " + partitions);
    ok(partitions + " partitions");

    try (KeyValueStoreReader reader = system.openStore(first)) {
      step("size() counts every pair");
      check(reader.size() == pairs, "size() is " + reader.size() + ", expected " + pairs);
      ok(reader.size() + " pairs");

      step("get() finds every key with its value");
      for (int i = 0; i < pairs; i++) {
        expectValue(reader, key(i, false), value(i, false));
      }
      ok(pairs + " lookups");

      step("get() of absent keys returns null");
      byte[][] absent = {bytes("key-99999"), new byte[0], bytes("key-"), bytes("key-00000\u0000"),
          bytes("zzz")};
      for (byte[] key : absent) {
        byte[] value = reader.get(key);
        if (value != null) {
          throw new StepFailedException("absent key " + ByteCodec.TEXT.encode(key) + " returned "
              + value.length + " bytes");
        }
      }
      ok(absent.length + " absent keys");

      step("iterate over every pair in key order");
      checkIteration(reader, null, null, 0, pairs);
      ok(pairs + " pairs");

      int from = pairs / 4;
      int to = pairs / 2;
      step("iterate over the range [" + ByteCodec.TEXT.encode(key(from, false)) + ", "
          + ByteCodec.TEXT.encode(key(to, false)) + ")");
      checkIteration(reader, key(from, false), key(to, false), from, to);
      ok((to - from) + " pairs");
    }

    step("rename the store");
    system.renameStore(first, renamed);
    expectAbsent(first);
    try (KeyValueStoreReader reader = system.openStore(renamed)) {
      check(reader.size() == pairs, "renamed store has " + reader.size() + " pairs");
      expectValue(reader, key(pairs - 1, false), value(pairs - 1, false));
    }
    ok(renamed.getName());

    step("merge a store of " + mergedPairs + " interleaved keys into it");
    write(second, mergedPairs, true);
    system.mergeStore(second, renamed);
    expectAbsent(second);
    try (KeyValueStoreReader reader = system.openStore(renamed)) {
      check(reader.size() == pairs + mergedPairs, "merged store has " + reader.size()
          + " pairs, expected " + (pairs + mergedPairs));
      expectAllKeys(reader);
      ok(reader.size() + " pairs in " + reader.partitions().size() + " partitions");
    }

    step("clone it with CloneStoreMapReduce");
    cloner.cloneStore(conf, renamed, clone);
    ok(clone.getName());

    step("look up every key in the clone");
    try (KeyValueStoreReader reader = system.openStore(clone)) {
      check(reader.size() == pairs + mergedPairs, "clone has " + reader.size()
          + " pairs, expected " + (pairs + mergedPairs));
      expectAllKeys(reader);
      ok(reader.size() + " pairs in " + reader.partitions().size() + " partitions");
    }

    step("delete the stores");
    system.deleteStore(renamed);
    system.deleteStore(clone);
    expectAbsent(renamed);
    expectAbsent(clone);
    ok("none left");
  }

  private void write(Path store, int count, boolean merged) throws IOException {
    KeyValueStoreWriter writer = system.createStore(store);
    boolean closed = false;
    try {
      for (int i = 0; i < count; i++) {
        writer.put(key(i, merged), value(i, merged));
      }
      writer.close();
      closed = true;
    } finally {
      if (!closed) {
        writer.cancel();
      }
    }
  }

  private void expectAllKeys(KeyValueStoreReader reader) throws IOException {
    for (int i = 0; i < pairs; i++) {
      expectValue(reader, key(i, false), value(i, false));
    }
    for (int i = 0; i < mergedPairs; i++) {
      expectValue(reader, key(i, true), value(i, true));
    }
  }

  private void checkIteration(KeyValueStoreReader reader, byte[] from, byte[] to, int first,
      int end) throws IOException {
    int i = first;
    try (KeyValueIterator it = from == null && to == null ? reader.iterator()
        : reader.iterator(from, to)) {
      while (it.hasNext()) {
        KeyValuePair pair = it.next();
        check(i < end, "iteration returned an extra pair with key "
            + ByteCodec.TEXT.encode(pair.getKey()));
        check(Arrays.equals(pair.getKey(), key(i, false)), "pair " + (i - first) + " has key "
            + ByteCodec.TEXT.encode(pair.getKey()) + ", expected "
            + ByteCodec.TEXT.encode(key(i, false)));
        check(Arrays.equals(pair.getValue(), value(i, false)), "key "
            + ByteCodec.TEXT.encode(pair.getKey()) + " has a wrong value");
        i++;
      }
    }
    check(i == end, "iteration ended after " + (i - first) + " pairs, expected " + (end - first));
  }

  private void expectValue(KeyValueStoreReader reader, byte[] key, byte[] expected)
      throws IOException {
    byte[] value = reader.get(key);
    check(value != null, "key " + ByteCodec.TEXT.encode(key) + " not found");
    check(Arrays.equals(value, expected), "key " + ByteCodec.TEXT.encode(key) + " has a wrong"
        + " value (" + value.length + " bytes, expected " + expected.length + ")");
  }

  private void expectAbsent(Path store) throws IOException {
    try (KeyValueStoreReader reader = system.openStore(store)) {
      throw new StepFailedException(store + " still opens, with " + reader.size() + " pairs");
    } catch (StoreNotFoundException expected) {
      // The store is gone, as it should be.
    }
  }

  /** Key {@code i}; merged keys sort right after first-store key {@code 4 i}. */
  static byte[] key(int i, boolean merged) {
    return bytes(merged ? String.format("key-%05d~merged", 4 * i) : String.format("key-%05d", i));
  }

  /** A value of 100 to 699 bytes, binary, different for every key. */
  static byte[] value(int i, boolean merged) {
    Random random = new Random(merged ? -1 - i : i);
    byte[] value = new byte[100 + random.nextInt(600)];
    random.nextBytes(value);
    return value;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void step(String description) {
    stepNumber++;
    currentStep = description;
    out.printf("[%2d/%d] %s ... ", stepNumber, STEPS, description);
    out.flush();
  }

  private void ok(String detail) {
    out.println("ok (" + detail + ")");
    out.flush();
  }

  private static void check(boolean condition, String problem) throws StepFailedException {
    if (!condition) {
      throw new StepFailedException(problem);
    }
  }
}
