package io.kvstore.format;

import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open streams shared by the partitions of one reader for positional reads, so a reader of
 * thousands of partitions does not hold one open file (or HDFS stream) each. Streams are opened
 * on demand, the least recently used idle one is closed when more than the bound are open, and a
 * stream is closed only when no read is using it. Reads in flight are never waited for, so while
 * more than {@code maxOpen} reads of distinct files run at once, that many streams are open.
 * Thread-safe; positional reads of one stream may run concurrently.
 */
final class StreamPool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamPool.class);

  /** One open stream and the reads using it. Guarded by the pool's lock. */
  static final class Lease {
    final Path file;
    final FSDataInputStream in;
    int users;

    Lease(Path file, FSDataInputStream in) {
      this.file = file;
      this.in = in;
    }
  }

  private final FileOperations ops;
  private final int maxOpen;
  /** Open streams in least-recently-used-first order. */
  private final LinkedHashMap<Path, Lease> open = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  StreamPool(FileOperations ops, int maxOpen) {
    if (maxOpen < 1) {
      throw new IllegalArgumentException("a stream pool needs at least one stream: " + maxOpen);
    }
    this.ops = ops;
    this.maxOpen = maxOpen;
  }

  /** A stream of {@code file} for positional reads; give it back with {@link #release}. */
  Lease acquire(Path file) throws IOException {
    synchronized (this) {
      checkOpen();
      Lease lease = open.get(file);
      if (lease != null) {
        lease.users++;
        return lease;
      }
    }
    // Opening is a namenode call on HDFS: do it outside the lock, and keep the first stream if
    // two threads opened the same file at once.
    FSDataInputStream in = ops.open(file);
    FSDataInputStream spare = null;
    Lease lease;
    List<Lease> evicted;
    synchronized (this) {
      if (closed) {
        spare = in;
        lease = null;
        evicted = List.of();
      } else {
        lease = open.get(file);
        if (lease != null) {
          spare = in;
        } else {
          lease = new Lease(file, in);
          open.put(file, lease);
        }
        lease.users++;
        evicted = evictIdle();
      }
    }
    closeIdle(spare, evicted);
    if (lease == null) {
      checkOpenLocked();
    }
    return lease;
  }

  /** Hands over a stream already open on {@code file} (e.g. the one its footer was read with). */
  void adopt(Path file, FSDataInputStream in) {
    FSDataInputStream spare = null;
    List<Lease> evicted = List.of();
    synchronized (this) {
      if (closed || open.containsKey(file)) {
        spare = in;
      } else {
        open.put(file, new Lease(file, in));
        evicted = evictIdle();
      }
    }
    closeIdle(spare, evicted);
  }

  /** Ends a read of a stream from {@link #acquire}. */
  void release(Lease lease) {
    List<Lease> evicted;
    synchronized (this) {
      lease.users--;
      evicted = evictIdle();
    }
    closeIdle(null, evicted);
  }

  /** Streams open now. */
  synchronized int openStreams() {
    return open.size();
  }

  /** Removes idle streams, least recently used first, while more than the bound are open. */
  private List<Lease> evictIdle() {
    if (open.size() <= maxOpen) {
      return List.of();
    }
    List<Lease> evicted = new ArrayList<>();
    Iterator<Lease> it = open.values().iterator();
    while (open.size() > maxOpen && it.hasNext()) {
      Lease lease = it.next();
      if (lease.users == 0) {
        it.remove();
        evicted.add(lease);
      }
    }
    return evicted;
  }

  /**
   * Closes streams nobody reads. A failure is logged, not thrown: the read that triggered the
   * eviction succeeded, and closing a read-only stream loses nothing.
   */
  private static void closeIdle(FSDataInputStream spare, List<Lease> leases) {
    try {
      closeAll(spare, leases);
    } catch (IOException e) {
      LOG.warn("Could not close an idle partition stream", e);
    }
  }

  private static void closeAll(FSDataInputStream spare, List<Lease> leases) throws IOException {
    Closer closer = new Closer();
    closer.close(spare);
    for (Lease lease : leases) {
      closer.close(lease.in);
    }
    closer.finish();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("stream pool is closed");
    }
  }

  private synchronized void checkOpenLocked() {
    checkOpen();
  }

  /** Closes every stream; the owner guarantees that no read is in flight. */
  @Override
  public void close() throws IOException {
    List<Lease> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(open.values());
      open.clear();
    }
    closeAll(null, all);
  }
}
