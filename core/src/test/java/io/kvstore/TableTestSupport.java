package io.kvstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;

/** Stores whose values name the version they were built for, so an answer shows its version. */
public final class TableTestSupport {
  private TableTestSupport() {}

  /** Key {@code i}. */
  public static byte[] key(int i) {
    return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
  }

  /** The value of key {@code i} in the store built as version {@code version}. */
  public static byte[] value(long version, int i) {
    return String.format("v%d-%06d", version, i).getBytes(StandardCharsets.UTF_8);
  }

  /** The version a value of {@link #value} names. */
  public static long versionOf(byte[] value) {
    String s = new String(value, StandardCharsets.UTF_8);
    return Long.parseLong(s.substring(1, s.indexOf('-')));
  }

  /** Writes a store at {@code dir} of {@code keys} pairs built for {@code version}. */
  public static Path writeStore(KeyValueSystem system, Path dir, long version, int keys)
      throws IOException {
    try (KeyValueStoreWriter w = system.createStore(dir)) {
      for (int i = 0; i < keys; i++) {
        w.put(key(i), value(version, i));
      }
    }
    return dir;
  }

  /**
   * A new table {@code table} under {@code root} whose versions 1..{@code versions} (of
   * {@code keys} pairs each, built under {@code root}) are published, the last current.
   */
  public static Path tableWithVersions(KeyValueSystem system, Path root, int versions, int keys)
      throws IOException {
    Path table = new Path(root, "table");
    system.createTable(table);
    for (int v = 1; v <= versions; v++) {
      system.publishVersion(table, writeStore(system, new Path(root, "build" + v), v, keys));
    }
    return table;
  }

  /** Asserts that {@code reader} serves exactly the store built for {@code version}. */
  public static void assertServes(KeyValueStoreReader reader, long version, int keys)
      throws IOException {
    java.util.NavigableMap<byte[], byte[]> expected = StoreTestSupport.model();
    for (int i = 0; i < keys; i++) {
      expected.put(key(i), value(version, i));
    }
    StoreTestSupport.assertStoreContent(expected, reader);
  }
}
