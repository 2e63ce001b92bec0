package io.kvstore.tools;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Copies a store into a new one by some means (a MapReduce job); replaceable in tests. */
@FunctionalInterface
interface StoreCloner {
  /** Clones the store at {@code in} to the new store {@code out}. */
  void cloneStore(Configuration conf, Path in, Path out) throws IOException, InterruptedException;
}
