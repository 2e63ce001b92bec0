package io.kvstore;

import static io.kvstore.StoreTestSupport.assertContains;
import static io.kvstore.StoreTestSupport.b;
import static io.kvstore.StoreTestSupport.drain;
import static io.kvstore.StoreTestSupport.expect;
import static io.kvstore.StoreTestSupport.model;
import static io.kvstore.StoreTestSupport.value;
import static io.kvstore.StoreTestSupport.writeAll;
import static org.junit.Assert.assertTrue;

import io.kvstore.format.StoreLayout;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.NavigableMap;
import java.util.Random;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Files that are not what the store expects in their place: each must give an IOException naming
 * the file and saying what is wrong, never data.
 */
public final class ForeignFilesTest {
  /** The store. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private KeyValueSystem kvs;
  private File dir;
  private Path store;
  private NavigableMap<byte[], byte[]> content;

  @Before
  public void writeStore() throws IOException {
    Configuration conf = new Configuration();
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 1024);
    kvs = KeyValueSystem.Factory.create(conf);
    dir = new File(tmp.getRoot(), "store");
    store = new Path(dir.toURI());
    content = model();
    for (int i = 0; i < 60; i++) {
      content.put(b(String.format("f%03d", i)), value(i, 20));
    }
    writeAll(kvs.createStore(store), content);
    for (File f : dir.listFiles()) {
      if (f.getName().endsWith(".crc")) {
        Files.delete(f.toPath());
      }
    }
  }

  private File firstPartition() {
    File f = new File(dir, firstPartitionName());
    assertTrue(f.isFile());
    return f;
  }

  private String firstPartitionName() {
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      assertTrue(r.partitions().size() > 1);
      return r.partitions().get(0).getFileName();
    } catch (IOException e) {
      throw new AssertionError("pristine store must open", e);
    }
  }

  /** Opens the store and reads everything; returns the first IOException. */
  private IOException readEverything() {
    return expect(IOException.class, () -> {
      try (KeyValueStoreReader r = kvs.openStore(store)) {
        for (byte[] k : content.keySet()) {
          r.get(k);
        }
        drain(r.iterator());
      }
    });
  }

  @Test
  public void randomBytesNamedLikeAPartitionOfTheSameLength() throws Exception {
    File f = firstPartition();
    byte[] noise = new byte[(int) f.length()];
    new Random(1).nextBytes(noise);
    Files.write(f.toPath(), noise);
    IOException e = readEverything();
    assertTrue(e.toString(), e instanceof CorruptStoreException);
    assertContains(e.getMessage(), f.getName());
  }

  @Test
  public void randomBytesNamedLikeAPartitionOfAnotherLength() throws Exception {
    File f = firstPartition();
    byte[] noise = new byte[4096];
    new Random(2).nextBytes(noise);
    Files.write(f.toPath(), noise);
    assertContains(readEverything().getMessage(), f.getName());
  }

  @Test
  public void textFileInPlaceOfAPartition() throws Exception {
    File f = firstPartition();
    byte[] text = new byte[(int) f.length()];
    java.util.Arrays.fill(text, (byte) 'x');
    Files.write(f.toPath(), text);
    IOException e = readEverything();
    assertTrue(e.toString(), e instanceof CorruptStoreException);
    assertContains(e.getMessage(), f.getName(), "not a kvstore partition");
  }

  @Test
  public void partitionOfAFutureFormatVersion() throws Exception {
    File f = firstPartition();
    byte[] bytes = Files.readAllBytes(f.toPath());
    bytes[8] = 4;
    Files.write(f.toPath(), bytes);
    IOException e = readEverything();
    assertTrue(e.toString(), e instanceof CorruptStoreException);
    assertContains(e.getMessage(), f.getName(), "version 4", "versions 1 to 3");
  }

  @Test
  public void partitionWithUnknownHeaderFlags() throws Exception {
    File f = firstPartition();
    byte[] bytes = Files.readAllBytes(f.toPath());
    bytes[12] = 1;
    Files.write(f.toPath(), bytes);
    IOException e = readEverything();
    assertTrue(e.toString(), e instanceof CorruptStoreException);
    assertContains(e.getMessage(), f.getName(), "flags");
  }

  @Test
  public void missingPartitionFile() throws Exception {
    File f = firstPartition();
    Files.delete(f.toPath());
    assertContains(readEverything().getMessage(), f.getName());
  }

  @Test
  public void manifestOfAnotherFormat() throws Exception {
    File manifest = new File(dir, StoreLayout.MANIFEST_NAME);
    Files.write(manifest.toPath(), b("{\"format\": \"something else\", \"partitions\": []}\n"));
    CorruptStoreException e =
        expect(CorruptStoreException.class, () -> kvs.openStore(store));
    assertContains(e.getMessage(), StoreLayout.MANIFEST_NAME, "not a kvstore manifest");
  }

  @Test
  public void emptyManifest() throws Exception {
    File manifest = new File(dir, StoreLayout.MANIFEST_NAME);
    Files.write(manifest.toPath(), new byte[0]);
    CorruptStoreException e =
        expect(CorruptStoreException.class, () -> kvs.openStore(store));
    assertContains(e.getMessage(), StoreLayout.MANIFEST_NAME);
  }

  @Test
  public void manifestOfAFutureFormatVersion() throws Exception {
    File manifest = new File(dir, StoreLayout.MANIFEST_NAME);
    byte[] bytes = Files.readAllBytes(manifest.toPath());
    bytes[11] = 2;
    // A well-formed future manifest: its own checksum is right.
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    new DataOutputStream(tail).writeInt((int) crc.getValue());
    System.arraycopy(tail.toByteArray(), 0, bytes, bytes.length - 4, 4);
    Files.write(manifest.toPath(), bytes);
    CorruptStoreException e =
        expect(CorruptStoreException.class, () -> kvs.openStore(store));
    assertContains(e.getMessage(), StoreLayout.MANIFEST_NAME, "version 2");
  }

  @Test
  public void manifestReplacedByADirectory() throws Exception {
    File manifest = new File(dir, StoreLayout.MANIFEST_NAME);
    Files.delete(manifest.toPath());
    assertTrue(manifest.mkdir());
    IOException e = expect(IOException.class, () -> kvs.openStore(store));
    assertContains(e.getMessage(), StoreLayout.MANIFEST_NAME);
  }

  @Test
  public void partitionSwappedWithAnotherValidPartition() throws Exception {
    String first = firstPartitionName();
    String second;
    try (KeyValueStoreReader r = kvs.openStore(store)) {
      second = r.partitions().get(1).getFileName();
    }
    File a = new File(dir, first);
    File c = new File(dir, second);
    byte[] bytesA = Files.readAllBytes(a.toPath());
    byte[] bytesC = Files.readAllBytes(c.toPath());
    Files.write(a.toPath(), bytesC);
    Files.write(c.toPath(), bytesA);
    IOException e = readEverything();
    assertTrue(e.getMessage(), e.getMessage().contains(first) || e.getMessage().contains(second));
  }
}
