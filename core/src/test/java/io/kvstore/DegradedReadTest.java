package io.kvstore;

import static io.kvstore.StoreTestSupport.b;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link KeyValueConf#READ_DEGRADED}: a store with a damaged partition serves every key that
 * cannot live in it, and a lookup or scan that could need it throws, never answers null.
 */
public class DegradedReadTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();

  /** A store of 2,000 keys in partitions of at most 4 KiB (several), range routed. */
  private Path rangeStore() throws IOException {
    Path dir = new Path(folder.getRoot().getPath(), "s");
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    try (KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(dir)) {
      for (int i = 0; i < 2000; i++) {
        w.put(b(String.format("k%05d", i)), b("v" + i));
      }
    }
    return dir;
  }

  private static void truncate(File file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
      f.setLength(f.length() / 2);
    }
    new File(file.getParentFile(), "." + file.getName() + ".crc").delete();
  }

  private static KeyValueStoreReader open(Path dir, boolean degraded) throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.READ_DEGRADED.setBoolean(conf, degraded);
    return KeyValueSystem.Factory.create(conf).openStore(dir);
  }

  @Test
  public void oneTruncatedPartitionBlocksNothingButItsOwnKeys() throws Exception {
    Path dir = rangeStore();
    PartitionInfo damaged;
    try (KeyValueStoreReader healthy = open(dir, false)) {
      assertTrue(healthy.partitions().size() >= 4);
      damaged = healthy.partitions().get(1);
    }
    truncate(new File(dir.toString(), damaged.getFileName()));

    // Off by default: the store does not open.
    assertThrows(CorruptStoreException.class, () -> open(dir, false).close());

    try (KeyValueStoreReader reader = open(dir, true)) {
      int served = 0;
      int refused = 0;
      for (int i = 0; i < 2000; i++) {
        byte[] key = b(String.format("k%05d", i));
        if (damaged.mayContain(key, 0, key.length)) {
          CorruptStoreException e = assertThrows(CorruptStoreException.class,
              () -> reader.get(key));
          assertTrue(e.getMessage(), e.getFile().endsWith(damaged.getFileName()));
          refused++;
        } else {
          assertArrayEquals(b("v" + i), reader.get(key));
          served++;
        }
      }
      assertEquals(damaged.getKeyCount(), refused);
      assertEquals(2000 - damaged.getKeyCount(), served);
      // An absent key outside the damaged range is still a plain miss.
      assertNull(reader.get(b("k00000x")));
      assertNull(reader.get(b("z")));
      // Inside its range, absent or not, it could live there: never a null.
      byte[] gap = damaged.getFirstKey().clone();
      byte[] inside = new byte[gap.length + 1];
      System.arraycopy(gap, 0, inside, 0, gap.length);
      assertThrows(CorruptStoreException.class, () -> reader.get(inside));

      // A scan that does not reach it works; one that does throws when it gets there.
      List<byte[]> before = new ArrayList<>();
      try (KeyValueIterator it = reader.iterator(null, damaged.getFirstKey())) {
        while (it.hasNext()) {
          before.add(it.next().getKey());
        }
      }
      assertEquals(reader.partitions().get(0).getKeyCount(), before.size());
      IOException scan = assertThrows(IOException.class, () -> {
        try (KeyValueIterator it = reader.iterator()) {
          while (it.hasNext()) {
            it.next();
          }
        }
      });
      assertTrue(scan.toString(), scan.toString().contains(damaged.getFileName()));
    }
  }

  @Test
  public void bucketRoutedStoreRefusesOnlyTheDamagedBucketsKeys() throws Exception {
    NavigableMap<byte[], byte[]> content = new TreeMap<>(StoreTestSupport.HADOOP_ORDER);
    for (int i = 0; i < 1000; i++) {
      content.put(b("key" + i), b("value" + i));
    }
    long seed = 3;
    int buckets = 4;
    ToIntFunction<byte[]> bucketOf =
        k -> BucketFunction.KVSTORE_HASH64.bucket(k, 0, k.length, seed, buckets);
    Path dir = new Path(folder.getRoot().getPath(), "b");
    ManualStores.build(dir, content, buckets, bucketOf,
        Routing.byBucket(BucketFunction.KVSTORE_HASH64, seed, buckets));
    String victim = null;
    int victimBucket = -1;
    try (KeyValueStoreReader healthy = open(dir, false)) {
      victim = healthy.partitions().get(0).getFileName();
      victimBucket = healthy.partitions().get(0).getBucket();
    }
    truncate(new File(dir.toString(), victim));
    try (KeyValueStoreReader reader = open(dir, true)) {
      for (byte[] key : content.keySet()) {
        if (bucketOf.applyAsInt(key) == victimBucket) {
          assertThrows(CorruptStoreException.class, () -> reader.get(key));
        } else {
          assertArrayEquals(content.get(key), reader.get(key));
        }
      }
    }
  }

  @Test
  public void theSettingIsOffByDefault() {
    assertEquals(false, KeyValueConf.READ_DEGRADED.getBoolean(new Configuration(false)));
  }
}
