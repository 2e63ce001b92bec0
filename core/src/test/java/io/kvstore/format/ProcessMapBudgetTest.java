package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.ProcessMaps;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * All readers of a JVM together stay within the process's map budget (half of
 * {@code vm.max_map_count}), whatever each reader's own bound says: two readers that would each
 * map most of the budget cannot both map it; the second reads with positional reads, answers
 * every lookup right, and the budget is whole again once both are closed. Without the process
 * budget, enough readers of stores with thousands of partitions exhaust the kernel's limit and a
 * map fails (or the JVM crashes). Tiny chunks make a small store need tens of thousands of maps.
 */
public class ProcessMapBudgetTest {
  private static final long CHUNK = 64;
  private static final int VALUE = 20;
  /** Bytes of a record: two one-byte lengths, an 8-byte key, the value and the CRC. */
  private static final int RECORD = 2 + 8 + VALUE + PartitionFormat.RECORD_CRC_SIZE;

  /** Stores of the test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void readersTogetherStayWithinTheProcessMapBudget() throws Exception {
    long budget = ReadContext.processMapsLeft();
    assertTrue("process map budget " + budget, budget > 1000);
    // Three partitions of about 0.3 of the budget's maps each: one reader maps them all, a second
    // finds too few maps left for any of its partitions.
    int perPartition = (int) (budget * 3 / 10 * CHUNK / RECORD);
    int keys = perPartition * 3;
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(conf, CHUNK);
    KeyValueConf.READ_MMAP_MAX_MAPS.setLong(conf, Long.MAX_VALUE / 2);
    // Uncompressed, so that RECORD is the size of a record.
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    // The partition limit counts the index too (8 bytes a slot at load 0.75, plus the sparse
    // index): leave room for it so each partition holds about perPartition records.
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, perPartition * (RECORD + 12L) + 4096);
    Path store = new Path(tmp.newFolder().getAbsolutePath(), "budget");
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    try (KeyValueStoreWriter writer = kvs.createStore(store)) {
      for (int i = 0; i < keys; i++) {
        writer.put(key(i), value(i));
      }
    }
    String path = store.toUri().getPath();
    try (KeyValueStoreReader first = kvs.openStore(store)) {
      assertEquals(3, first.partitions().size());
      int firstMaps = ProcessMaps.count(path);
      assertTrue("the first reader maps its partitions: " + firstMaps + " of " + budget,
          firstMaps > budget * 8 / 10);
      assertEquals(budget - firstMaps, ReadContext.processMapsLeft());
      try (KeyValueStoreReader second = kvs.openStore(store)) {
        assertEquals("the second reader finds no room in the budget and maps nothing",
            firstMaps, ProcessMaps.count(path));
        assertAllLookups(second, keys);
      }
      assertAllLookups(first, keys);
    }
    assertEquals(0, ProcessMaps.count(path));
    assertEquals(budget, ReadContext.processMapsLeft());
  }

  private static void assertAllLookups(KeyValueStoreReader reader, int keys) throws Exception {
    for (int i = 0; i < keys; i += 7) {
      assertArrayEquals("key " + i, value(i), reader.get(key(i)));
    }
    assertArrayEquals(value(keys - 1), reader.get(key(keys - 1)));
    assertNull(reader.get(key(keys)));
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(8).putLong(i).array();
  }

  private static byte[] value(int i) {
    byte[] v = new byte[VALUE];
    Arrays.fill(v, (byte) i);
    v[0] = (byte) (i >>> 8);
    return v;
  }
}
