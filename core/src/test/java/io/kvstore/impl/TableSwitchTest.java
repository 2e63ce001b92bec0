package io.kvstore.impl;

import static io.kvstore.TableTestSupport.assertServes;
import static io.kvstore.TableTestSupport.key;
import static io.kvstore.TableTestSupport.value;
import static io.kvstore.TableTestSupport.writeStore;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * No call waits for a switch: while the new version's files are being opened and verified (held
 * open here on purpose), gets, scans and statistics keep answering from the old version.
 */
public class TableSwitchTest {
  private static final int KEYS = 200;

  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** A local filesystem whose opens of version 2's files wait until released. */
  private static final class HeldOpens extends FilterFileSystem {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HeldOpens(Configuration conf) throws IOException {
      super(new RawLocalFileSystem());
      initialize(URI.create("file:///"), conf);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      if (f.toString().contains("/v-00000002/")) {
        reached.countDown();
        try {
          assertTrue(release.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
      }
      return super.open(f, bufferSize);
    }
  }

  @Test
  public void callsAnswerFromTheOldVersionWhileTheNewOneOpens() throws Exception {
    Configuration conf = new Configuration();
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 0);
    KeyValueSystem system = KeyValueSystem.Factory.create(conf);
    Path root = new Path(tmp.newFolder().toURI());
    Path table = new Path(root, "table");
    system.createTable(table);
    system.publishVersion(table, writeStore(system, new Path(root, "b1"), 1, KEYS));
    HeldOpens fs = new HeldOpens(conf);
    TableOperations tables = new TableOperations(FileOperations.of(fs), conf);
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try (FollowingTableReader reader = FollowingTableReader.open(tables, FileOperations.of(fs), table, conf)) {
      system.publishVersion(table, writeStore(system, new Path(root, "b2"), 2, KEYS));
      Future<Boolean> refresh = refresher.submit(reader::refresh);
      assertTrue(fs.reached.await(60, TimeUnit.SECONDS));
      // The refresh is stuck in the middle of opening version 2; every call still answers.
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(1, i), reader.get(key(i)));
      }
      try (KeyValueIterator it = reader.iterator()) {
        for (int i = 0; i < KEYS; i++) {
          assertArrayEquals(value(1, i), it.next().getValue());
        }
      }
      assertEquals(1, reader.statistics().getCurrentVersion());
      assertEquals(KEYS, reader.size());
      fs.release.countDown();
      assertTrue(refresh.get(60, TimeUnit.SECONDS));
      assertServes(reader, 2, KEYS);
    } finally {
      fs.release.countDown();
      refresher.shutdownNow();
    }
  }
}
