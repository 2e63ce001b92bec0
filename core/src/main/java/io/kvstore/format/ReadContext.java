package io.kvstore.format;

import io.kvstore.KeyValueConf;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;

/**
 * What the partitions of one open store reader share: the filesystem operations, the settings
 * read once, the pool of streams for positional reads and the budget of memory maps. Closing it
 * closes the streams; the owner closes it only after no lookup is in flight ({@link ReadGuard}).
 */
public final class ReadContext implements Closeable {
  final FileOperations ops;
  final boolean mmap;
  final boolean verify;
  final long chunkBytes;
  final int lookupReadBytes;
  final StreamPool streams;
  private final AtomicLong mapsLeft;

  /**
   * @param ops operations on the filesystem holding the store (the raw one, for local files)
   * @param conf kvstore settings, read once here
   * @throws IllegalArgumentException if a read setting is out of range
   */
  public ReadContext(FileOperations ops, Configuration conf) {
    this.ops = ops;
    this.mmap = KeyValueConf.READ_MMAP.getBoolean(conf);
    this.verify = KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf);
    // The getters refuse values out of each setting's range.
    this.chunkBytes = KeyValueConf.READ_MMAP_CHUNK_BYTES.getLong(conf);
    this.mapsLeft = new AtomicLong(KeyValueConf.READ_MMAP_MAX_MAPS.getLong(conf));
    this.lookupReadBytes = KeyValueConf.LOOKUP_READ_BYTES.getInt(conf);
    int streamCount = KeyValueConf.READ_OPEN_FILES_MAX.getInt(conf);
    this.streams = new StreamPool(ops, streamCount);
  }

  /** Takes {@code n} maps from the budget, or none and returns false if fewer are left. */
  boolean reserveMaps(long n) {
    while (true) {
      long left = mapsLeft.get();
      if (left < n) {
        return false;
      }
      if (mapsLeft.compareAndSet(left, left - n)) {
        return true;
      }
    }
  }

  /** Returns {@code n} maps to the budget. */
  void releaseMaps(long n) {
    mapsLeft.addAndGet(n);
  }

  /** Closes the streams of positional reads. */
  @Override
  public void close() throws IOException {
    streams.close();
  }
}
