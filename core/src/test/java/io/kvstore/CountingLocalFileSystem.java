package io.kvstore;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local filesystem, counting the input streams its raw filesystem (the one kvstore reads
 * through) has open now and at most. Installed for {@code file:} by {@link #install}; counts are
 * global, so tests using it must not run concurrently with each other.
 */
public class CountingLocalFileSystem extends LocalFileSystem {
  /** Streams open now. */
  public static final AtomicInteger OPEN = new AtomicInteger();
  /** Most streams open at once since {@link #reset()}. */
  public static final AtomicInteger PEAK = new AtomicInteger();

  /** Names of the threads that opened streams since {@link #reset()}. */
  public static final java.util.Set<String> OPENERS =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A local filesystem over a counting raw one. */
  public CountingLocalFileSystem() {
    super(new CountingRaw());
  }

  /** Makes {@code conf} use this filesystem for {@code file:} paths, uncached. */
  public static Configuration install(Configuration conf) {
    conf.setClass("fs.file.impl", CountingLocalFileSystem.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  /** Forgets the peak and the opening threads. */
  public static void reset() {
    PEAK.set(OPEN.get());
    OPENERS.clear();
  }

  /** The raw local filesystem, counting its streams. */
  static final class CountingRaw extends RawLocalFileSystem {
    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      FSDataInputStream in = super.open(f, bufferSize);
      OPENERS.add(Thread.currentThread().getName());
      PEAK.accumulateAndGet(OPEN.incrementAndGet(), Math::max);
      AtomicBoolean closed = new AtomicBoolean();
      return new FSDataInputStream(in) {
        @Override
        public void close() throws IOException {
          if (closed.compareAndSet(false, true)) {
            OPEN.decrementAndGet();
          }
          super.close();
        }
      };
    }
  }
}
