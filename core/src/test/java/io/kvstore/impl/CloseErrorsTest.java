package io.kvstore.impl;

import static io.kvstore.StoreTestSupport.model;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreTestSupport;
import io.kvstore.format.PartitionScanner;
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * When several streams fail to close, none of the errors is lost: the first is thrown and every
 * other one is suppressed on it ({@link Closer}). Streams fail on close only while
 * {@link #FAIL} is set, so stores can be written and opened first.
 */
public class CloseErrorsTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** Whether input streams fail on close now. */
  static final AtomicBoolean FAIL = new AtomicBoolean();
  /** Closes that failed since the test began. */
  static final AtomicInteger FAILURES = new AtomicInteger();

  @After
  public void stopFailing() {
    FAIL.set(false);
  }

  /** A stream over {@code in} that closes it, then fails while {@link #FAIL} is set. */
  static FSDataInputStream failingOnClose(FSDataInputStream in, Path file) {
    return new FSDataInputStream(in) {
      @Override
      public void close() throws IOException {
        super.close();
        if (FAIL.get()) {
          throw new IOException("close failed #" + FAILURES.incrementAndGet() + ": " + file);
        }
      }
    };
  }

  /** The local filesystem over a raw one whose input streams fail on close while told to. */
  public static final class FailingCloseLocalFileSystem extends LocalFileSystem {
    /** A local filesystem over the failing raw one. */
    public FailingCloseLocalFileSystem() {
      super(new RawLocalFileSystem() {
        @Override
        public FSDataInputStream open(Path f, int bufferSize) throws IOException {
          return failingOnClose(super.open(f, bufferSize), f);
        }
      });
    }
  }

  /** Every error the failure carries: itself and those suppressed on it. */
  private static int carried(IOException e) {
    assertTrue(e.getMessage(), e.getMessage().startsWith("close failed #"));
    for (Throwable s : e.getSuppressed()) {
      assertTrue(s.getMessage(), s.getMessage().startsWith("close failed #"));
    }
    return 1 + e.getSuppressed().length;
  }

  @Test
  public void aMergedScanWhoseStreamsAllFailToCloseCarriesEveryError() throws Exception {
    Configuration conf = new Configuration();
    byte[][] firstKeys = new byte[3][];
    List<Path> files = StoreIteratorTest.interleavedStores(conf,
        new Path(tmp.getRoot().toURI()), 300, firstKeys);
    FileSystem raw = FileSystem.getLocal(conf).getRawFileSystem();
    int before = FAILURES.get();
    // A merge over three partitions, all open at once, through streams that fail on close.
    FileSystem failing = new FailingCloseLocalFileSystem();
    failing.initialize(raw.getUri(), conf);
    FileSystem failingRaw = ((LocalFileSystem) failing).getRawFileSystem();
    StoreIterator merged = new StoreIterator(new int[] {0, 1, 2}, firstKeys,
        i -> new BoundedScan(PartitionScanner.open(FileOperations.of(failingRaw), files.get(i), conf, null), null),
        () -> { });
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(StoreIteratorTest.text("k%06d", i), merged.next().getKey());
    }
    assertEquals(3, merged.openScans());
    FAIL.set(true);
    IOException e = StoreTestSupport.expect(IOException.class, merged::close);
    assertEquals("every failed close is carried", FAILURES.get() - before, carried(e));
    assertEquals(3, FAILURES.get() - before);
  }

  @Test
  public void closingAReaderWithTwoOpenIteratorsCarriesEveryError() throws Exception {
    Configuration conf = new Configuration();
    conf.setClass("fs.file.impl", FailingCloseLocalFileSystem.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
    Path store = new Path(new Path(tmp.getRoot().toURI()), "store");
    NavigableMap<byte[], byte[]> content = model();
    for (int i = 0; i < 200; i++) {
      content.put(StoreIteratorTest.text("k%06d", i), StoreIteratorTest.text("value %d", i));
    }
    StoreTestSupport.writeAll(kvs.createStore(store), content);
    KeyValueStoreReader reader = kvs.openStore(store);
    assertEquals(content.size(), reader.size());
    KeyValueIterator first = reader.iterator();
    KeyValueIterator second = reader.iterator();
    first.next();
    second.next();
    int before = FAILURES.get();
    FAIL.set(true);
    IOException e = StoreTestSupport.expect(IOException.class, reader::close);
    int failed = FAILURES.get() - before;
    assertTrue("both iterators' streams failed to close: " + failed, failed >= 2);
    assertEquals("every failed close is carried", failed, carried(e));
  }
}
