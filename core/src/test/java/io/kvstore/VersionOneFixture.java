package io.kvstore;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.NavigableMap;

/**
 * The store of partition format version 1 in src/test/resources/fixtures/v1-store, written by
 * kvstore before version 2 existed (its README says how), for tests of every reader in every
 * module.
 */
public final class VersionOneFixture {
  /** The fixture's files. */
  public static final String[] FILES = {"_kvstore_manifest", "part-00000.kvp", "part-00001.kvp",
      "part-00002.kvp", "part-00003.kvp", "part-00004.kvp", "part-00005.kvp", "part-00006.kvp"};
  /** Number of partition files. */
  public static final int PARTITIONS = 7;
  /** {@code kvstore.index.block.bytes} the fixture was written with. */
  public static final long BLOCK_BYTES = 1024;

  private VersionOneFixture() {}

  /** The fixture's content, as its README describes it. */
  public static NavigableMap<byte[], byte[]> expectedContent() {
    NavigableMap<byte[], byte[]> m = StoreTestSupport.model();
    m.put(new byte[0], StoreTestSupport.b("empty key"));
    for (int i = 0; i < 300; i++) {
      m.put(StoreTestSupport.b(String.format("k%04d", i)),
          StoreTestSupport.value(i, (i * 7) % 300));
    }
    return m;
  }

  /** Copies the fixture store into a new directory {@code v1} of {@code parent}; returns it. */
  public static File copyTo(File parent) throws IOException {
    File dir = new File(parent, "v1");
    assertTrue(dir.mkdirs());
    for (String name : FILES) {
      try (InputStream in = VersionOneFixture.class.getResourceAsStream(
          "/fixtures/v1-store/" + name)) {
        Files.copy(in, new File(dir, name).toPath());
      }
    }
    return dir;
  }
}
