package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.ReaderStatistics;
import io.kvstore.format.KeyHash;
import io.kvstore.format.PartitionReader;
import io.kvstore.format.PartitionScanner;
import io.kvstore.format.ReadContext;
import io.kvstore.format.ReadGuard;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.format.ValueHit;
import io.kvstore.fs.ChildPath;
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a complete store: every partition's indexes are loaded at open, lookups route to
 * candidate partitions and probe their in-memory hash indexes, scans stream partition files.
 * Lookups run inside a {@link ReadGuard}, so close() can release memory maps and streams at once
 * without a lookup ever reading a released one.
 */
final class HadoopStoreReader implements KeyValueStoreReader {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopStoreReader.class);

  private final FileOperations ops;
  private final Path dir;
  private final Configuration conf;
  private final StoreManifest manifest;
  private final List<PartitionInfo> partitions;
  private final PartitionReader[] readers;
  /**
   * In degraded mode ({@link KeyValueConf#READ_DEGRADED}), why each partition that failed to
   * open is unusable (its reader is null); null entries, or a null array, for healthy ones.
   */
  private final String[] damaged;
  /** Streams and map budget the partitions share; closed after the guard has drained. */
  private final ReadContext context;
  private final ReadGuard guard;
  private final PartitionRouter router;
  /** Batch lookups; its pool is stopped after the guard has drained. */
  private final MultiGet multiGet;
  /** {@link #probe}, made once so that lookups allocate nothing. */
  private final KeyRangeLayers.Probe probe = this::probe;
  private final long commonSeed;
  private final boolean oneSeed;
  private final LongAdder lookups = new LongAdder();
  /**
   * Each thread's holder of a found value, so that a get allocates nothing but the value it
   * returns (and nothing at all when it copies into the caller's buffer), whether or not the JIT
   * removes a per-call holder. A get cannot nest in another on one thread, so one per thread is
   * enough; it is cleared after use so it does not keep a positional read's bytes alive.
   */
  private static final ThreadLocal<ValueHit> HIT = ThreadLocal.withInitial(ValueHit::new);
  /** Iterators not yet closed, so closing the reader releases their streams too. */
  private final Set<StoreIterator> openIterators = ConcurrentHashMap.newKeySet();
  /** Closed after everything else, e.g. to delete a local copy; or null. */
  private final Closeable afterClose;
  private volatile boolean closed;

  private HadoopStoreReader(FileOperations ops, Path dir, Configuration conf,
      StoreManifest manifest, List<PartitionInfo> partitions, PartitionReader[] readers,
      String[] damaged, ReadContext context, int lookupParallelism, long coalesceBytes,
      Closeable afterClose) {
    this.afterClose = afterClose;
    this.ops = ops;
    this.dir = dir;
    this.conf = conf;
    this.manifest = manifest;
    this.partitions = partitions;
    this.readers = readers;
    this.damaged = damaged;
    this.context = context;
    this.guard = new ReadGuard(dir);
    this.router = new PartitionRouter(manifest.getRouting(), partitions);
    this.multiGet = new MultiGet(readers, router, this::findUncounted, lookupParallelism,
        coalesceBytes, dir.toString());
    long seed = 0;
    boolean any = false;
    boolean same = true;
    for (PartitionReader r : readers) {
      if (r != null) {
        seed = any ? seed : r.hashSeed();
        same &= r.hashSeed() == seed;
        any = true;
      }
    }
    this.commonSeed = seed;
    this.oneSeed = same;
  }

  static HadoopStoreReader open(FileOperations ops, Path dir, Configuration conf)
      throws IOException {
    return open(ops, dir, conf, null);
  }

  /**
   * Opens the store at {@code dir}; {@code afterClose}, if not null, is closed last by
   * {@link #close()} (a local copy deletes its files), but not if the open fails.
   */
  static HadoopStoreReader open(FileOperations ops, Path dir, Configuration conf,
      Closeable afterClose) throws IOException {
    StoreManifest manifest;
    try {
      // A directory holding a manifest is a complete store: the state is only looked into (two
      // more status calls) when there is no manifest to read, to say why.
      manifest = StoreManifest.read(ops, dir);
    } catch (CorruptStoreException e) {
      throw e;
    } catch (IOException e) {
      StoreLayout.requireComplete(ops, dir);
      throw e;
    }
    List<PartitionInfo> resolved = new ArrayList<>();
    for (PartitionInfo p : manifest.getPartitions()) {
      resolved.add(p.withPath(ChildPath.of(dir, p.getFileName())));
    }
    PartitionReader[] readers = new PartitionReader[resolved.size()];
    // Read before anything is opened: a setting out of range fails the open, leaking nothing.
    int lookupParallelism = KeyValueConf.READ_LOOKUP_PARALLELISM.getInt(conf);
    long coalesceBytes = KeyValueConf.READ_LOOKUP_COALESCE_BYTES.getLong(conf);
    int openParallelism = KeyValueConf.READ_OPEN_PARALLELISM.getInt(conf);
    long parallelAfterNanos =
        KeyValueConf.READ_OPEN_PARALLEL_AFTER_MICROS.getLong(conf) * 1000L;
    boolean degraded = KeyValueConf.READ_DEGRADED.getBoolean(conf);
    String[] damaged = null;
    ReadContext context = new ReadContext(ops, conf);
    try {
      Throwable[] failures = openAll(context, resolved, readers, openParallelism,
          parallelAfterNanos, !degraded);
      for (int i = 0; i < readers.length; i++) {
        Throwable e = failures[i];
        if (e == null) {
          continue;
        }
        // Degraded: serve the keys other partitions hold; lookups that could need this one fail.
        damaged = damaged == null ? new String[readers.length] : damaged;
        damaged[i] = e instanceof CorruptStoreException
            ? ((CorruptStoreException) e).getProblem() : e.getMessage();
        LOG.warn("Degraded read of {}: {} is unusable and every lookup or scan that could need"
            + " it fails: {}", dir, resolved.get(i).getFileName(), e.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      for (PartitionReader r : readers) {
        Closer.closeAfter(e, r);
      }
      Closer.closeAfter(e, context);
      throw e;
    }
    return new HadoopStoreReader(ops, dir, conf, manifest, Collections.unmodifiableList(resolved),
        readers, damaged, context, lookupParallelism, coalesceBytes, afterClose);
  }

  /** The error of a lookup or scan that could need damaged partition {@code i}. */
  private CorruptStoreException damagedPartition(int i) {
    return new CorruptStoreException(partitions.get(i).getPath(), "unusable, and it may hold"
        + " the key asked for (read in degraded mode: " + damaged[i] + ")");
  }

  /**
   * Opens every partition, up to {@code parallelism} at once (the calling thread is one of them):
   * opening reads and checks each hash index, which for large stores is most of the open time.
   * The calling thread opens alone until {@code parallelAfterNanos} have passed, so a store whose
   * partitions open in microseconds starts no thread.
   * With {@code failFast}, a failure stops the opening: it waits for every open under way and
   * throws the failure of the first partition in manifest order, the others suppressed on it;
   * the readers opened stay in {@code readers} for the caller to close. Without it (a degraded
   * read) every partition is tried, {@code IOException}s are returned by partition and their
   * readers left null, and only other failures are thrown.
   */
  private static Throwable[] openAll(ReadContext context, List<PartitionInfo> resolved,
      PartitionReader[] readers, int parallelism, long parallelAfterNanos, boolean failFast)
      throws IOException {
    int n = readers.length;
    Throwable[] failures = new Throwable[n];
    AtomicInteger next = new AtomicInteger();
    java.util.function.IntConsumer openOne = i -> {
      try {
        readers[i] = PartitionReader.open(context, resolved.get(i).getPath(), resolved.get(i));
      } catch (IOException | RuntimeException | Error e) {
        failures[i] = e;
        if (failFast || !(e instanceof IOException)) {
          // Stop taking partitions: the open fails anyway.
          next.set(n);
        }
      }
    };
    Runnable work = () -> {
      int i;
      while ((i = next.getAndIncrement()) < n) {
        openOne.accept(i);
      }
    };
    int helpers = Math.max(0, Math.min(parallelism, n) - 1);
    Thread[] threads = new Thread[0];
    long start = System.nanoTime();
    int i;
    while ((i = next.getAndIncrement()) < n) {
      if (threads.length == 0 && helpers > 0
          && System.nanoTime() - start >= parallelAfterNanos) {
        // Opening takes long (heap indexes, remote reads): the helpers share what is left.
        // Partitions that open in microseconds (mapped format-3 indexes) are cheaper opened
        // here than handed to new threads. No more helpers than partitions left beside the
        // one this thread takes next: a thread that finds nothing left only cost its start.
        threads = new Thread[Math.min(helpers, n - i - 1)];
        for (int t = 0; t < threads.length; t++) {
          threads[t] = new Thread(work, "kvstore-open #" + (t + 1));
          threads[t].setDaemon(true);
          threads[t].start();
        }
      }
      openOne.accept(i);
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          // Keep waiting: the caller closes what the helpers opened.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable first = null;
    for (Throwable e : failures) {
      if (e == null || (!failFast && e instanceof IOException)) {
        continue;
      }
      if (first == null) {
        first = e;
      } else {
        first.addSuppressed(e);
      }
    }
    if (first instanceof IOException) {
      throw (IOException) first;
    } else if (first instanceof RuntimeException) {
      throw (RuntimeException) first;
    } else if (first != null) {
      throw (Error) first;
    }
    return failures;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The reader of " + dir + " is closed");
    }
  }

  @Override
  public byte[] get(byte[] key) throws IOException {
    Objects.requireNonNull(key, "key");
    ValueHit hit = HIT.get();
    // Inside the guard close() waits for this lookup before it unmaps or closes anything; the
    // value is copied out before the guard is left.
    int cell = guard.enter();
    try {
      return find(key, hit) ? hit.copy() : null;
    } finally {
      hit.clear();
      guard.exit(cell);
    }
  }

  @Override
  public int get(byte[] key, byte[] dest, int off) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.checkFromIndexSize(off, 0, dest.length);
    ValueHit hit = HIT.get();
    int cell = guard.enter();
    try {
      if (!find(key, hit)) {
        return -1;
      }
      if (hit.length() <= dest.length - off) {
        hit.copyTo(dest, off);
      }
      return hit.length();
    } finally {
      hit.clear();
      guard.exit(cell);
    }
  }

  @Override
  public int get(byte[] key, ByteBuffer dest) throws IOException {
    Objects.requireNonNull(key, "key");
    if (dest.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    ValueHit hit = HIT.get();
    int cell = guard.enter();
    try {
      if (!find(key, hit)) {
        return -1;
      }
      if (hit.length() <= dest.remaining()) {
        hit.copyTo(dest);
      }
      return hit.length();
    } finally {
      hit.clear();
      guard.exit(cell);
    }
  }

  @Override
  public byte[][] getAll(byte[][] keys) throws IOException {
    KeyValueStoreReader.checkKeys(keys);
    byte[][] values = new byte[keys.length][];
    if (keys.length == 0) {
      return values;
    }
    int cell = guard.enter();
    try {
      lookups.add(keys.length);
      multiGet.run(keys, (i, hit) -> {
        values[i] = hit == null ? null : hit.copy();
        return true;
      });
      return values;
    } finally {
      guard.exit(cell);
    }
  }

  @Override
  public int getAll(byte[][] keys, ByteBuffer values, int[] lengths) throws IOException {
    KeyValueStoreReader.checkKeys(keys);
    KeyValueStoreReader.checkLengths(keys, values, lengths);
    if (keys.length == 0) {
      return 0;
    }
    int cell = guard.enter();
    try {
      lookups.add(keys.length);
      return multiGet.run(keys, (i, hit) -> {
        if (hit == null) {
          lengths[i] = -1;
          return true;
        }
        lengths[i] = hit.length();
        if (hit.length() > values.remaining()) {
          return false;
        }
        hit.copyTo(values);
        return true;
      });
    } finally {
      guard.exit(cell);
    }
  }

  /**
   * Every lookup of one key: routes it, then finds it in its candidate partitions. Inside the
   * guard; {@code hit} points into a map or a read's bytes until the guard is left.
   */
  private boolean find(byte[] key, ValueHit hit) throws IOException {
    lookups.increment();
    return findUncounted(key, hit);
  }

  private boolean findUncounted(byte[] key, ValueHit hit) throws IOException {
    int only = router.locate(key, 0, key.length);
    if (only != PartitionRouter.SEVERAL) {
      if (only == PartitionRouter.NONE) {
        return false;
      }
      PartitionReader r = readers[only];
      if (r == null) {
        throw damagedPartition(only);
      }
      long h = KeyHash.hash64(key, 0, key.length, r.hashSeed());
      return r.find(r.candidate(r.home(h), h), key, 0, key.length, h, hit);
    }
    long hash = oneSeed ? KeyHash.hash64(key, 0, key.length, commonSeed) : 0;
    return router.find(key, 0, key.length, hash, probe, hit);
  }

  /** One candidate of an overlapping lookup; {@code hash} is the common-seed hash if any. */
  private boolean probe(int partition, byte[] key, int off, int len, long hash, ValueHit hit)
      throws IOException {
    PartitionReader r = readers[partition];
    if (r == null) {
      throw damagedPartition(partition);
    }
    long h = oneSeed ? hash : KeyHash.hash64(key, off, len, r.hashSeed());
    return r.find(r.candidate(r.home(h), h), key, off, len, h, hit);
  }

  @Override
  public ByteBuffer get(ByteBuffer key) throws IOException {
    Objects.requireNonNull(key, "key");
    byte[] k = new byte[key.remaining()];
    key.duplicate().get(k);
    byte[] value = get(k);
    return value == null ? null : ByteBuffer.wrap(value);
  }

  @Override
  public KeyValueIterator iterator() throws IOException {
    return iterator(null, null);
  }

  @Override
  public KeyValueIterator iterator(byte[] fromKey, byte[] toKey) throws IOException {
    checkOpen();
    byte[] from = fromKey == null ? null : fromKey.clone();
    byte[] to = toKey == null ? null : toKey.clone();
    List<Integer> chosen = new ArrayList<>();
    for (int i : router.orderedByFirstKey()) {
      PartitionInfo p = partitions.get(i);
      boolean beforeEnd = to == null || Bytes.compare(p.getFirstKey(), to) < 0;
      boolean afterStart = from == null || Bytes.compare(p.getLastKey(), from) >= 0;
      if (beforeEnd && afterStart && (from == null || to == null || Bytes.compare(from, to) < 0)) {
        chosen.add(i);
      }
    }
    int[] order = chosen.stream().mapToInt(Integer::intValue).toArray();
    boolean merge = !router.isDisjoint() && order.length > 1;
    Configuration scanConf = conf;
    byte[][] firstKeys = null;
    if (merge) {
      // Scans open lazily, about as many at once as ranges overlap: share the buffer among them.
      scanConf = new Configuration(conf);
      long total = KeyValueConf.READ_BUFFER_SIZE.getLong(conf);
      KeyValueConf.READ_BUFFER_SIZE.setLong(scanConf,
          Math.max(64 * 1024, total / (router.overlapDepth() + 1)));
      firstKeys = new byte[partitions.size()][];
      for (int i : order) {
        firstKeys[i] = partitions.get(i).getFirstKey();
      }
    }
    Configuration c = scanConf;
    StoreIterator[] self = new StoreIterator[1];
    StoreIterator iterator = new StoreIterator(order, firstKeys, i -> {
      checkOpen();
      if (damaged != null && damaged[i] != null) {
        throw damagedPartition(i);
      }
      Path file = partitions.get(i).getPath();
      // The reader's sparse index, read by the partition's first scan, positions every scan.
      long start = from == null || readers[i] == null ? -1 : readers[i].startOffset(from);
      return new BoundedScan(PartitionScanner.open(ops, file, c, from, start), to);
    }, () -> openIterators.remove(self[0]));
    self[0] = iterator;
    openIterators.add(iterator);
    if (closed) {
      // Lost a race with close(): release what the iterator opened.
      iterator.closeForReader();
      checkOpen();
    }
    return iterator;
  }

  @Override
  public long size() {
    return manifest.getKeyCount();
  }

  @Override
  public List<PartitionInfo> partitions() {
    return partitions;
  }

  @Override
  public ReaderStatistics statistics() {
    long heap = 0;
    long reads = 0;
    for (PartitionReader r : readers) {
      if (r != null) {
        heap += r.heapBytes();
        reads += r.recordReads();
      }
    }
    return new ReaderStatistics(lookups.sum(), reads, heap, manifest.getKeyCount());
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    // No lookup is in flight once this returns, so maps can be released and streams closed.
    guard.close();
    multiGet.close();
    // Every error is kept: the first thrown, the others suppressed on it.
    Closer closer = new Closer();
    for (StoreIterator iterator : openIterators.toArray(new StoreIterator[0])) {
      closer.close(iterator::closeForReader);
    }
    for (PartitionReader r : readers) {
      closer.close(r);
    }
    closer.close(context);
    closer.close(afterClose);
    closer.finish();
  }
}
