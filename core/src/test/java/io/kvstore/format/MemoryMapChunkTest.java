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
import io.kvstore.ReaderStatistics;
import io.kvstore.StoreTestSupport;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.IntUnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Memory maps in chunks ({@code kvstore.read.mmap.chunk.bytes}): with chunks far smaller than the
 * partition, every lookup of one partition of many records must pick the chunk holding its
 * record, including records that start or end exactly on a chunk edge and records larger than a
 * chunk. The partition must really be mapped in that many chunks (counted in /proc/self/maps),
 * the way a 1-2 GiB partition is with the default 1 GiB chunks.
 */
@RunWith(Parameterized.class)
public class MemoryMapChunkTest {
  /** Key bytes of every record. */
  private static final int KEY = 8;
  /** Bytes of a record with a value of {@code v} bytes, both lengths one-byte varints. */
  private static final int SMALL_OVERHEAD = 1 + 1 + KEY + PartitionFormat.RECORD_CRC_SIZE;
  /** Offset of the first record: header and the compression section of codec none. */
  private static final int DATA_START =
      PartitionFormat.HEADER_SIZE + CompressionSection.EMPTY_SIZE;

  /** Test cases: name, chunk size, key count, value length of record i. */
  @Parameters(name = "{0}")
  public static Collection<Object[]> cases() {
    return Arrays.asList(
        new Object[] {"4 KiB chunks, 100-byte values", 4096L, 5000,
            (IntUnaryOperator) i -> 100},
        new Object[] {"64 KiB chunks, values of 0 to 5000 bytes", 65536L, 3000,
            (IntUnaryOperator) i -> (i * 7919) % 5001},
        new Object[] {"4 KiB chunks, records larger than a chunk", 4096L, 400,
            (IntUnaryOperator) i -> i % 10 == 0 ? 20_000 : (i * 31) % 300},
        // The first record fills the chunk up to its end; the rest are 64 bytes, which divide the
        // chunk, so a record starts (and the one before ends) exactly on every chunk edge.
        new Object[] {"4 KiB chunks, records on chunk edges", 4096L, 4000,
            (IntUnaryOperator) i -> i == 0
                ? 4096 - DATA_START - SMALL_OVERHEAD - 1 : 64 - SMALL_OVERHEAD},
        // Chunks one byte off the edge: records end one byte before or after each edge.
        new Object[] {"4095-byte chunks, records beside chunk edges", 4095L, 4000,
            (IntUnaryOperator) i -> i == 0
                ? 4096 - DATA_START - SMALL_OVERHEAD - 1 : 64 - SMALL_OVERHEAD},
        new Object[] {"4097-byte chunks, records beside chunk edges", 4097L, 4000,
            (IntUnaryOperator) i -> i == 0
                ? 4096 - DATA_START - SMALL_OVERHEAD - 1 : 64 - SMALL_OVERHEAD});
  }

  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final long chunkBytes;
  private final int keys;
  private final IntUnaryOperator valueLength;

  /** @param name describes the case */
  public MemoryMapChunkTest(String name, long chunkBytes, int keys, IntUnaryOperator valueLength) {
    this.chunkBytes = chunkBytes;
    this.keys = keys;
    this.valueLength = valueLength;
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(KEY).putInt(0x10000000 + i).putInt(i * 31).array();
  }

  @Test
  public void everyLookupFindsItsRecordAcrossChunks() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP_CHUNK_BYTES.setLong(conf, chunkBytes);
    KeyValueConf.READ_MMAP_MAX_MAPS.setLong(conf, 1_000_000);
    // Uncompressed, so that record sizes and chunk edges are known.
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path store = new Path(tmp.newFolder().getAbsolutePath(), "store");
    long dataBytes = DATA_START;
    try (KeyValueStoreWriter writer = kvs.createStore(store)) {
      for (int i = 0; i < keys; i++) {
        byte[] value = StoreTestSupport.value(i, valueLength.applyAsInt(i));
        writer.put(key(i), value);
        dataBytes += varintSize(KEY << 1) + varintSize(value.length) + KEY + value.length
            + PartitionFormat.RECORD_CRC_SIZE;
      }
    }
    try (KeyValueStoreReader reader = kvs.openStore(store)) {
      assertEquals(1, reader.partitions().size());
      String file = reader.partitions().get(0).getPath().toUri().getPath();
      long chunks = (dataBytes - 1) / chunkBytes + 1;
      assertTrue("the case needs several chunks", chunks > 10);
      // The hash index is mapped too, in powers of two of at most the chunk size (at least one
      // index chunk a map), so lookups also cross the index's maps.
      long slots = PartitionFormat.slotCount(keys, 0.75);
      long indexChunkSlots = KeyValueConf.INDEX_CHUNK_BYTES.getLong(conf) / 8;
      long perMap = Math.max(indexChunkSlots, Long.highestOneBit(chunkBytes / 8));
      long indexMaps = (slots + perMap - 1) / perMap;
      assertEquals("maps of " + file, chunks + indexMaps, ProcessMaps.count(file));
      for (int i = 0; i < keys; i++) {
        assertArrayEquals("key " + i, StoreTestSupport.value(i, valueLength.applyAsInt(i)),
            reader.get(key(i)));
        // Same hash neighbourhood as a present key, absent.
        assertNull(reader.get(ByteBuffer.allocate(KEY).putInt(0x10000000 + i).putInt(i * 31 + 1)
            .array()));
      }
      ReaderStatistics stats = reader.statistics();
      assertTrue(stats.toString(), stats.getRecordReads() >= keys);
    }
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }
}
