package io.kvstore.impl;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import io.kvstore.CountingLocalFileSystem;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A {@link HadoopKeyValueSystem} looks Hadoop's own local filesystem up once and keeps its
 * operations (an open's cold {@code FileSystem.get} was about a tenth of it); other filesystems,
 * and subclasses of the local one, are looked up on every call.
 */
public class LocalFileSystemLookupTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** Hadoop makes a new filesystem on every lookup: only the system's own keeping reuses one. */
  private static Configuration uncached() {
    Configuration conf = new Configuration();
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  @Test
  public void theLocalFilesystemIsLookedUpOncePerSystem() throws IOException {
    HadoopKeyValueSystem system = new HadoopKeyValueSystem(uncached());
    Path a = new Path(new Path(tmp.getRoot().toURI()), "a");
    Path b = new Path(new Path(tmp.getRoot().toURI()), "b");
    assertSame(system.opsFor(a), system.opsFor(b));
  }

  @Test
  public void pathsWithoutSchemeOnALocalDefaultFilesystemAreLookedUpOnce() throws IOException {
    HadoopKeyValueSystem system = new HadoopKeyValueSystem(uncached());
    Path a = new Path(tmp.getRoot().getAbsolutePath(), "a");
    Path b = new Path(tmp.getRoot().getAbsolutePath(), "b");
    assertSame(system.opsFor(a), system.opsFor(b));
  }

  @Test
  public void aSubclassOfTheLocalFilesystemIsLookedUpOnEveryCall() throws IOException {
    HadoopKeyValueSystem system =
        new HadoopKeyValueSystem(CountingLocalFileSystem.install(new Configuration()));
    Path a = new Path(new Path(tmp.getRoot().toURI()), "a");
    assertNotSame(system.opsFor(a), system.opsFor(a));
  }

  @Test
  public void aStoreStillOpensAfterHadoopClosedItsLocalFilesystem() throws IOException {
    Configuration conf = new Configuration();
    HadoopKeyValueSystem system = new HadoopKeyValueSystem(conf);
    Path store = new Path(new Path(tmp.getRoot().toURI()), "store");
    byte[] key = "key".getBytes(StandardCharsets.UTF_8);
    byte[] value = "value".getBytes(StandardCharsets.UTF_8);
    KeyValueStoreWriter writer = system.createStore(store);
    writer.put(key, value);
    writer.close();
    // The instance the system found (Hadoop's cache gives the same one to this lookup) is closed
    // and dropped from Hadoop's cache, as FileSystem.closeAll does at shutdown.
    FileSystem.get(store.toUri(), conf).close();
    try (KeyValueStoreReader reader = system.openStore(store)) {
      assertArrayEquals(value, reader.get(key));
    }
  }
}
