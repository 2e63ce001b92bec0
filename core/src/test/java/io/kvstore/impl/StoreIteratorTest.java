package io.kvstore.impl;

import static io.kvstore.StoreTestSupport.assertPairs;
import static io.kvstore.StoreTestSupport.model;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreTestSupport;
import io.kvstore.format.PartitionScanner;
import io.kvstore.format.Routing;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A merged scan opens partitions as it reaches them: open scans follow the overlap depth. */
public class StoreIteratorTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  static byte[] text(String format, int i) {
    return String.format(format, i).getBytes(StandardCharsets.UTF_8);
  }

  /** Scans {@code reader} from {@code from} to {@code to}, checking the pairs; the most open. */
  private static int scan(KeyValueStoreReader reader, NavigableMap<byte[], byte[]> expected,
      byte[] from, byte[] to) throws Exception {
    StoreIterator it = (StoreIterator) reader.iterator(from, to);
    int most = it.openScans();
    List<KeyValuePair> seen = new ArrayList<>();
    while (it.hasNext()) {
      most = Math.max(most, it.openScans());
      seen.add(it.next());
    }
    assertEquals(0, it.openScans());
    assertPairs("scan", expected, seen);
    return most;
  }

  @Test
  public void mergedScanOfTwoInterleavedStoresKeepsAboutTwoPartitionsOpen() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 4096);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path root = new Path(tmp.getRoot().toURI());
    Path to = new Path(root, "to");
    Path from = new Path(root, "from");
    NavigableMap<byte[], byte[]> all = model();
    for (int s = 0; s < 2; s++) {
      NavigableMap<byte[], byte[]> content = model();
      for (int i = s; i < 8000; i += 2) {
        content.put(text("k%06d", i), text("value %d", i * 7));
      }
      StoreTestSupport.writeAll(kvs.createStore(s == 0 ? to : from), content);
      all.putAll(content);
    }
    // A third store inside one gap: depth 3 there, 2 elsewhere.
    Path third = new Path(root, "third");
    NavigableMap<byte[], byte[]> inside = model();
    for (int i = 0; i < 50; i++) {
      inside.put(text("k004000-%03d", i), text("inner %d", i));
    }
    StoreTestSupport.writeAll(kvs.createStore(third), inside);
    all.putAll(inside);
    kvs.mergeStore(from, to);
    kvs.mergeStore(third, to);
    try (KeyValueStoreReader r = kvs.openStore(to)) {
      assertTrue("partitions: " + r.partitions().size(), r.partitions().size() > 50);
      assertEquals(3, new PartitionRouter(Routing.byRange(), r.partitions())
          .overlapDepth());
      int most = scan(r, all, null, null);
      assertTrue("open scans at once: " + most, most <= 4);
      byte[] lo = text("k%06d", 3001);
      byte[] hi = text("k%06d", 5000);
      most = scan(r, all.subMap(lo, true, hi, false), lo, hi);
      assertTrue("open scans at once: " + most, most <= 4);
      NavigableMap<byte[], byte[]> empty = model();
      assertEquals(0, scan(r, empty, text("k%06d", 9000), null));
      Map.Entry<byte[], byte[]> last = all.lastEntry();
      assertArrayEquals(last.getValue(), r.iterator(last.getKey(), null).next().getValue());
      assertFalse(r.iterator(hi, lo).hasNext());
    }
  }

  /**
   * Writes {@code firstKeys.length} one-partition stores below {@code root} that share the keys
   * {@code k000000} to {@code keys} (exclusive) in turn, store s taking every key i with
   * {@code i % stores == s}; fills {@code firstKeys} and returns the partition files.
   */
  static List<Path> interleavedStores(Configuration conf, Path root, int keys,
      byte[][] firstKeys) throws IOException {
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    List<Path> files = new ArrayList<>();
    int stores = firstKeys.length;
    for (int s = 0; s < stores; s++) {
      Path store = new Path(root, "s" + s);
      NavigableMap<byte[], byte[]> content = model();
      for (int i = s; i < keys; i += stores) {
        content.put(text("k%06d", i), text("value %d", i));
      }
      StoreTestSupport.writeAll(kvs.createStore(store), content);
      try (KeyValueStoreReader r = kvs.openStore(store)) {
        files.add(r.partitions().get(0).getPath());
      }
      firstKeys[s] = content.firstKey();
    }
    return files;
  }

  /** A partition whose first record is damaged fails the scan, and its stream is closed too. */
  @Test
  public void aScanFailingOnItsFirstRecordIsClosed() throws Exception {
    Configuration conf = new Configuration();
    byte[][] firstKeys = new byte[2][];
    List<Path> files = interleavedStores(conf, new Path(tmp.getRoot().toURI()), 100, firstKeys);
    // Flip a byte of the first record's value in the partition the merge opens second.
    File damaged = new File(files.get(1).toUri());
    byte[] bytes = Files.readAllBytes(damaged.toPath());
    bytes[28] ^= 0x40;
    Files.write(damaged.toPath(), bytes);
    AtomicInteger open = new AtomicInteger();
    FileSystem counting = new FilterFileSystem(
        FileSystem.getLocal(conf).getRawFileSystem()) {
      @Override
      public FSDataInputStream open(Path f, int bufferSize)
          throws IOException {
        open.incrementAndGet();
        return new FSDataInputStream(super.open(f, bufferSize)) {
          @Override
          public void close() throws IOException {
            open.decrementAndGet();
            super.close();
          }
        };
      }
    };
    StoreIterator it = new StoreIterator(new int[] {0, 1}, firstKeys,
        i -> new BoundedScan(PartitionScanner.open(FileOperations.of(counting), files.get(i), conf,
            null), null), () -> { });
    CorruptStoreException e =
        StoreTestSupport.expect(CorruptStoreException.class, () -> {
          while (it.hasNext()) {
            it.next();
          }
        });
    assertTrue(e.getMessage(), e.getMessage().contains(damaged.getName()));
    it.close();
    assertEquals("streams left open", 0, open.get());
  }
}
