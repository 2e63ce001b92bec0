package io.kvstore.benchmarks;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** One system under test: builds a store of a {@link DataSet} and opens it for lookups. */
public interface BenchSystem {

  /** The name shown in tables, e.g. {@code kvstore}. */
  String name();

  /** Whether the system can keep its store on {@code fs} (PalDB and Sparkey need local files). */
  boolean supports(FileSystem fs);

  /**
   * Writes every pair of {@code data}, in ascending key order, to a new store at {@code dir},
   * which does not exist yet; returns when the store is complete and readable.
   */
  void build(DataSet data, FileSystem fs, Path dir) throws IOException;

  /** Opens the store at {@code dir} for lookups. */
  Lookup open(FileSystem fs, Path dir) throws IOException;
}
