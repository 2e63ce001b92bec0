package io.kvstore;

import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
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
 * mergeStore over every combination of an empty, a one-partition and a multi-partition store as
 * source and destination, with interleaved keys so that partition ranges overlap.
 */
@RunWith(Parameterized.class)
public final class MergeStoreMatrixTest {
  /** Store shapes. */
  enum Shape {
    EMPTY(0), ONE_PARTITION(40), MULTI_PARTITION(600);

    final int keys;

    Shape(int keys) {
      this.keys = keys;
    }
  }

  private static final long PARTITION_MAX = 4096;

  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Shape from;
  private final Shape to;

  /**
   * @param from shape of the store merged in
   * @param to shape of the destination
   */
  public MergeStoreMatrixTest(Shape from, Shape to) {
    this.from = from;
    this.to = to;
  }

  /** Every pair of shapes. */
  @Parameters(name = "from {0} into {1}")
  public static List<Object[]> shapes() {
    List<Object[]> out = new ArrayList<>();
    for (Shape f : Shape.values()) {
      for (Shape t : Shape.values()) {
        out.add(new Object[] {f, t});
      }
    }
    return out;
  }

  private static NavigableMap<byte[], byte[]> content(Shape shape, int parity) {
    NavigableMap<byte[], byte[]> m = model();
    for (int i = 0; i < shape.keys; i++) {
      int n = 2 * i + parity;
      m.put(b(String.format("key%06d", n)), value(n, 10 + n % 17));
    }
    return m;
  }

  @Test
  public void mergeServesEveryPairOfBothAndRemovesTheSource() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, PARTITION_MAX);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    FileSystem fs = FileSystem.getLocal(conf);
    Path fromPath = new Path(new File(tmp.getRoot(), "from").toURI());
    Path toPath = new Path(new File(tmp.getRoot(), "to").toURI());
    NavigableMap<byte[], byte[]> fromContent = content(from, 1);
    NavigableMap<byte[], byte[]> toContent = content(to, 0);
    writeAll(kvs.createStore(fromPath), fromContent);
    writeAll(kvs.createStore(toPath), toContent);
    int fromPartitions;
    int toPartitions;
    try (KeyValueStoreReader r = kvs.openStore(fromPath)) {
      fromPartitions = r.partitions().size();
    }
    try (KeyValueStoreReader r = kvs.openStore(toPath)) {
      toPartitions = r.partitions().size();
    }
    assertShape(from, fromPartitions);
    assertShape(to, toPartitions);

    kvs.mergeStore(fromPath, toPath);

    assertFalse("source removed", fs.exists(fromPath));
    NavigableMap<byte[], byte[]> all = model();
    all.putAll(fromContent);
    all.putAll(toContent);
    try (KeyValueStoreReader r = kvs.openStore(toPath)) {
      assertEquals("partitions moved, not rewritten", fromPartitions + toPartitions,
          r.partitions().size());
      Set<Path> files = new HashSet<>();
      for (PartitionInfo p : r.partitions()) {
        assertTrue("distinct file " + p.getPath(), files.add(p.getPath()));
        assertEquals(toPath, p.getPath().getParent());
        assertEquals(p.getSizeBytes(), fs.getFileStatus(p.getPath()).getLen());
      }
      assertStoreContent(all, r);
    }
  }

  private static void assertShape(Shape shape, int partitions) {
    switch (shape) {
      case EMPTY:
        assertEquals(0, partitions);
        break;
      case ONE_PARTITION:
        assertEquals(1, partitions);
        break;
      default:
        assertTrue("partitions: " + partitions, partitions > 2);
    }
  }
}
