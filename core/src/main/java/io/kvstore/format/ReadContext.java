package io.kvstore.format;

import io.kvstore.KeyValueConf;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
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
  final boolean mmapIndex;
  final boolean verify;
  final long chunkBytes;
  final int lookupReadBytes;
  final StreamPool streams;
  private final AtomicLong mapsLeft;

  /**
   * Memory maps all readers of this JVM may hold together: half of the kernel's
   * {@code vm.max_map_count} (65530 by default), leaving the rest to the JVM, native libraries and
   * the application. The per-reader bound alone cannot keep many readers of stores with thousands
   * of partitions below the kernel's limit, past which a map fails and the JVM can crash; past this
   * budget, partitions are read with positional reads instead.
   */
  private static final AtomicLong PROCESS_MAPS_LEFT = new AtomicLong(processMapBudget());

  /**
   * @param ops operations on the filesystem holding the store (the raw one, for local files)
   * @param conf kvstore settings, read once here
   * @throws IllegalArgumentException if a read setting is out of range
   */
  public ReadContext(FileOperations ops, Configuration conf) {
    this.ops = ops;
    this.mmap = KeyValueConf.READ_MMAP.getBoolean(conf);
    this.mmapIndex = KeyValueConf.READ_MMAP_INDEX.getBoolean(conf);
    this.verify = KeyValueConf.VERIFY_CHECKSUMS.getBoolean(conf);
    // The getters refuse values out of each setting's range.
    this.chunkBytes = KeyValueConf.READ_MMAP_CHUNK_BYTES.getLong(conf);
    this.mapsLeft = new AtomicLong(KeyValueConf.READ_MMAP_MAX_MAPS.getLong(conf));
    this.lookupReadBytes = KeyValueConf.LOOKUP_READ_BYTES.getInt(conf);
    int streamCount = KeyValueConf.READ_OPEN_FILES_MAX.getInt(conf);
    // An HDFS stream holds no descriptor or connection between positional reads, while reopening
    // one costs a NameNode call per lookup: there every partition keeps its stream, as a reader of
    // thousands of HDFS partitions costs the NameNode nothing but opening them once.
    boolean bounded = !"hdfs".equals(ops.getUri().getScheme());
    this.streams = new StreamPool(ops, bounded ? streamCount : Integer.MAX_VALUE);
  }

  /**
   * Takes {@code n} maps from this reader's budget and from the process's, or none and returns
   * false if either has fewer left.
   */
  boolean reserveMaps(long n) {
    if (!take(mapsLeft, n)) {
      return false;
    }
    if (!take(PROCESS_MAPS_LEFT, n)) {
      mapsLeft.addAndGet(n);
      return false;
    }
    return true;
  }

  /** Returns {@code n} maps to this reader's budget and the process's. */
  void releaseMaps(long n) {
    mapsLeft.addAndGet(n);
    PROCESS_MAPS_LEFT.addAndGet(n);
  }

  private static boolean take(AtomicLong budget, long n) {
    while (true) {
      long left = budget.get();
      if (left < n) {
        return false;
      }
      if (budget.compareAndSet(left, left - n)) {
        return true;
      }
    }
  }

  /** Maps the readers of this JVM may still take, all of them together. */
  static long processMapsLeft() {
    return PROCESS_MAPS_LEFT.get();
  }

  /** Half of {@code /proc/sys/vm/max_map_count}, or of Linux's default where it cannot be read. */
  private static long processMapBudget() {
    long limit = 65530;
    try {
      // readAllLines, not readAllBytes: a /proc file reports size 0, and readAllBytes then
      // returns only what its first read happens to get.
      limit = Long.parseLong(Files.readAllLines(Paths.get("/proc/sys/vm/max_map_count"),
          StandardCharsets.US_ASCII).get(0).trim());
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc is hidden: assume the Linux default.
    }
    return Math.max(0, limit / 2);
  }

  /** Closes the streams of positional reads. */
  @Override
  public void close() throws IOException {
    streams.close();
  }
}
