package io.kvstore.format;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;

import io.kvstore.CountingLocalFileSystem;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.HadoopFileOperations;
import java.io.File;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The stream pool of positional reads: past its bound it closes the least recently used idle
 * stream, never one a read is using, and a stream given back after its eviction is closed then.
 */
public class StreamPoolTest {
  /** Files of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private Path file(String name) throws Exception {
    File f = tmp.newFile(name);
    Files.write(f.toPath(), new byte[] {1, 2, 3, 4});
    return new Path(f.getAbsolutePath());
  }

  @Test
  public void evictsOnlyIdleStreamsLeastRecentlyUsedFirst() throws Exception {
    Configuration conf = CountingLocalFileSystem.install(new Configuration());
    FileSystem fs = HadoopFileOperations.unchecksummed(FileSystem.get(new Path("file:///").toUri(), conf));
    Path a = file("a");
    Path b = file("b");
    Path c = file("c");
    int base = CountingLocalFileSystem.OPEN.get();
    try (StreamPool pool = new StreamPool(FileOperations.of(fs), 1)) {
      StreamPool.Lease la = pool.acquire(a);
      StreamPool.Lease lb = pool.acquire(b);
      // a is being read: over the bound, but nothing idle to close.
      assertEquals(2, pool.openStreams());
      assertEquals(base + 2, CountingLocalFileSystem.OPEN.get());
      byte[] buf = new byte[4];
      la.in.readFully(0, buf);
      pool.release(la);
      // a is idle and least recently used: closed now.
      assertEquals(1, pool.openStreams());
      assertEquals(base + 1, CountingLocalFileSystem.OPEN.get());
      StreamPool.Lease lb2 = pool.acquire(b);
      assertSame(lb, lb2);
      pool.release(lb);
      pool.release(lb2);
      StreamPool.Lease lc = pool.acquire(c);
      // b idle: evicted for c.
      assertEquals(1, pool.openStreams());
      pool.release(lc);
      StreamPool.Lease la2 = pool.acquire(a);
      assertNotSame(la, la2);
      la2.in.readFully(0, buf);
      pool.release(la2);
      assertEquals(base + 1, CountingLocalFileSystem.OPEN.get());
    }
    assertEquals(base, CountingLocalFileSystem.OPEN.get());
  }
}
