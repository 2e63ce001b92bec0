package io.kvstore.benchmarks;

import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** The systems under test, by name. */
public final class Systems {
  private Systems() {}

  /** kvstore first, then the peers. */
  public static List<BenchSystem> all(Configuration conf) {
    return List.of(new KvstoreSystem(conf), new MapFileSystem(conf), new PalDbSystem(),
        new SparkeySystem());
  }

  /** The system called {@code name}. */
  public static BenchSystem byName(String name, Configuration conf) {
    for (BenchSystem s : all(conf)) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("No system " + name);
  }
}
