package io.kvstore.format;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.StoreTestSupport;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Per-record compression of format version 2: text-like values shrink under a trained zstd
 * dictionary and read back exactly on every read path; random values are stored raw and cost
 * nothing; a damaged or undecodable dictionary is a {@link CorruptStoreException} naming the file;
 * no file exceeds the partition limit while pairs are held back for training.
 */
public final class CompressionTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** A JSON-like value: repeated field names, numbers, a few words. */
  static byte[] textValue(int i) {
    String[] words = {"alpha", "beta", "gamma", "delta", "epsilon"};
    return b(String.format("{\"user_id\":%d,\"name\":\"user-%05d\",\"country\":\"%s\","
        + "\"segments\":[\"%s\",\"%s\"],\"score\":%d.%02d,\"active\":%s}", i * 7919, i,
        i % 3 == 0 ? "SE" : "DE", words[i % 5], words[(i / 5) % 5], i % 1000, i % 100,
        i % 2 == 0));
  }

  private static byte[] key(int i) {
    return b(String.format("key-%012d", i));
  }

  private Configuration conf(String codec) {
    Configuration conf = new Configuration();
    KeyValueConf.COMPRESSION_CODEC.setString(conf, codec);
    return conf;
  }

  private Path write(String name, Configuration conf, NavigableMap<byte[], byte[]> content)
      throws IOException {
    Path store = new Path(new File(tmp.getRoot(), name).toURI());
    StoreTestSupport.writeAll(KeyValueSystem.Factory.create(conf).createStore(store), content);
    return store;
  }

  private static List<PartitionDetails> details(Path store, Configuration conf)
      throws IOException {
    List<PartitionDetails> out = new ArrayList<>();
    try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf).openStore(store);
        ReadContext context = new ReadContext(FileOperations.forPath(store, conf), conf)) {
      for (PartitionInfo p : r.partitions()) {
        try (PartitionReader pr = PartitionReader.open(context, p.getPath(), p)) {
          out.add(pr.details());
        }
      }
    }
    return out;
  }

  private static NavigableMap<byte[], byte[]> textContent(int n) {
    NavigableMap<byte[], byte[]> m = StoreTestSupport.model();
    for (int i = 0; i < n; i++) {
      m.put(key(i), textValue(i));
    }
    return m;
  }

  private static void assertReadsBack(Path store, Configuration conf,
      NavigableMap<byte[], byte[]> content) throws IOException {
    for (boolean mmap : new boolean[] {true, false}) {
      Configuration c = new Configuration(conf);
      KeyValueConf.READ_MMAP.setBoolean(c, mmap);
      try (KeyValueStoreReader r = KeyValueSystem.Factory.create(c).openStore(store)) {
        assertStoreContent(content, r);
      }
    }
  }

  @Test
  public void textValuesShrinkUnderATrainedDictionaryAndReadBack() throws Exception {
    Configuration conf = conf("zstd");
    // Train on the first 64 KiB: the pairs held back and those after are both covered.
    KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(conf, 64 * 1024);
    NavigableMap<byte[], byte[]> content = textContent(5000);
    Path store = write("zstd", conf, content);
    assertReadsBack(store, conf, content);
    List<PartitionDetails> d = details(store, conf);
    assertEquals(1, d.size());
    PartitionDetails p = d.get(0);
    assertEquals(PartitionFormat.FORMAT_VERSION, p.formatVersion());
    assertEquals(Compression.Codec.ZSTD, p.codec());
    assertTrue("dictionary " + p.dictionaryBytes(), p.dictionaryBytes() > 1024
        && p.dictionaryBytes() <= KeyValueConf.COMPRESSION_DICTIONARY_BYTES.getLong(conf));
    long raw = 0;
    for (Map.Entry<byte[], byte[]> e : content.entrySet()) {
      raw += e.getKey().length + e.getValue().length;
    }
    assertEquals(raw, p.pairBytes());
    assertTrue("data " + p.dataBytes() + " of " + raw + " pair bytes",
        p.dataBytes() * 2 < raw);
  }

  @Test
  public void fastNegativeLevelsCompressAndReadBack() throws Exception {
    // The default is one of zstd's fast (negative) levels; the setting takes the whole range.
    assertEquals(-2, KeyValueConf.COMPRESSION_LEVEL.getInt(new Configuration()));
    NavigableMap<byte[], byte[]> content = textContent(2000);
    long previous = Long.MAX_VALUE;
    for (int level : new int[] {-131072, -7, -2, 1, 3}) {
      Configuration conf = conf("zstd");
      KeyValueConf.COMPRESSION_LEVEL.setLong(conf, level);
      Path store = write("level" + level, conf, content);
      assertReadsBack(store, conf, content);
      if (level == -131072) {
        // zstd's fastest level barely compresses: accepted, stored (mostly raw) and read back.
        continue;
      }
      PartitionDetails p = details(store, conf).get(0);
      assertEquals(Compression.Codec.ZSTD, p.codec());
      assertTrue("level " + level + ": " + p.dataBytes() + " of " + p.pairBytes(),
          p.dataBytes() * 10 < p.pairBytes() * 9);
      // Slower levels never give larger records on these values.
      assertTrue("level " + level + ": " + p.dataBytes() + " > " + previous,
          p.dataBytes() <= previous);
      previous = p.dataBytes();
    }
  }

  @Test
  public void lz4AndNoneReadBack() throws Exception {
    NavigableMap<byte[], byte[]> content = textContent(2000);
    for (String codec : new String[] {"lz4", "none"}) {
      Configuration conf = conf(codec);
      Path store = write(codec, conf, content);
      assertReadsBack(store, conf, content);
      PartitionDetails p = details(store, conf).get(0);
      assertEquals(Compression.Codec.parse(codec), p.codec());
      assertEquals(0, p.dictionaryBytes());
    }
  }

  @Test
  public void mergedStoreHoldsPartitionsOfEveryCodecAndDictionary() throws Exception {
    NavigableMap<byte[], byte[]> all = StoreTestSupport.model();
    Path target = null;
    String[] codecs = {"zstd", "lz4", "none", "zstd"};
    for (int c = 0; c < codecs.length; c++) {
      NavigableMap<byte[], byte[]> part = StoreTestSupport.model();
      for (int i = c; i < 2000; i += codecs.length) {
        part.put(key(i), textValue(i));
      }
      all.putAll(part);
      Path store = write("merge-" + c, conf(codecs[c]), part);
      if (target == null) {
        target = store;
      } else {
        KeyValueSystem.Factory.create(conf("none")).mergeStore(store, target);
      }
    }
    assertReadsBack(target, conf("none"), all);
    List<PartitionDetails> d = details(target, conf("none"));
    assertEquals(4, d.size());
    // Two zstd partitions, each with its own dictionary, beside lz4 and none.
    int dictionaries = 0;
    for (PartitionDetails p : d) {
      dictionaries += p.dictionaryBytes() > 0 ? 1 : 0;
    }
    assertEquals(2, dictionaries);
  }

  private static NavigableMap<byte[], byte[]> randomContent(int n, int valueLength) {
    NavigableMap<byte[], byte[]> content = StoreTestSupport.model();
    Random random = new Random(7);
    for (int i = 0; i < n; i++) {
      byte[] v = new byte[valueLength];
      random.nextBytes(v);
      content.put(key(i), v);
    }
    return content;
  }

  @Test
  public void incompressiblePartitionIsWrittenWithCodecNoneAndStillRead() throws Exception {
    // More values than the sample: the decision on the sample holds for the pairs after it.
    NavigableMap<byte[], byte[]> content = randomContent(3000, 100);
    Configuration none = conf("none");
    Configuration zstd = conf("zstd");
    KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(zstd, 64 * 1024);
    Path plain = write("none", none, content);
    Path compressed = write("zstd", zstd, content);
    assertReadsBack(compressed, zstd, content);
    PartitionDetails z = details(compressed, zstd).get(0);
    assertEquals(Compression.Codec.NONE, z.codec());
    assertEquals(0, z.dictionaryBytes());
    // Neither a dictionary nor a flagged record: byte for byte the file codec none writes.
    assertArrayEquals(Files.readAllBytes(onlyPartition(plain).toPath()),
        Files.readAllBytes(onlyPartition(compressed).toPath()));
    List<byte[]> scanned = new ArrayList<>();
    try (PartitionScanner s = PartitionScanner.open(FileOperations.forPath(compressed, zstd),
        new Path(onlyPartition(compressed).toURI()), zstd)) {
      while (s.next()) {
        scanned.add(s.copyValue());
      }
    }
    assertArrayEquals(content.values().toArray(), scanned.toArray());
  }

  @Test
  public void shortValuesThatCompressOnlyTogetherAreWrittenWithCodecNone() throws Exception {
    // "value-1", "value-2", ...: laid end to end they shrink several times, but one by one no
    // value of 7 to 10 bytes shrinks, so a dictionary would be pure cost.
    NavigableMap<byte[], byte[]> content = StoreTestSupport.model();
    for (int i = 0; i < 2000; i++) {
      content.put(key(i), b("value-" + i));
    }
    Configuration zstd = conf("zstd");
    Path store = write("short", zstd, content);
    assertReadsBack(store, zstd, content);
    PartitionDetails z = details(store, zstd).get(0);
    assertEquals(Compression.Codec.NONE, z.codec());
    assertEquals(0, z.dictionaryBytes());
  }

  @Test
  public void sampleThatShrinksByASixteenthIsCompressedAndOneThatDoesNotIsNot() {
    // Values of 100 bytes: 97 random then 3 zeros (too short for a match) do not shrink; 60
    // random then 40 zeros shrink by far more than a 16th.
    for (int zeros : new int[] {3, 40}) {
      List<byte[]> sample = new ArrayList<>();
      Random random = new Random(zeros);
      for (int i = 0; i < 200; i++) {
        byte[] v = new byte[100];
        random.nextBytes(v);
        java.util.Arrays.fill(v, 100 - zeros, 100, (byte) 0);
        sample.add(v);
      }
      assertEquals("zeros " + zeros, zeros == 40, Compression.pays(sample));
    }
  }

  @Test
  public void lookupsAlternatingBetweenPartitionsWithTheirOwnDictionariesGetTheirValues()
      throws Exception {
    // Partitions of about 64 KB, each trained on its own values: even keys hold profiles, odd
    // keys log lines, so a value decoded with another partition's dictionary comes out wrong
    // or fails. One thread looks keys up from both ends at once, switching partition (and
    // dictionary) on every lookup.
    Configuration conf = conf("zstd");
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 64 * 1024);
    KeyValueConf.COMPRESSION_DICTIONARY_BYTES.setLong(conf, 2048);
    KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(conf, 8 * 1024);
    NavigableMap<byte[], byte[]> content = StoreTestSupport.model();
    int n = 4000;
    for (int i = 0; i < n; i++) {
      content.put(key(i), i < n / 2 ? textValue(i)
          : b(String.format("10.0.%d.%d - - [03/Dec/2026:15:%02d:%02d +0000] \"GET /item/%d"
              + " HTTP/1.1\" 200 %d \"-\" \"Mozilla/5.0\"", i % 256, i % 100, i % 60, i % 60,
              i * 31, i % 5000)));
    }
    Path store = write("alternating", conf, content);
    List<PartitionDetails> d = details(store, conf);
    assertTrue(d.size() + " partitions", d.size() >= 4);
    for (PartitionDetails p : d) {
      assertEquals(Compression.Codec.ZSTD, p.codec());
      assertTrue(p.dictionaryBytes() > 0);
    }
    byte[][] keys = content.keySet().toArray(new byte[0][]);
    for (boolean mmap : new boolean[] {true, false}) {
      Configuration c = new Configuration(conf);
      KeyValueConf.READ_MMAP.setBoolean(c, mmap);
      try (KeyValueStoreReader r = KeyValueSystem.Factory.create(c).openStore(store)) {
        for (int i = 0; i < n / 2; i++) {
          for (byte[] k : new byte[][] {keys[i], keys[n - 1 - i]}) {
            assertArrayEquals("mmap " + mmap + " key " + new String(k), content.get(k),
                r.get(k));
          }
        }
      }
    }
  }

  @Test
  public void compressionOfEveryCodecIsReadByTheScanner() throws Exception {
    NavigableMap<byte[], byte[]> content = textContent(3000);
    for (String codec : new String[] {"none", "lz4", "zstd"}) {
      Configuration conf = conf(codec);
      KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(conf, 10_000);
      // A small scan buffer: records straddle buffer refills.
      KeyValueConf.READ_BUFFER_SIZE.setLong(conf, 100);
      Path store = write("scan-" + codec, conf, content);
      List<byte[]> values = new ArrayList<>();
      try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf).openStore(store)) {
        for (PartitionInfo p : r.partitions()) {
          try (PartitionScanner s = PartitionScanner.open(FileOperations.forPath(store, conf),
              p.getPath(), conf)) {
            while (s.next()) {
              values.add(s.copyValue());
            }
          }
        }
      }
      assertEquals(content.size(), values.size());
      int i = 0;
      for (byte[] v : content.values()) {
        assertArrayEquals(codec + " value " + i, v, values.get(i++));
      }
    }
  }

  private File onlyPartition(Path store) {
    File dir = new File(store.toUri());
    File[] parts = dir.listFiles((d, n) -> n.endsWith(".kvp"));
    assertEquals(1, parts.length);
    return parts[0];
  }

  private IOException openAndReadAll(Path store, Configuration conf) {
    return expect(IOException.class, () -> {
      try (KeyValueStoreReader r = KeyValueSystem.Factory.create(conf).openStore(store)) {
        StoreTestSupport.drain(r.iterator());
      }
    });
  }

  @Test
  public void damagedDictionaryFailsItsChecksumNamingTheFile() throws Exception {
    Configuration conf = conf("zstd");
    Path store = write("damaged", conf, textContent(2000));
    File f = onlyPartition(store);
    byte[] bytes = Files.readAllBytes(f.toPath());
    assertTrue(dictionaryLength(bytes) > 0);
    bytes[24 + 100] ^= 0x01;
    Files.write(f.toPath(), bytes);
    IOException e = openAndReadAll(store, conf);
    assertTrue(e.toString(), e instanceof CorruptStoreException);
    assertContains(e.getMessage(), f.getName(), "checksum mismatch", "dictionary");
  }

  @Test
  public void undecodableDictionaryIsCorruptEvenWithAValidChecksum() throws Exception {
    Configuration conf = conf("zstd");
    Path store = write("undecodable", conf, textContent(2000));
    File f = onlyPartition(store);
    byte[] bytes = Files.readAllBytes(f.toPath());
    int length = dictionaryLength(bytes);
    // Keep the dictionary magic, ruin its entropy tables, and re-checksum the section: only
    // zstd's own parsing can tell.
    for (int i = 24 + 8; i < 24 + 64; i++) {
      bytes[i] = (byte) 0xFF;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 16, 8 + length);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + length,
        (int) crc.getValue());
    Files.write(f.toPath(), bytes);
    IOException e = openAndReadAll(store, conf);
    assertTrue(e.toString(), e instanceof CorruptStoreException);
    assertContains(e.getMessage(), f.getName(), "dictionary cannot be loaded");
  }

  private static int dictionaryLength(byte[] file) {
    return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(20);
  }

  @Test
  public void noFileExceedsThePartitionLimitWhilePairsAreHeldBack() throws Exception {
    Random random = new Random(42);
    for (long limit : new long[] {2048, 5000, 20_000, 70_000}) {
      Configuration conf = conf("zstd");
      KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, limit);
      KeyValueConf.COMPRESSION_DICTIONARY_BYTES.setLong(conf, 4096);
      KeyValueConf.COMPRESSION_SAMPLE_BYTES.setLong(conf, 3000);
      KeyValueConf.INDEX_BLOCK_SIZE.setLong(conf, 300);
      NavigableMap<byte[], byte[]> content = StoreTestSupport.model();
      for (int i = 0; i < 1500; i++) {
        byte[] v = random.nextInt(4) == 0 ? StoreTestSupport.value(i, random.nextInt(400))
            : textValue(i);
        content.put(key(i), v);
      }
      Path store = write("limit-" + limit, conf, content);
      File[] parts = new File(store.toUri()).listFiles((d, n) -> n.endsWith(".kvp"));
      assertTrue(parts.length > 1);
      for (File p : parts) {
        assertTrue(p.getName() + " of " + p.length() + " bytes, limit " + limit,
            p.length() <= limit);
      }
      assertReadsBack(store, conf, content);
    }
  }
}
