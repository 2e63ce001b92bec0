package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreTestSupport;
import io.kvstore.fs.FileOperations;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import com.github.luben.zstd.ZstdDecompressCtx;
import net.jpountz.lz4.LZ4Factory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Parses files written by kvstore using only what docs/format.md says: offsets, encodings, the
 * block rule, the hash function (re-implemented here from the document's pseudo-code), slot
 * placement and the manifest layout. A failure means the document and the code disagree.
 */
@RunWith(Parameterized.class)
public final class FormatDocumentationTest {
  private static final long BLOCK_SIZE = 256;
  /** Hash index chunk of 16 slots: every partition's index has several chunks, the last short. */
  private static final long INDEX_CHUNK_BYTES = 128;

  /** Every codec of format versions 2 and 3. */
  @Parameters(name = "codec={0}")
  public static List<Object[]> codecs() {
    return Arrays.asList(new Object[] {"none"}, new Object[] {"lz4"}, new Object[] {"zstd"});
  }

  private final String codec;

  /** @param codec the value codec the store is written with */
  public FormatDocumentationTest(String codec) {
    this.codec = codec;
  }
  private static final double LOAD_FACTOR = 0.75;

  /** The store. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private File dir;
  private NavigableMap<byte[], byte[]> content;

  /** One decoded record. */
  private static final class Record {
    final long offset;
    final byte[] key;
    final byte[] value;
    final int length;

    Record(long offset, byte[] key, byte[] value, int length) {
      this.offset = offset;
      this.key = key;
      this.value = value;
      this.length = length;
    }
  }

  @Before
  public void writeStore() throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 16 * 1024);
    KeyValueConf.INDEX_BLOCK_SIZE.setLong(conf, BLOCK_SIZE);
    KeyValueConf.INDEX_CHUNK_BYTES.setLong(conf, INDEX_CHUNK_BYTES);
    KeyValueConf.COMPRESSION_CODEC.setString(conf, codec);
    // Train on the first 2 KiB of values, so later pairs are written after training.
    KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(conf, 2048);
    dir = new File(tmp.getRoot(), "doc");
    content = StoreTestSupport.model();
    content.put(new byte[0], StoreTestSupport.b("value of the empty key"));
    for (int i = 0; i < 400; i++) {
      int valueLength = i == 7 ? 300 : i % 50;
      // Every third value text-like (compresses), the others random (stored raw).
      content.put(StoreTestSupport.b(String.format("key-%05d", i)), i % 3 == 0
          ? StoreTestSupport.b(String.format("{\"id\":%d,\"name\":\"user-%d\",\"tags\":"
              + "[\"alpha\",\"beta\"],\"score\":%d}", i, i * 7, i % 13))
          : StoreTestSupport.value(i, valueLength));
    }
    byte[] longKey = new byte[130];
    Arrays.fill(longKey, (byte) 0xFE);
    content.put(longKey, new byte[0]);
    KeyValueStoreWriter w =
        KeyValueSystem.Factory.create(conf).createStore(new Path(dir.toURI()));
    StoreTestSupport.writeAll(w, content);
  }

  private static long varint(ByteBuffer b, int[] pos) {
    long v = 0;
    int shift = 0;
    while (true) {
      int x = b.get(pos[0]++) & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
      shift += 7;
      assertTrue("varint longer than 5 bytes", shift <= 28);
    }
  }

  private static int crc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }

  private static String ascii(byte[] b, int off, int len) {
    return new String(b, off, len, StandardCharsets.US_ASCII);
  }

  /** hash64 exactly as docs/format.md section 5.1 writes it. */
  static long docHash64(byte[] key, long seed) {
    final long p1 = 0x9E3779B97F4A7C15L;
    final long p2 = 0xC2B2AE3D27D4EB4FL;
    final long p3 = 0x165667B19E3779F9L;
    long h = seed ^ ((long) key.length * p1);
    int i = 0;
    for (; i + 8 <= key.length; i += 8) {
      long g = ByteBuffer.wrap(key, i, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      h ^= Long.rotateLeft(g * p2, 31) * p1;
      h = Long.rotateLeft(h, 27) * p1 + p3;
    }
    if (i < key.length) {
      long t = 0;
      for (int j = key.length - 1; j >= i; j--) {
        t = (t << 8) | (key[j] & 0xFF);
      }
      h ^= Long.rotateLeft(t * p2, 31) * p1;
      h = Long.rotateLeft(h, 27) * p1 + p3;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  private static int home(long hash, long slotCount) {
    return (int) (((hash >>> 32) * slotCount) >>> 32);
  }

  @Test
  public void hashFunctionMatchesTheDocumentAndItsTestVectors() {
    long defaultSeed = 0x6B7673746F726531L;
    assertEquals(defaultSeed, (long) (Long) KeyValueConf.HASH_SEED.getDefaultValue());
    String[] keys = {"", "a", "abcdefgh", "hello, world"};
    long[] seed0 = {0x0000000000000000L, 0xff0f30e4aeba46d1L, 0x578e33b6ec91ab58L,
        0x234e4a1bf4e358d4L};
    long[] seedDefault = {0x1bae4d8c86a14bffL, 0x9bf0e8bc9d2177b8L, 0x77512fc2a4c03e32L,
        0xbc3ff14f55e13a5fL};
    for (int i = 0; i < keys.length; i++) {
      byte[] k = StoreTestSupport.b(keys[i]);
      assertEquals(keys[i], seed0[i], KeyHash.hash64(k, 0L));
      assertEquals(keys[i], seedDefault[i], KeyHash.hash64(k, defaultSeed));
      assertEquals(keys[i], seed0[i], docHash64(k, 0L));
    }
    Random random = new Random(5);
    for (int n = 0; n < 2000; n++) {
      byte[] k = new byte[random.nextInt(40)];
      random.nextBytes(k);
      long seed = random.nextLong();
      assertEquals(docHash64(k, seed), KeyHash.hash64(k, seed));
      byte[] framed = new byte[k.length + 6];
      System.arraycopy(k, 0, framed, 3, k.length);
      assertEquals(docHash64(k, seed), KeyHash.hash64(framed, 3, k.length, seed));
      int buckets = 1 + random.nextInt(1000);
      long h = KeyHash.hash64(k, seed);
      assertEquals(home(h, buckets), KeyHash.reduce(h, buckets));
      assertEquals(KeyHash.reduce(h, buckets),
          BucketFunction.KVSTORE_HASH64.bucket(k, 0, k.length, seed, buckets));
      assertEquals((new BytesWritable(k).hashCode() & Integer.MAX_VALUE) % buckets,
          BucketFunction.HADOOP_HASH_PARTITIONER.bucket(k, 0, k.length, 0, buckets));
    }
    assertEquals(1, BucketFunction.KVSTORE_HASH64.id());
    assertEquals(2, BucketFunction.HADOOP_HASH_PARTITIONER.id());
    assertEquals(3, BucketFunction.SPARK_MURMUR3.id());
    // Spark's hash(X'') and hash of other keys, as Spark computes them (the spark module's
    // KeyValueDataSourceTest checks the function against Spark itself over many keys).
    byte[][] sparkKeys = {{}, {'a'}, {'a', 'b', 'c', 'd'}, "kvstore".getBytes(StandardCharsets.US_ASCII),
        {(byte) 0x80, (byte) 0xFF, 0x00, 0x7F, 0x01}};
    int[] sparkHashes = {142593372, 1485273170, -396302900, 31857521, 379776968};
    int[] sparkBuckets = {5, 3, 0, 3, 4};
    for (int i = 0; i < sparkKeys.length; i++) {
      byte[] k = sparkKeys[i];
      assertEquals(sparkHashes[i], BucketFunction.sparkMurmur3(k, 0, k.length, 42));
      assertEquals(sparkBuckets[i], BucketFunction.SPARK_MURMUR3.bucket(k, 0, k.length, 42, 7));
    }
    assertEquals(0xE3069283,
        crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
  }

  @Test
  public void partitionFilesFollowTheDocumentedLayout() throws IOException {
    List<PartitionInfo> infos = parseManifest(Files.readAllBytes(
        new File(dir, StoreLayout.MANIFEST_NAME).toPath()));
    assertTrue(infos.size() >= 2);
    List<Record> all = new ArrayList<>();
    for (int i = 0; i < infos.size(); i++) {
      PartitionInfo info = infos.get(i);
      assertEquals(String.format("part-%05d.kvp", i), info.getFileName());
      byte[] f = Files.readAllBytes(new File(dir, info.getFileName()).toPath());
      assertEquals("manifest size", info.getSizeBytes(), f.length);
      assertEquals("whole-file CRC32C", info.getChecksum(), crc32c(f, 0, f.length));
      List<Record> records = parsePartition(f, BLOCK_SIZE);
      assertEquals(info.getKeyCount(), records.size());
      assertArrayEquals(info.getFirstKey(), records.get(0).key);
      assertArrayEquals(info.getLastKey(), records.get(records.size() - 1).key);
      all.addAll(records);
    }
    assertEquals(content.size(), all.size());
    int i = 0;
    for (Map.Entry<byte[], byte[]> e : content.entrySet()) {
      assertArrayEquals(e.getKey(), all.get(i).key);
      assertArrayEquals(e.getValue(), all.get(i).value);
      i++;
    }
  }

  /** Parses one partition file by the document (either version); returns its records. */
  private List<Record> parsePartition(byte[] f, long blockSize) {
    ByteBuffer le = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    // 3.1 header
    assertEquals("KVSTPART", ascii(f, 0, 8));
    int version = le.getInt(8);
    assertTrue("version " + version, version >= 1 && version <= 3);
    assertEquals(0, le.getInt(12));
    // 3.6 footer: 64 bytes in version 1, 84 in version 2, 104 in version 3; version, magic, CRC
    // are its last 16
    int footerSize = version == 1 ? 64 : version == 2 ? 84 : 104;
    int footer = f.length - footerSize;
    long keyCount = le.getLong(footer);
    int dataEnd = (int) le.getLong(footer + 8);
    int hashIndex = (int) le.getLong(footer + 16);
    long slotCount = le.getLong(footer + 24);
    long seed = le.getLong(footer + 32);
    int maxRecord = le.getInt(footer + 40);
    assertEquals(1, le.getInt(footer + 44));
    int dataStart = 16;
    long pairBytes = -1;
    int maxValue = -1;
    int chunkSlots = 0;
    if (version >= 2) {
      dataStart = (int) le.getLong(footer + 48);
      pairBytes = le.getLong(footer + 56);
      maxValue = le.getInt(footer + 64);
    }
    if (version >= 3) {
      chunkSlots = le.getInt(footer + 68);
      assertEquals(INDEX_CHUNK_BYTES / 8, chunkSlots);
    }
    assertEquals(version, le.getInt(footer + footerSize - 16));
    assertEquals("KVSTPEND", ascii(f, footer + footerSize - 12, 8));
    assertEquals(crc32c(f, footer, footerSize - 4), le.getInt(footer + footerSize - 4));
    assertEquals(KeyValueConf.HASH_SEED.getDefaultValue(), seed);
    assertEquals((long) Math.ceil(keyCount / LOAD_FACTOR) + 1, slotCount);
    int chunks = version >= 3 ? (int) ((slotCount + chunkSlots - 1) / chunkSlots) : 0;
    assertEquals(footer, hashIndex + 8 * slotCount + (version >= 3 ? 4 * chunks + 4 : 4));

    // 3.2 compression section (versions 2 and 3): codec, dictionary length, dictionary, CRC32C
    int codecId = 0;
    byte[] dictionary = new byte[0];
    if (version >= 2) {
      codecId = le.getInt(16);
      int dictionaryLength = le.getInt(20);
      dictionary = Arrays.copyOfRange(f, 24, 24 + dictionaryLength);
      assertEquals(dataStart, 24 + dictionaryLength + 4);
      assertEquals(crc32c(f, 16, 8 + dictionaryLength), le.getInt(24 + dictionaryLength));
      assertEquals(Arrays.asList("none", "lz4", "zstd").indexOf(codec), codecId);
      if (codecId != 2) {
        assertEquals(0, dictionaryLength);
      }
    }

    // 3.3 records
    List<Record> records = new ArrayList<>();
    int[] pos = {dataStart};
    int longest = 0;
    long pairs = 0;
    int longestValue = 0;
    while (pos[0] < dataEnd) {
      int start = pos[0];
      long first = varint(le, pos);
      boolean compressed = version >= 2 && (first & 1) == 1;
      int k = (int) (version >= 2 ? first >>> 1 : first);
      int s = (int) varint(le, pos);
      int v = compressed ? (int) varint(le, pos) : s;
      byte[] key = Arrays.copyOfRange(f, pos[0], pos[0] + k);
      byte[] stored = Arrays.copyOfRange(f, pos[0] + k, pos[0] + k + s);
      pos[0] += k + s;
      assertEquals("record CRC at " + start, crc32c(f, start, pos[0] - start), le.getInt(pos[0]));
      pos[0] += 4;
      byte[] value = compressed ? decompress(codecId, dictionary, stored, v) : stored;
      assertTrue("a compressed record is shorter than raw",
          !compressed || pos[0] - start < 2 + k + v + 4);
      records.add(new Record(start, key, value, pos[0] - start));
      longest = Math.max(longest, pos[0] - start);
      pairs += k + v;
      longestValue = Math.max(longestValue, v);
    }
    assertEquals(dataEnd, pos[0]);
    assertEquals(keyCount, records.size());
    assertEquals(longest, maxRecord);
    if (version >= 2) {
      assertEquals(pairs, pairBytes);
      assertEquals(longestValue, maxValue);
    }

    // 3.4 block index: expected block starts by the documented rule
    List<Record> blockStarts = new ArrayList<>();
    long lastStart = -1;
    for (Record r : records) {
      if (lastStart < 0 || r.offset - lastStart >= blockSize) {
        blockStarts.add(r);
        lastStart = r.offset;
      }
    }
    assertTrue(blockStarts.size() > 1);
    pos[0] = dataEnd;
    assertEquals(blockStarts.size(), le.getInt(pos[0]));
    pos[0] += 4;
    for (Record start : blockStarts) {
      int k = (int) varint(le, pos);
      assertArrayEquals(start.key, Arrays.copyOfRange(f, pos[0], pos[0] + k));
      pos[0] += k;
      assertEquals(start.offset, le.getLong(pos[0]));
      pos[0] += 8;
    }
    int lastKeyLength = (int) varint(le, pos);
    assertArrayEquals(records.get(records.size() - 1).key,
        Arrays.copyOfRange(f, pos[0], pos[0] + lastKeyLength));
    pos[0] += lastKeyLength;
    assertEquals(crc32c(f, dataEnd, pos[0] - dataEnd), le.getInt(pos[0]));
    assertEquals(hashIndex, pos[0] + 4);

    // 3.5 hash index: rebuild it from the document's rules and compare slot by slot
    long[] expected = new long[(int) slotCount];
    for (Record r : records) {
      long h = docHash64(r.key, seed);
      int b = home(h, slotCount);
      while (expected[b] != 0) {
        b = b + 1 == slotCount ? 0 : b + 1;
      }
      expected[b] = ((h & 0xFFFFL) << 48) | r.offset;
    }
    for (int s = 0; s < slotCount; s++) {
      assertEquals("slot " + s, expected[s], le.getLong(hashIndex + 8 * s));
    }
    int slotsEnd = hashIndex + (int) (8 * slotCount);
    if (version >= 3) {
      // 3.5.1 chunk checksum section: a CRC32C per chunk of slots (the last chunk short), then
      // the CRC32C of those; the footer holds hash64 of the first and last key
      assertTrue("chunks " + chunks, chunks > 2 && slotCount % chunkSlots != 0);
      for (int c = 0; c < chunks; c++) {
        int from = hashIndex + 8 * chunkSlots * c;
        int to = Math.min(slotsEnd, from + 8 * chunkSlots);
        assertEquals("chunk " + c, crc32c(f, from, to - from), le.getInt(slotsEnd + 4 * c));
      }
      assertEquals(crc32c(f, slotsEnd, 4 * chunks), le.getInt(slotsEnd + 4 * chunks));
      assertEquals(docHash64(records.get(0).key, seed), le.getLong(footer + 72));
      assertEquals(docHash64(records.get(records.size() - 1).key, seed), le.getLong(footer + 80));
    } else {
      assertEquals(crc32c(f, hashIndex, (int) (8 * slotCount)), le.getInt(slotsEnd));
    }

    // A lookup by hand, as section 3.5 describes it.
    for (Record r : records) {
      assertEquals(r.offset, lookUp(le, hashIndex, slotCount, seed, r.key, f, version));
    }
    assertEquals(-1, lookUp(le, hashIndex, slotCount, seed, StoreTestSupport.b("absent"), f,
        version));
    return records;
  }

  private static long lookUp(ByteBuffer le, int hashIndex, long slotCount, long seed, byte[] key,
      byte[] f, int version) {
    long h = docHash64(key, seed);
    int b = home(h, slotCount);
    while (true) {
      long slot = le.getLong(hashIndex + 8 * b);
      if (slot == 0) {
        return -1;
      }
      if ((slot >>> 48) == (h & 0xFFFF)) {
        int[] pos = {(int) (slot & ((1L << 48) - 1))};
        long first = varint(le, pos);
        int k = (int) (version >= 2 ? first >>> 1 : first);
        if (version >= 2 && (first & 1) == 1) {
          varint(le, pos);
        }
        varint(le, pos);
        if (Arrays.equals(key, Arrays.copyOfRange(f, pos[0], pos[0] + k))) {
          return slot & ((1L << 48) - 1);
        }
      }
      b = b + 1 == slotCount ? 0 : b + 1;
    }
  }

  /**
   * A stored value decompressed as section 3.3 says, with the codec libraries directly: LZ4 block
   * format; zstd frames without magic number, with the section's dictionary.
   */
  private static byte[] decompress(int codecId, byte[] dictionary, byte[] stored, int length) {
    if (codecId == 1) {
      return LZ4Factory.safeInstance().safeDecompressor().decompress(stored, length);
    }
    assertEquals(2, codecId);
    try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
      ctx.setMagicless(true);
      if (dictionary.length > 0) {
        ctx.loadDict(dictionary);
      }
      return ctx.decompress(stored, length);
    }
  }

  /** The version-1 fixture (written before version 2 existed) parses by the version-1 rules. */
  @Test
  public void version1FixtureFollowsTheVersion1Layout() throws IOException {
    File v1 = io.kvstore.VersionOneFixture.copyTo(tmp.newFolder());
    List<PartitionInfo> infos = parseManifest(Files.readAllBytes(
        new File(v1, StoreLayout.MANIFEST_NAME).toPath()));
    long keys = 0;
    for (PartitionInfo info : infos) {
      byte[] f = Files.readAllBytes(new File(v1, info.getFileName()).toPath());
      assertEquals(1, ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
      keys += parsePartition(f, io.kvstore.VersionOneFixture.BLOCK_BYTES).size();
    }
    assertEquals(io.kvstore.VersionOneFixture.expectedContent().size(), keys);
  }

  /** Parses a manifest by section 4; returns its partition entries. */
  private static List<PartitionInfo> parseManifest(byte[] m) throws IOException {
    assertEquals("KVSTMANI", ascii(m, 0, 8));
    ByteBuffer be = ByteBuffer.wrap(m);
    assertEquals(crc32c(m, 0, m.length - 4), be.getInt(m.length - 4));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(m, 8, m.length - 12));
    assertEquals(1, in.readInt());
    in.readLong();
    assertEquals(0, in.readByte());
    assertEquals(0, in.readInt());
    assertEquals(0, in.readLong());
    assertEquals(0, in.readInt());
    int properties = in.readInt();
    for (int i = 0; i < properties; i++) {
      in.readUTF();
      in.readUTF();
    }
    int count = in.readInt();
    List<PartitionInfo> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      long keys = in.readLong();
      long size = in.readLong();
      byte[] first = new byte[in.readInt()];
      in.readFully(first);
      byte[] last = new byte[in.readInt()];
      in.readFully(last);
      int crc = in.readInt();
      int bucket = in.readInt();
      assertEquals(PartitionInfo.NO_BUCKET, bucket);
      out.add(new PartitionInfo(name, keys, size, first, last, crc, bucket));
    }
    assertEquals("bytes after the partition list", 0, in.available());
    return out;
  }

  @Test
  public void bucketRoutedManifestFieldsSitAtTheDocumentedOffsets() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("job", "j\u00e9");
    PartitionInfo p = new PartitionInfo("p.kvp", 3, 99, new byte[] {1}, new byte[] {2, 3},
        0x01020304, 2);
    StoreManifest manifest = new StoreManifest(
        Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 77, 5),
        Collections.singletonList(p), props);
    byte[] m = manifest.toBytes();
    ByteBuffer be = ByteBuffer.wrap(m);
    assertEquals("KVSTMANI", ascii(m, 0, 8));
    assertEquals(1, be.getInt(8));
    assertEquals(manifest.getCreatedMillis(), be.getLong(12));
    assertEquals(1, m[20]);
    assertEquals(2, be.getInt(21));
    assertEquals(77, be.getLong(25));
    assertEquals(5, be.getInt(33));
    assertEquals(1, be.getInt(37));
    int pos = 41;
    assertEquals(3, be.getShort(pos));
    assertEquals("job", ascii(m, pos + 2, 3));
    pos += 5;
    assertEquals(3, be.getShort(pos));
    assertEquals("j\u00e9", new String(m, pos + 2, 3, StandardCharsets.UTF_8));
    pos += 5;
    assertEquals(1, be.getInt(pos));
    pos += 4;
    assertEquals(5, be.getShort(pos));
    assertEquals("p.kvp", ascii(m, pos + 2, 5));
    pos += 7;
    assertEquals(3, be.getLong(pos));
    assertEquals(99, be.getLong(pos + 8));
    assertEquals(1, be.getInt(pos + 16));
    assertEquals(1, m[pos + 20]);
    assertEquals(2, be.getInt(pos + 21));
    assertEquals(2, m[pos + 25]);
    assertEquals(3, m[pos + 26]);
    assertEquals(0x01020304, be.getInt(pos + 27));
    assertEquals(2, be.getInt(pos + 31));
    assertEquals(m.length - 4, pos + 35);
    assertEquals(crc32c(m, 0, m.length - 4), be.getInt(m.length - 4));
    StoreManifest parsed = StoreManifest.parse(m, "test");
    assertEquals(manifest.getRouting(), parsed.getRouting());
    assertEquals(manifest.getPartitions(), parsed.getPartitions());
  }

  @Test
  public void commitLeavesOnlyPartitionsAndTheManifest() throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(new Path(dir.toURI()))) {
      String name = st.getPath().getName();
      assertTrue(name, name.equals(StoreLayout.MANIFEST_NAME)
          || name.matches("part-\\d{5}\\.kvp"));
    }
    assertEquals(StoreLayout.State.COMPLETE,
        StoreLayout.stateOf(FileOperations.of(fs), new Path(dir.toURI())));
    // A temporary manifest is not a manifest: a directory of nothing but kvstore temporaries is
    // the leftover of a failed writer (incomplete, deletable); a foreign file makes it no store.
    Path other = new Path(new File(tmp.getRoot(), "other").toURI());
    FileOperations ops = FileOperations.of(fs);
    ops.mkdirs(other);
    assertEquals(StoreLayout.State.NOT_A_STORE, StoreLayout.stateOf(FileOperations.of(fs), other));
    ops.create(new Path(other, StoreLayout.TEMP_PREFIX + "manifest-x"), false).close();
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(fs), other));
    ops.create(new Path(other, "notes.txt"), false).close();
    assertEquals(StoreLayout.State.NOT_A_STORE, StoreLayout.stateOf(FileOperations.of(fs), other));
    ops.create(new Path(other, StoreLayout.INCOMPLETE_MARKER_NAME), false).close();
    assertEquals(StoreLayout.State.INCOMPLETE, StoreLayout.stateOf(FileOperations.of(fs), other));
  }
}
