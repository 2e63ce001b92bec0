package io.kvstore.impl;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionTransfer;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.OutputStream;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local copies of one reader: each store it opens is copied into its own directory
 * {@code <kvstore.read.local.dir>/kvstore-<uuid>/}, every partition's CRC32C checked against the
 * manifest on the way, and served from there through memory maps. A copy is deleted when the
 * reader of it closes, so the disk holds only versions still served; the bytes held are bounded
 * by {@link KeyValueConf#LOCAL_COPY_MAX_BYTES} and by the disk's free space, both checked before
 * a copy starts; {@link KeyValueConf#LOCAL_COPY_BYTES_PER_SECOND} limits the copy's reads.
 */
final class LocalCopies {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCopies.class);
  private final Configuration conf;
  private final FileOperations local;
  private final Path root;
  private final long maxBytes;
  private final long bytesPerSecond;
  private final boolean copyLocal;
  /** Whether the reader opens one store only, so closing its copy ends the reader's directory. */
  private final boolean single;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong copies = new AtomicLong();

  private LocalCopies(Configuration conf, Path root, boolean single) throws IOException {
    this.conf = conf;
    this.single = single;
    this.local = FileOperations.forPath(LOCAL_ROOT, conf);
    this.root = root;
    this.maxBytes = KeyValueConf.LOCAL_COPY_MAX_BYTES.getLong(conf);
    this.bytesPerSecond = KeyValueConf.LOCAL_COPY_BYTES_PER_SECOND.getLong(conf);
    this.copyLocal = KeyValueConf.LOCAL_COPY_ALL.getBoolean(conf);
  }

  /** Lock file in a reader's directory, held while the reader lives. */
  private static final String LOCK_NAME = "_kvstore_lock";
  private static final String READER_PREFIX = "kvstore-";

  /** The locked file of this reader's directory, taken when the directory is made; or null. */
  private RandomAccessFile lock;
  /** Where local copies live: the local filesystem. */
  private static final Path LOCAL_ROOT = new Path("file:///");

  /**
   * The local copies configured by {@code conf}, or null if no local directory is set.
   *
   * @param single whether the reader opens one store only (closing its copy deletes the reader's
   *     directory) or follows a table's versions (closed by {@link #close()})
   */
  static LocalCopies forReader(Configuration conf, boolean single) throws IOException {
    String dir = KeyValueConf.LOCAL_COPY_DIR.getString(conf).trim();
    if (dir.isEmpty()) {
      return null;
    }
    Path root = FileOperations.forPath(LOCAL_ROOT, conf)
        .makeQualified(new Path(new File(dir).getAbsoluteFile().toURI().toString(),
            READER_PREFIX + UUID.randomUUID()));
    LocalCopies copies = new LocalCopies(conf, root, single);
    copies.removeLeftovers(new File(dir));
    return copies;
  }

  /**
   * Deletes the directories of readers that died without closing (a killed process): a reader
   * holds an operating-system lock on a file in its directory while it lives, which the kernel
   * drops when the process ends. The lock is the one thing here Hadoop's filesystem API cannot
   * express, so it uses java.io directly on the configured local directory (a local path, never a
   * store); directories are deleted through FileOperations.
   */
  private void removeLeftovers(File dir) throws IOException {
    File[] entries = dir.listFiles();
    if (entries == null) {
      return;
    }
    for (File entry : entries) {
      // A directory made in the last minute may belong to a reader about to take its lock.
      if (!entry.getName().startsWith(READER_PREFIX) || !entry.isDirectory()
          || System.currentTimeMillis() - entry.lastModified() < 60_000) {
        continue;
      }
      File lockFile = new File(entry, LOCK_NAME);
      boolean dead;
      try (RandomAccessFile file = new RandomAccessFile(lockFile, "rw");
          FileLock lock = file.getChannel().tryLock()) {
        dead = lock != null;
      } catch (OverlappingFileLockException e) {
        dead = false; // a live reader of this JVM
      } catch (IOException e) {
        dead = false; // the directory went away, or is not ours to judge
      }
      if (dead) {
        LOG.info("Deleting local copies of a reader that did not close: {}", entry);
        local.delete(new Path(entry.toURI()), true);
      }
    }
  }

  /** Makes this reader's directory and takes its lock (so no other reader deletes it). */
  private synchronized void claimRoot() throws IOException {
    if (lock != null) {
      return;
    }
    local.mkdirs(root);
    RandomAccessFile file = new RandomAccessFile(new File(root.toUri().getPath(), LOCK_NAME),
        "rw");
    try {
      file.getChannel().lock();
    } catch (IOException | RuntimeException e) {
      Closer.closeAfter(e, file);
      throw e;
    }
    lock = file;
  }

  /** Whether stores on {@code fs} are copied: remote ones always, local ones if asked to. */
  boolean applies(FileOperations store) {
    return copyLocal || !"file".equals(store.getUri().getScheme());
  }

  /** The directory holding this reader's copies. */
  Path root() {
    return root;
  }

  /** Bytes of copies held now. */
  long heldBytes() {
    return held.get();
  }

  /**
   * Copies the complete store at {@code dir} and opens the copy. The copy is deleted when the
   * reader closes, or at once if copying or opening fails.
   *
   * @throws io.kvstore.CorruptStoreException naming the remote file if a partition fails its
   *     checksum
   * @throws java.io.IOException saying the local disk is full, naming the directory and the bytes
   *     needed and free, if the copy does not fit
   */
  KeyValueStoreReader open(FileOperations remote, Path dir) throws IOException {
    StoreLayout.requireComplete(remote, dir);
    StoreManifest manifest = StoreManifest.read(remote, dir);
    long bytes = manifest.getSizeBytes();
    reserve(bytes, dir);
    Path target = new Path(root, dir.getName() + "-" + copies.incrementAndGet());
    boolean opened = false;
    try {
      claimRoot();
      local.mkdirs(target);
      Throttle throttle = new Throttle(bytesPerSecond);
      for (PartitionInfo p : manifest.getPartitions()) {
        copy(remote, p.resolvedIn(dir), new Path(target, p.getFileName()), throttle);
      }
      manifest.publish(local, target, false);
      KeyValueStoreReader reader = HadoopStoreReader.open(local, target, conf,
          single ? () -> {
            release(target, bytes);
            close();
          } : () -> release(target, bytes));
      opened = true;
      return reader;
    } finally {
      if (!opened) {
        try {
          release(target, bytes);
        } finally {
          if (single) {
            close();
          }
        }
      }
    }
  }

  private void copy(FileOperations remote, PartitionInfo partition, Path file, Throttle throttle)
      throws IOException {
    OutputStream out;
    try {
      out = local.create(file, false);
    } catch (IOException e) {
      throw localWriteFailed(file, e);
    }
    try {
      PartitionTransfer.transfer(remote, partition, new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          try {
            out.write(b, off, len);
          } catch (IOException e) {
            throw localWriteFailed(file, e);
          }
        }
      }, throttle);
    } catch (IOException | RuntimeException e) {
      Closer.closeAfter(e, out);
      throw e;
    }
    try {
      // Flushes the last bytes: a full disk may show only here.
      out.close();
    } catch (IOException e) {
      throw localWriteFailed(file, e);
    }
  }

  private IOException localWriteFailed(Path file, IOException e) {
    return new IOException("Could not copy to local file " + file + " (local disk full or"
        + " failing? " + freeSpace() + "): " + e.getMessage(), e);
  }

  private String freeSpace() {
    return usableBytes() + " bytes free";
  }

  /**
   * Free bytes of the local disk for this reader's copies. A property of the local disk that
   * Hadoop's filesystem API does not give per path: read from java.io.File.
   */
  private long usableBytes() {
    return new File(root.getParent().toUri().getPath()).getUsableSpace();
  }

  private void reserve(long bytes, Path dir) throws IOException {
    long now = held.addAndGet(bytes);
    if (maxBytes > 0 && now > maxBytes) {
      held.addAndGet(-bytes);
      throw new IOException("Local copy directory " + root + " is full: copying " + dir
          + " needs " + bytes + " bytes, the copies still served hold " + (now - bytes)
          + " of at most " + maxBytes + " (" + KeyValueConf.LOCAL_COPY_MAX_BYTES.getKey() + ")");
    }
    local.mkdirs(root.getParent());
    long free = usableBytes();
    if (free < bytes) {
      held.addAndGet(-bytes);
      throw new IOException("Local disk of " + root + " is full: copying " + dir + " needs "
          + bytes + " bytes, " + free + " are free");
    }
  }

  /** Deletes a copy and gives its bytes back. */
  private void release(Path target, long bytes) throws IOException {
    try {
      local.delete(target, true);
    } finally {
      held.addAndGet(-bytes);
    }
  }

  /** Deletes the directory of this reader's copies (they are all closed) and drops its lock. */
  void close() throws IOException {
    try {
      local.delete(root, true);
    } finally {
      synchronized (this) {
        if (lock != null) {
          lock.close();
          lock = null;
        }
      }
    }
  }

  /** Sleeps as needed to keep reads under a rate; no limit when the rate is 0. */
  private static final class Throttle implements PartitionTransfer.Progress {
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long bytes;

    Throttle(long bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public void read(long n) throws IOException {
      if (bytesPerSecond <= 0) {
        return;
      }
      bytes += n;
      long due = start + (long) (bytes * 1e9 / bytesPerSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("Local copy interrupted");
        }
      }
    }
  }
}
