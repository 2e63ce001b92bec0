package io.kvstore.impl;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionTransfer;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.HadoopFileOperations;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local copies of one reader: each store it opens is copied into its own directory
 * {@code <kvstore.read.local.dir>/kvstore-<uuid>/}, every partition's CRC32C checked against the
 * manifest on the way, and served from there through memory maps. A copy is deleted when the
 * reader of it closes, so the disk holds only versions still served; the bytes held are bounded
 * by {@link KeyValueConf#LOCAL_COPY_MAX_BYTES} and by the disk's free space, both checked before
 * a copy starts; {@link KeyValueConf#LOCAL_COPY_BYTES_PER_SECOND} limits the copy's reads.
 */
final class LocalCopies {
  private final Configuration conf;
  private final FileOperations local;
  private final Path root;
  private final long maxBytes;
  private final long bytesPerSecond;
  private final boolean copyLocal;
  /** Whether the one copy is {@link #root} itself (a store reader) rather than under it. */
  private final boolean single;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong copies = new AtomicLong();

  private LocalCopies(Configuration conf, Path root, boolean single) throws IOException {
    this.conf = conf;
    this.single = single;
    this.local = FileOperations.of(FileSystem.getLocal(conf));
    this.root = root;
    this.maxBytes = KeyValueConf.LOCAL_COPY_MAX_BYTES.getLong(conf);
    this.bytesPerSecond = KeyValueConf.LOCAL_COPY_BYTES_PER_SECOND.getLong(conf);
    this.copyLocal = KeyValueConf.LOCAL_COPY_ALL.getBoolean(conf);
  }

  /**
   * The local copies configured by {@code conf}, or null if no local directory is set.
   *
   * @param single whether the reader opens one store only (its copy is the reader's directory)
   *     or follows a table's versions (one directory for each under the reader's)
   */
  static LocalCopies forReader(Configuration conf, boolean single) throws IOException {
    String dir = KeyValueConf.LOCAL_COPY_DIR.getString(conf).trim();
    if (dir.isEmpty()) {
      return null;
    }
    FileSystem localFs = FileSystem.getLocal(conf);
    Path root = localFs.makeQualified(new Path(dir, "kvstore-" + UUID.randomUUID()));
    return new LocalCopies(conf, root, single);
  }

  /** Whether stores on {@code fs} are copied: remote ones always, local ones if asked to. */
  boolean applies(FileSystem fs) {
    return copyLocal || !(HadoopFileOperations.unchecksummed(fs) instanceof RawLocalFileSystem);
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
  KeyValueStoreReader open(FileSystem fs, Path dir) throws IOException {
    FileOperations remote = FileOperations.of(fs);
    StoreLayout.requireComplete(fs, dir);
    StoreManifest manifest = StoreManifest.read(remote, dir);
    long bytes = manifest.getSizeBytes();
    reserve(bytes, dir);
    Path target = single ? root : new Path(root, dir.getName() + "-" + copies.incrementAndGet());
    boolean opened = false;
    try {
      local.mkdirs(target);
      Throttle throttle = new Throttle(bytesPerSecond);
      for (PartitionInfo p : manifest.getPartitions()) {
        copy(remote, p.resolvedIn(dir), new Path(target, p.getFileName()), throttle);
      }
      manifest.publish(local, target, false);
      KeyValueStoreReader reader = HadoopStoreReader.open(local.getFileSystem(), target, conf,
          () -> release(target, bytes));
      opened = true;
      return reader;
    } finally {
      if (!opened) {
        release(target, bytes);
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
    try {
      return local.getFileSystem().getStatus(single ? root.getParent() : root).getRemaining() + " bytes free";
    } catch (IOException e) {
      return "free space unknown: " + e.getMessage();
    }
  }

  private void reserve(long bytes, Path dir) throws IOException {
    long now = held.addAndGet(bytes);
    if (maxBytes > 0 && now > maxBytes) {
      held.addAndGet(-bytes);
      throw new IOException("Local copy directory " + root + " is full: copying " + dir
          + " needs " + bytes + " bytes, the copies still served hold " + (now - bytes)
          + " of at most " + maxBytes + " (" + KeyValueConf.LOCAL_COPY_MAX_BYTES.getKey() + ")");
    }
    local.mkdirs(single ? root.getParent() : root);
    long free = local.getFileSystem().getStatus(single ? root.getParent() : root).getRemaining();
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

  /** Deletes the directory of this reader's copies (they are all closed). */
  void close() throws IOException {
    local.delete(root, true);
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
