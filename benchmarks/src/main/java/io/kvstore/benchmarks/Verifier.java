package io.kvstore.benchmarks;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Checks that a built store returns the right value for a sample of keys and none for others. */
final class Verifier {
  private Verifier() {}

  static void verify(DataSet data, BenchSystem system, FileSystem fs, Path dir, int samples)
      throws IOException {
    byte[] key = new byte[DataSet.KEY_LENGTH];
    byte[] expected = new byte[data.valueLength()];
    long[] present = data.lookupOrder(samples, data.seed() + 7);
    long[] absent = DataSet.randomWords(samples, data.seed() + 8);
    try (Lookup lookup = system.open(fs, dir)) {
      for (long hi : present) {
        DataSet.presentKey(hi, key);
        data.valueOf(hi, expected);
        byte[] got = lookup.get(key);
        if (!Arrays.equals(expected, got)) {
          throw new IllegalStateException(system.name() + " returned a wrong value for "
              + Long.toHexString(hi) + " in " + dir);
        }
      }
      for (long hi : absent) {
        DataSet.absentKey(hi, key);
        if (lookup.get(key) != null) {
          throw new IllegalStateException(system.name() + " found absent key "
              + Long.toHexString(hi));
        }
      }
    }
  }
}
