package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.assertStoreContent;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.bytes;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.StoreLayout;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.NavigableMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The writer's contract on the local filesystem: input checks, states, limits, rollover. */
public final class KeyValueStoreWriterTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private Path store;
  private KeyValueSystem kvs;

  @Before
  public void setUp() throws Exception {
    store = new Path(new File(tmp.getRoot(), "store").toURI());
    kvs = KeyValueSystem.Factory.create(new Configuration());
  }

  private static KeyValueSystem withPartitionMax(long bytes) {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, bytes);
    return KeyValueSystem.Factory.create(conf);
  }

  @Test
  public void putCloseGet() throws Exception {
    NavigableMap<byte[], byte[]> content = model();
    content.put(b("apple"), b("red"));
    content.put(b("banana"), b("yellow"));
    content.put(b("cherry"), b("dark red"));
    KeyValueStoreWriter w = kvs.createStore(store);
    writeAll(w, content);
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertStoreContent(content, r);
      assertNull(r.get(b("apricot")));
    }
  }

  @Test
  public void storeIsInvisibleUntilClose() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(b("a"), b("1"));
    expect(IncompleteStoreException.class, () -> kvs.openStore(store));
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertArrayEquals(b("1"), r.get(b("a")));
    }
  }

  @Test
  public void sizeCountsAcceptedPairsOnly() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    assertEquals(0, w.size());
    w.put(b("a"), b("1"));
    w.put(b("b"), b("2"));
    expect(IllegalArgumentException.class, () -> w.put(b("a"), b("3")));
    assertEquals(2, w.size());
    w.close();
  }

  @Test
  public void cancelRemovesTheStore() throws Exception {
    KeyValueStoreWriter w = withPartitionMax(1024).createStore(store);
    for (int i = 0; i < 200; i++) {
      w.put(b(String.format("k%05d", i)), value(i, 20));
    }
    w.cancel();
    assertFalse(store.getFileSystem(new Configuration()).exists(store));
    expect(StoreNotFoundException.class, () -> kvs.openStore(store));
  }

  @Test
  public void keyOutOfOrderNamesBothKeysEscaped() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(bytes(0x01, 'x', 0xFF), b("first"));
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> w.put(bytes(0x00, '\\'), b("second")));
    assertContains(e.getMessage(), "\"\\x01x\\xFF\"", "\"\\x00\\\\\"");
    w.put(bytes(0x02), b("third"));
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertEquals(2, r.size());
      assertArrayEquals(b("first"), r.get(bytes(0x01, 'x', 0xFF)));
      assertArrayEquals(b("third"), r.get(bytes(0x02)));
      assertNull(r.get(bytes(0x00, '\\')));
    }
  }

  @Test
  public void keyOrderIsUnsignedNotSigned() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(bytes(0x80), b("high"));
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> w.put(bytes(0x7F), b("low")));
    assertContains(e.getMessage(), "\\x7F", "\\x80");
    w.cancel();
  }

  @Test
  public void repeatedKeyIsRefusedNamingIt() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(b("dup\n"), b("1"));
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> w.put(b("dup\n"), b("2")));
    assertContains(e.getMessage(), "\"dup\\x0A\"");
    w.put(b("dup\n1"), b("3"));
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertArrayEquals(b("1"), r.get(b("dup\n")));
      assertArrayEquals(b("3"), r.get(b("dup\n1")));
    }
  }

  @Test
  public void writerCanBeCancelledAfterARefusedKey() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(b("b"), b("1"));
    expect(IllegalArgumentException.class, () -> w.put(b("a"), b("2")));
    w.cancel();
    assertFalse(store.getFileSystem(new Configuration()).exists(store));
  }

  @Test
  public void keyOrderIsCheckedAcrossPartitionBoundaries() throws Exception {
    KeyValueStoreWriter w = withPartitionMax(400).createStore(store);
    for (int i = 0; i < 40; i++) {
      w.put(b(String.format("k%03d", i)), value(i, 30));
    }
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> w.put(b("k039"), b("again")));
    assertContains(e.getMessage(), "k039");
    expect(IllegalArgumentException.class, () -> w.put(b("k000"), b("again")));
    w.put(b("k040"), b("last"));
    w.close();
    try (KeyValueStoreReader r = withPartitionMax(400).openStore(store)) {
      assertTrue(r.partitions().size() > 2);
      assertEquals(41, r.size());
    }
  }

  @Test
  public void nullKeyIsRefused() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    expect(NullPointerException.class, () -> w.put((byte[]) null, b("v")));
    expect(NullPointerException.class, () -> w.put((ByteBuffer) null, ByteBuffer.allocate(0)));
    w.put(b("k"), b("v"));
    w.close();
  }

  @Test
  public void nullValueIsRefused() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    expect(NullPointerException.class, () -> w.put(b("k"), (byte[]) null));
    expect(NullPointerException.class, () -> w.put(ByteBuffer.wrap(b("k")), null));
    w.put(b("k"), b("v"));
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertEquals(1, r.size());
    }
  }

  @Test
  public void emptyKeyAndEmptyValueAreLegal() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(new byte[0], b("for the empty key"));
    w.put(b("a"), new byte[0]);
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertArrayEquals(b("for the empty key"), r.get(new byte[0]));
      byte[] empty = r.get(b("a"));
      assertArrayEquals(new byte[0], empty);
      assertNull(r.get(b("b")));
      assertEquals(0, r.get(ByteBuffer.wrap(b("a"))).remaining());
    }
  }

  @Test
  public void putAfterCloseIsIllegalState() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(b("a"), b("1"));
    w.close();
    expect(IllegalStateException.class, () -> w.put(b("b"), b("2")));
    expect(IllegalStateException.class,
        () -> w.put(ByteBuffer.wrap(b("b")), ByteBuffer.wrap(b("2"))));
  }

  @Test
  public void putAfterCancelIsIllegalState() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    w.put(b("a"), b("1"));
    w.cancel();
    expect(IllegalStateException.class, () -> w.put(b("b"), b("2")));
  }

  @Test
  public void writerCopiesTheCallersArrays() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    byte[] key = b("a1");
    byte[] val = b("v1");
    w.put(key, val);
    key[1] = '2';
    val[1] = '2';
    w.put(key, val);
    key[0] = 'b';
    val[0] = 'w';
    w.put(key, val);
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertArrayEquals(b("v1"), r.get(b("a1")));
      assertArrayEquals(b("v2"), r.get(b("a2")));
      assertArrayEquals(b("w2"), r.get(b("b2")));
    }
  }

  @Test
  public void byteBufferPutReadsRemainingBytesWithoutMovingPositions() throws Exception {
    KeyValueStoreWriter w = kvs.createStore(store);
    ByteBuffer key = ByteBuffer.wrap(b("xxkey1yy"));
    key.position(2).limit(6);
    ByteBuffer val = ByteBuffer.allocateDirect(8);
    val.put(b("--val1--"));
    val.position(2).limit(6);
    w.put(key, val);
    assertEquals(2, key.position());
    assertEquals(2, val.position());
    ByteBuffer key2 = ByteBuffer.allocateDirect(4).put(b("key2"));
    key2.flip();
    w.put(key2, ByteBuffer.wrap(new byte[0]));
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertArrayEquals(b("val1"), r.get(b("key1")));
      assertArrayEquals(new byte[0], r.get(b("key2")));
      ByteBuffer lookup = ByteBuffer.wrap(b("__key1"));
      lookup.position(2);
      assertEquals(ByteBuffer.wrap(b("val1")), r.get(lookup));
      assertEquals(2, lookup.position());
      assertNull(r.get(ByteBuffer.wrap(b("key3"))));
    }
  }

  @Test
  public void pairLargerThanAPartitionIsRefusedWithSizes() throws Exception {
    KeyValueStoreWriter w = withPartitionMax(4096).createStore(store);
    w.put(b("a"), b("small"));
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> w.put(b("big"), new byte[5000]));
    assertContains(e.getMessage(), "key 3 bytes", "value 5000 bytes");
    w.put(b("big"), new byte[100]);
    w.close();
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertEquals(2, r.size());
      assertArrayEquals(new byte[100], r.get(b("big")));
    }
  }

  @Test
  public void pairsRollIntoNewPartitionsWithinTheLimit() throws Exception {
    long limit = 1024 * 1024;
    KeyValueSystem small = withPartitionMax(limit);
    NavigableMap<byte[], byte[]> content = model();
    for (int i = 0; i < 10; i++) {
      content.put(b("key" + i), value(i, 512 * 1024));
    }
    writeAll(small.createStore(store), content);
    FileSystem fs = store.getFileSystem(new Configuration());
    int files = 0;
    for (FileStatus st : fs.listStatus(store)) {
      if (st.getPath().getName().endsWith(StoreLayout.PARTITION_EXTENSION)) {
        files++;
        assertTrue(st.getPath() + ": " + st.getLen(), st.getLen() <= limit);
      }
    }
    assertEquals(10, files);
    try (KeyValueStoreReader r = small.openStore(store)) {
      assertEquals(10, r.partitions().size());
      assertStoreContent(content, r);
    }
  }

  @Test
  public void keyLargerThanTheKeyLimitIsRefused() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.KEY_SIZE_MAX.setLong(conf, 16);
    KeyValueStoreWriter w = KeyValueSystem.Factory.create(conf).createStore(store);
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> w.put(new byte[17], b("v")));
    assertContains(e.getMessage(), "17 bytes");
    w.put(new byte[16], b("v"));
    w.close();
  }

  @Test
  public void pairThatExactlyFillsAPartitionIsAcceptedAndOneByteLessIsNot() throws Exception {
    byte[] key = b("exact");
    byte[] val = value(9, 1000);
    Path probe = new Path(new File(tmp.getRoot(), "probe").toURI());
    try (KeyValueStoreWriter w = kvs.createStore(probe)) {
      w.put(key, val);
    }
    long size;
    try (KeyValueStoreReader r = kvs.openStore(probe)) {
      size = r.partitions().get(0).getSizeBytes();
    }
    KeyValueStoreWriter tooSmall = withPartitionMax(size - 1).createStore(store);
    IllegalArgumentException e =
        expect(IllegalArgumentException.class, () -> tooSmall.put(key, val));
    assertContains(e.getMessage(), "key 5 bytes", "value 1000 bytes");
    tooSmall.cancel();
    KeyValueSystem exact = withPartitionMax(size);
    try (KeyValueStoreWriter w = exact.createStore(store)) {
      w.put(key, val);
      w.put(b("exacu"), val);
    }
    try (KeyValueStoreReader r = exact.openStore(store)) {
      assertEquals(2, r.partitions().size());
      for (PartitionInfo p : r.partitions()) {
        assertTrue(p.getSizeBytes() <= size);
      }
      assertEquals(size, r.partitions().get(0).getSizeBytes());
      assertArrayEquals(val, r.get(key));
      assertArrayEquals(val, r.get(b("exacu")));
    }
  }
}
