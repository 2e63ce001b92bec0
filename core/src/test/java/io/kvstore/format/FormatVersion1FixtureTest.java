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
import java.util.Arrays;
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
 * A store of partition format version 1, written by kvstore before version 2 existed
 * (src/test/resources/fixtures/v1-store), read through every reader: lookups by memory map and by
 * positional reads, full and range iteration, the partition scanner, and a merge with a store of
 * version 2 (one store then holds files of both versions).
 */
@RunWith(Parameterized.class)
public final class FormatVersion1FixtureTest {
  /** Both read paths. */
  @Parameters(name = "mmap={0}")
  public static List<Object[]> readPaths() {
    return Arrays.asList(new Object[] {true}, new Object[] {false});
  }

  /** Copies of the fixture and the stores merged with it. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final boolean mmap;

  /** @param mmap whether local reads go through a memory map */
  public FormatVersion1FixtureTest(boolean mmap) {
    this.mmap = mmap;
  }

  private static NavigableMap<byte[], byte[]> expectedContent() {
    return VersionOneFixture.expectedContent();
  }

  private static File copyFixture(File parent) throws IOException {
    return VersionOneFixture.copyTo(parent);
  }

  private KeyValueSystem kvs() {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
    return KeyValueSystem.Factory.create(conf);
  }

  @Test
  public void lookupsAndIterationReadVersion1() throws Exception {
    Path store = new Path(copyFixture(tmp.getRoot()).toURI());
    NavigableMap<byte[], byte[]> expected = expectedContent();
    try (KeyValueStoreReader r = kvs().openStore(store)) {
      assertEquals(7, r.partitions().size());
      assertStoreContent(expected, r);
      for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
        assertArrayEquals(e.getValue(), r.get(e.getKey()));
      }
      assertNull(r.get(b("k0300")));
      assertNull(r.get(b("k0000x")));
      int n = 0;
      try (KeyValueIterator it = r.iterator(b("k0100"), b("k0200"))) {
        while (it.hasNext()) {
          KeyValuePair p = it.next();
          assertArrayEquals(expected.get(p.getKey()), p.getValue());
          n++;
        }
      }
      assertEquals(100, n);
    }
  }

  @Test
  public void partitionScannerReadsVersion1() throws Exception {
    File dir = copyFixture(tmp.getRoot());
    Configuration conf = new Configuration();
    FileOperations ops = FileOperations.of(FileSystem.getLocal(conf));
    NavigableMap<byte[], byte[]> expected = expectedContent();
    NavigableMap<byte[], byte[]> seen = StoreTestSupport.model();
    for (int i = 0; i < 7; i++) {
      Path file = new Path(new File(dir, VersionOneFixture.FILES[i + 1]).toURI());
      try (PartitionScanner s = PartitionScanner.open(ops, file, conf)) {
        while (s.next()) {
          seen.put(s.copyKey(), s.copyValue());
        }
      }
    }
    assertEquals(expected.size(), seen.size());
    for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), seen.get(e.getKey()));
    }
  }

  @Test
  public void mergeOfVersion1AndVersion2StoresReadsBoth() throws Exception {
    KeyValueSystem kvs = kvs();
    Path v1 = new Path(copyFixture(tmp.getRoot()).toURI());
    Path v2 = new Path(new File(tmp.getRoot(), "v2").toURI());
    NavigableMap<byte[], byte[]> added = StoreTestSupport.model();
    for (int i = 0; i < 200; i++) {
      added.put(b(String.format("m%04d", i)), b("{\"n\":" + i + ",\"kind\":\"merged\"}"));
    }
    StoreTestSupport.writeAll(kvs.createStore(v2), added);
    kvs.mergeStore(v2, v1);
    NavigableMap<byte[], byte[]> expected = expectedContent();
    expected.putAll(added);
    try (KeyValueStoreReader r = kvs.openStore(v1)) {
      boolean sawV2 = false;
      for (PartitionInfo p : r.partitions()) {
        sawV2 |= !Arrays.asList(VersionOneFixture.FILES).contains(p.getFileName());
      }
      assertTrue(sawV2);
      assertStoreContent(expected, r);
      for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
        assertArrayEquals(e.getValue(), r.get(e.getKey()));
      }
    }
  }
}
