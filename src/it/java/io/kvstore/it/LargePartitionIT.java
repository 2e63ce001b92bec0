package io.kvstore.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.ProcessMaps;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Real local partitions past the sizes where a 32-bit buffer index runs out: one whose data
 * section is between 1 GiB and 2 GiB, one over 2 GiB. Lookups of records on both sides of the
 * 1 GiB and 2 GiB offsets through memory maps with the default 1 GiB chunks and through
 * positional reads. Values are 64 KiB so a few tens of thousands of keys fill the file; the store
 * is deleted after each test.
 */
public class LargePartitionIT {
  private static final int VALUE = 64 * 1024;
  /** Bytes of one record: key and value lengths (1 + 3 varint bytes), key, value, CRC. */
  private static final long RECORD = 1 + 3 + 8 + VALUE + 4;
  private static final long HEADER = 16;
  private static final long GIB = 1L << 30;

  private final byte[] base = new byte[VALUE];
  private File dir;

  /** A scratch directory under java.io.tmpdir and the value pattern. */
  @Before
  public void setUp() throws IOException {
    new Random(42).nextBytes(base);
    dir = java.nio.file.Files.createTempDirectory("kvstore-large").toFile();
  }

  /** Deletes the store: it holds gigabytes. */
  @After
  public void tearDown() {
    FileUtil.fullyDelete(dir);
  }

  private static byte[] key(long i) {
    return ByteBuffer.allocate(8).putLong(i * 2).array();
  }

  private byte[] value(long i) {
    byte[] v = base.clone();
    ByteBuffer.wrap(v).putLong(0, i).putLong(VALUE - 8, ~i);
    return v;
  }

  /** Writes keys 0..n-1 to one partition and returns the store. */
  private Path write(long keys) throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 8 * GIB);
    // Uncompressed: the values share most of their bytes, which a zstd dictionary would shrink
    // far below the 2 GiB this test must cross.
    KeyValueConf.COMPRESSION_CODEC.setString(conf, "none");
    Path store = new Path(dir.getAbsolutePath(), "store");
    try (KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf).createStore(store)) {
      byte[] v = base.clone();
      for (long i = 0; i < keys; i++) {
        ByteBuffer.wrap(v).putLong(0, i).putLong(VALUE - 8, ~i);
        writer.put(key(i), v);
      }
    }
    return store;
  }

  /** The keys of records around each GiB offset of the data section, and a sample of the rest. */
  private static TreeSet<Long> keysToCheck(long keys) {
    TreeSet<Long> check = new TreeSet<>();
    for (long gib = 1; gib * GIB < HEADER + keys * RECORD; gib++) {
      long straddling = (gib * GIB - HEADER) / RECORD;
      for (long i = straddling - 3; i <= straddling + 3; i++) {
        check.add(i);
      }
    }
    for (long i = 0; i < keys; i += 997) {
      check.add(i);
    }
    check.add(keys - 1);
    return check;
  }

  private void lookUp(Path store, long keys, boolean mmap, int expectedMaps) throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.READ_MMAP.setBoolean(conf, mmap);
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      assertEquals(1, reader.partitions().size());
      String file = reader.partitions().get(0).getPath().toUri().getPath();
      for (long i : keysToCheck(keys)) {
        assertArrayEquals("key " + i + (mmap ? ", mmap" : ", positional"), value(i),
            reader.get(key(i)));
        assertNull(reader.get(ByteBuffer.allocate(8).putLong(i * 2 + 1).array()));
      }
      assertEquals("maps of " + file, expectedMaps, ProcessMaps.count(file));
    }
  }

  @Test
  public void lookupsPastOneGibOfAPartitionUnderTwoGib() throws Exception {
    long keys = (long) (1.6 * GIB / RECORD);
    Path store = write(keys);
    long dataEnd = HEADER + keys * RECORD;
    assertTrue(dataEnd > GIB && dataEnd < 2 * GIB);
    // Two maps of records (the data crosses 1 GiB) and one of the hash index (format 3).
    lookUp(store, keys, true, 3);
    lookUp(store, keys, false, 0);
  }

  @Test
  public void lookupsPastTwoGibOfAPartitionOverTwoGib() throws Exception {
    long keys = (long) (2.2 * GIB / RECORD);
    Path store = write(keys);
    long dataEnd = HEADER + keys * RECORD;
    assertTrue(dataEnd > 2 * GIB);
    // Three maps of records and one of the hash index (format 3).
    lookUp(store, keys, true, 4);
    lookUp(store, keys, false, 0);
  }
}
