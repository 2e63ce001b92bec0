package io.kvstore.format;

import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreTestSupport;
import io.kvstore.VersionOneFixture;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Stores of every partition format version kept as fixtures (src/test/resources/fixtures, see
 * its README), read on every read path: lookups of every key and of absent keys, a range scan,
 * and the whole-index checks of {@code kvstore verify} on each partition.
 */
@RunWith(Parameterized.class)
public final class FormatFixturesTest {
  /** Each version on each read path. */
  @Parameters(name = "v{0}, mmap={1}, mmapIndex={2}")
  public static List<Object[]> cases() {
    List<Object[]> cases = new ArrayList<>();
    for (int version = 1; version <= 3; version++) {
      cases.add(new Object[] {version, true, true});
      cases.add(new Object[] {version, true, false});
      cases.add(new Object[] {version, false, true});
    }
    return cases;
  }

  /** The copy of the fixture. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final int version;
  private final boolean mmap;
  private final boolean mmapIndex;

  /**
   * @param version the fixture's partition format version
   * @param mmap whether records are memory-mapped
   * @param mmapIndex whether a version-3 index is memory-mapped
   */
  public FormatFixturesTest(int version, boolean mmap, boolean mmapIndex) {
    this.version = version;
    this.mmap = mmap;
    this.mmapIndex = mmapIndex;
  }

  /** The content of the v2 and v3 fixtures, as the fixtures' README describes it. */
  static NavigableMap<byte[], byte[]> expectedContent() {
    NavigableMap<byte[], byte[]> m = VersionOneFixture.expectedContent();
    for (int i = 0; i < 100; i++) {
      m.put(b(String.format("t%04d", i)), b(String.format("{\"id\":%d,\"name\":\"user-%d\","
          + "\"tags\":[\"alpha\",\"beta\"],\"score\":%d}", i, i * 7, i % 13)));
    }
    return m;
  }

  private File copyFixture() throws IOException {
    if (version == 1) {
      return VersionOneFixture.copyTo(tmp.getRoot());
    }
    File dir = new File(tmp.getRoot(), "v" + version);
    assertTrue(dir.mkdirs());
    List<String> names = new ArrayList<>();
    names.add(StoreLayout.MANIFEST_NAME);
    for (int i = 0; i < 8; i++) {
      names.add(String.format("part-%05d.kvp", i));
    }
    for (String name : names) {
      try (InputStream in = FormatFixturesTest.class.getResourceAsStream(
          "/fixtures/v" + version + "-store/" + name)) {
        Files.copy(in, new File(dir, name).toPath());
      }
    }
    return dir;
  }

  private Configuration conf() {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
    KeyValueConf.READ_MMAP_INDEX.setBoolean(conf, mmapIndex);
    return conf;
  }

  @Test
  public void everyKeyAndRangeReadsBack() throws Exception {
    Path store = new Path(copyFixture().toURI());
    NavigableMap<byte[], byte[]> expected = version == 1 ? VersionOneFixture.expectedContent()
        : expectedContent();
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf()).openStore(store)) {
      assertEquals(version == 1 ? 7 : 8, r.partitions().size());
      for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
        assertArrayEquals(e.getValue(), r.get(e.getKey()));
      }
      for (int i = 0; i < 300; i++) {
        assertNull(r.get(b(String.format("k%04dx", i))));
      }
      byte[][] keys = expected.keySet().toArray(new byte[0][]);
      byte[][] values = r.getAll(keys);
      for (int i = 0; i < keys.length; i++) {
        assertArrayEquals(expected.get(keys[i]), values[i]);
      }
      int n = 0;
      try (KeyValueIterator it = r.iterator(b("k0100"), b("k0200"))) {
        while (it.hasNext()) {
          KeyValuePair p = it.next();
          assertArrayEquals(expected.get(p.getKey()), p.getValue());
          n++;
        }
      }
      assertEquals(100, n);
      assertStoreContent(expected, r);
    }
  }

  @Test
  public void everyPartitionPassesTheWholeIndexChecks() throws Exception {
    Path store = new Path(copyFixture().toURI());
    FileOperations ops = FileOperations.of(FileSystem.getLocal(new Configuration()));
    StoreManifest manifest = StoreManifest.read(ops, store);
    try (ReadContext context = new ReadContext(ops, conf())) {
      for (PartitionInfo p : manifest.getPartitions()) {
        PartitionInfo resolved = p.resolvedIn(store);
        try (PartitionReader reader = PartitionReader.open(context, resolved.getPath(),
            resolved)) {
          assertEquals(version, reader.details().formatVersion());
          assertEquals(version == 3 && mmap && mmapIndex, reader.isIndexMapped());
          reader.verifyIndexes();
        }
      }
    }
  }
}
