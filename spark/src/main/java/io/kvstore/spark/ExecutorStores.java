package io.kvstore.spark;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store readers of one JVM, driver or executor: one open reader per store, shared by every
 * task and every driver-side lookup of the JVM (a reader is thread-safe and its open files and
 * index memory are the costly part). A store is identified by its directory and its manifest's
 * creation time and size ({@link #token}), so a store replaced at the same path (mode
 * overwrite, a merge) gets a new reader instead of the old one's answers.
 *
 * <p>Readers are leased ({@link #acquire}) and closed when nobody can use them any more: all of
 * them when the JVM exits, or when the driver's SparkContext stops (in local mode the executors
 * share the driver's JVM); and, on the driver, a store superseded at the path it was read from
 * (a table's new current version, a store overwritten) is closed once its last lease is
 * released, so a long-lived driver does not keep every old version mapped.
 *
 * <p>The driver also keeps the manifests it planned against ({@link #plan}), each checked per
 * query against the manifest file's length and modification time, so a query of an unchanged
 * store reads no manifest.
 */
final class ExecutorStores {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorStores.class);
  /** Manifests the driver keeps, least recently used dropped first. */
  private static final int MANIFESTS_KEPT = 64;
  /** Guards every map below. */
  private static final Object LOCK = new Object();
  /** Open readers by {@link #id}. */
  private static final Map<String, Entry> READERS = new HashMap<>();
  /** The store the driver last planned against, by the qualified path it was read from. */
  private static final Map<String, String> CURRENT = new HashMap<>();
  /** Ids superseded at their path: a reader opened for one is closed after its last lease. */
  private static final Set<String> RETIRED = new HashSet<>();
  private static final Map<String, CachedManifest> MANIFESTS =
      new LinkedHashMap<String, CachedManifest>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedManifest> eldest) {
          return size() > MANIFESTS_KEPT;
        }
      };
  /** The SparkContext whose stop closes the readers (the last one registered). */
  private static SparkContext registeredWith;
  /**
   * Store partitions opened by scans in this JVM (range scans open their file; point lookups
   * count one per input partition), so a test can check that pruning opened only what it
   * should. Only ever increases.
   */
  static final AtomicLong PARTITIONS_OPENED = new AtomicLong();
  /** Store readers opened in this JVM, so a test can check that queries share one. */
  static final AtomicLong STORES_OPENED = new AtomicLong();
  /** Manifests read by {@link #plan}, so a test can check that an unchanged one is kept. */
  static final AtomicLong MANIFESTS_READ = new AtomicLong();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorStores::closeAll,
        "kvstore-executor-stores-close"));
  }

  private ExecutorStores() {}

  /** An open reader and the leases on it. */
  private static final class Entry {
    final String id;
    final KeyValueStoreReader reader;
    int leases;
    boolean retired;

    Entry(String id, KeyValueStoreReader reader) {
      this.id = id;
      this.reader = reader;
    }
  }

  /** A manifest as read, with the length and modification time its file had before. */
  private static final class CachedManifest {
    final long length;
    final long modified;
    final StoreManifest manifest;

    CachedManifest(FileStatus status, StoreManifest manifest) {
      this.length = status.getLen();
      this.modified = status.getModificationTime();
      this.manifest = manifest;
    }
  }

  /** A use of the JVM's reader of a store; {@link #close} releases it. */
  static final class Lease implements Closeable {
    private final Entry entry;
    private boolean released;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    /** The reader; not to be closed by the caller. */
    KeyValueStoreReader reader() {
      return entry.reader;
    }

    /** Releases the lease (once); the last lease of a superseded store closes its reader. */
    @Override
    public void close() throws IOException {
      boolean closeReader;
      synchronized (LOCK) {
        if (released) {
          return;
        }
        released = true;
        entry.leases--;
        closeReader = entry.leases == 0 && entry.retired && READERS.remove(entry.id, entry);
      }
      if (closeReader) {
        entry.reader.close();
        LOG.info("Closed the reader of superseded store {}", entry.id);
      }
    }
  }

  /** A store as the driver planned a query against it. */
  static final class Planned {
    /** The filesystem of the store. */
    final FileOperations ops;
    /** The store's qualified directory (a table's current version). */
    final Path dir;
    /** Its manifest. */
    final StoreManifest manifest;
    /** Its identity ({@link ExecutorStores#token}). */
    final String token;

    private Planned(FileOperations ops, Path dir, StoreManifest manifest) {
      this.ops = ops;
      this.dir = dir;
      this.manifest = manifest;
      this.token = token(manifest);
    }
  }

  /**
   * Resolves {@code path}, a store or a table (its current version, resolved anew for every
   * call), to the complete store a query reads, on the driver. The manifest is read only if its
   * file's length or modification time differ from the last read; the store read from
   * {@code path} before, if it is another one now, is closed once its last lease is released.
   * Registers the closing of every reader at the stop of {@code context}.
   *
   * @throws IOException if the path holds no complete store or table, or it cannot be read
   */
  static Planned plan(SparkContext context, Configuration conf, String path) throws IOException {
    closeWhenStopped(context);
    Path given = new Path(path);
    FileOperations ops = FileOperations.forPath(given, conf);
    Path qualified = ops.makeQualified(given);
    Path dir = new TableOperations(ops, conf).storeDir(qualified);
    Path file = new Path(dir, StoreLayout.MANIFEST_NAME);
    FileStatus status;
    try {
      status = ops.getFileStatus(file);
    } catch (IOException e) {
      StoreLayout.requireComplete(ops, dir); // says what the path is instead of a store
      throw e;
    }
    CachedManifest cached;
    synchronized (LOCK) {
      cached = MANIFESTS.get(dir.toString());
    }
    StoreManifest manifest;
    if (cached != null && cached.length == status.getLen()
        && cached.modified == status.getModificationTime()) {
      manifest = cached.manifest;
    } else {
      manifest = StoreManifest.read(ops, dir);
      MANIFESTS_READ.incrementAndGet();
      synchronized (LOCK) {
        // Replaced since the status was taken? Then the next query sees another status again.
        MANIFESTS.put(dir.toString(), new CachedManifest(status, manifest));
      }
    }
    Planned planned = new Planned(ops, dir, manifest);
    current(qualified.toString(), id(dir.toString(), planned.token));
    return planned;
  }

  /** Records {@code id} as the store now read from {@code path}, retiring the one before. */
  private static void current(String path, String id) throws IOException {
    Entry close = null;
    synchronized (LOCK) {
      RETIRED.remove(id);
      Entry now = READERS.get(id);
      if (now != null) {
        now.retired = false;
      }
      String old = CURRENT.put(path, id);
      if (old != null && !old.equals(id) && !CURRENT.containsValue(old)) {
        RETIRED.add(old);
        Entry e = READERS.get(old);
        if (e != null) {
          e.retired = true;
          if (e.leases == 0) {
            READERS.remove(old);
            close = e;
          }
        }
      }
    }
    if (close != null) {
      close.reader.close();
      LOG.info("Closed the reader of superseded store {}", close.id);
    }
  }

  /** Closes every reader when {@code context} stops (once registered per context). */
  private static void closeWhenStopped(SparkContext context) {
    synchronized (LOCK) {
      if (registeredWith == context) {
        return;
      }
      registeredWith = context;
    }
    context.addSparkListener(new SparkListener() {
      @Override
      public void onApplicationEnd(SparkListenerApplicationEnd end) {
        closeAll();
      }
    });
  }

  /** The identity of the store {@code manifest} describes, as given to {@link #acquire}. */
  static String token(StoreManifest manifest) {
    return manifest.getCreatedMillis() + "-" + manifest.getKeyCount() + "-"
        + manifest.getSizeBytes();
  }

  private static String id(String store, String token) {
    return store + "#" + token;
  }

  /**
   * A lease on the JVM's reader of {@code store}, opened on first use; release it
   * ({@link Lease#close}) when done.
   *
   * @param token the identity of the store the driver planned against ({@link #token})
   * @throws IOException if the store cannot be opened, or is no longer the one planned against
   */
  static Lease acquire(Configuration conf, String store, String token) throws IOException {
    String id = id(store, token);
    synchronized (LOCK) {
      Entry entry = READERS.get(id);
      if (entry == null) {
        Path path = new Path(store);
        String found = token(StoreManifest.read(FileOperations.forPath(path, conf), path));
        if (!found.equals(token)) {
          throw new IOException("kvstore: the store at " + store + " was replaced after the job"
              + " was planned (manifest " + found + ", planned " + token + "); run the job again");
        }
        // A copy: the reader keeps its configuration, which its caller may change later.
        KeyValueStoreReader reader = KeyValueSystem.Factory.create(new Configuration(conf))
            .openStore(path);
        STORES_OPENED.incrementAndGet();
        entry = new Entry(id, reader);
        // Planned before its store was superseded: closed after its last lease.
        entry.retired = RETIRED.contains(id);
        READERS.put(id, entry);
        LOG.info("Opened store {} for this JVM ({} pairs)", store, reader.size());
      }
      entry.leases++;
      return new Lease(entry);
    }
  }

  /** Closes every reader and forgets every manifest (at JVM exit or the SparkContext's stop). */
  static void closeAll() {
    List<Entry> open;
    synchronized (LOCK) {
      open = new ArrayList<>(READERS.values());
      READERS.clear();
      CURRENT.clear();
      RETIRED.clear();
      MANIFESTS.clear();
      registeredWith = null;
    }
    for (Entry e : open) {
      try {
        e.reader.close();
      } catch (IOException | RuntimeException ex) {
        LOG.warn("Closing the reader of store {} failed", e.id, ex);
      }
    }
  }
}
