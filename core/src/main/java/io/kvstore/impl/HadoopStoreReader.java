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
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  /** {@link #probe}, made once so that lookups allocate nothing. */
  private final KeyRangeLayers.Probe probe = this::probe;
  private final long commonSeed;
  private final boolean oneSeed;
  private final LongAdder lookups = new LongAdder();
  /** Iterators not yet closed, so closing the reader releases their streams too. */
  private final Set<StoreIterator> openIterators = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private HadoopStoreReader(FileOperations ops, Path dir, Configuration conf,
      StoreManifest manifest, List<PartitionInfo> partitions, PartitionReader[] readers,
      String[] damaged, ReadContext context) {
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
    StoreLayout.requireComplete(ops, dir);
    StoreManifest manifest = StoreManifest.read(ops, dir);
    List<PartitionInfo> resolved = new ArrayList<>();
    for (PartitionInfo p : manifest.getPartitions()) {
      resolved.add(p.resolvedIn(dir));
    }
    PartitionReader[] readers = new PartitionReader[resolved.size()];
    boolean degraded = KeyValueConf.READ_DEGRADED.getBoolean(conf);
    String[] damaged = null;
    ReadContext context = new ReadContext(ops, conf);
    try {
      for (int i = 0; i < readers.length; i++) {
        try {
          readers[i] = PartitionReader.open(context, resolved.get(i).getPath(), resolved.get(i));
        } catch (IOException e) {
          if (!degraded) {
            throw e;
          }
          // Degraded: serve the keys other partitions hold; lookups that could need this one fail.
          damaged = damaged == null ? new String[readers.length] : damaged;
          damaged[i] = e instanceof CorruptStoreException
              ? ((CorruptStoreException) e).getProblem() : e.getMessage();
          LOG.warn("Degraded read of {}: {} is unusable and every lookup or scan that could need"
              + " it fails: {}", dir, resolved.get(i).getFileName(), e.getMessage());
        }
      }
    } catch (IOException | RuntimeException e) {
      for (PartitionReader r : readers) {
        Closer.closeAfter(e, r);
      }
      Closer.closeAfter(e, context);
      throw e;
    }
    return new HadoopStoreReader(ops, dir, conf, manifest, Collections.unmodifiableList(resolved),
        readers, damaged, context);
  }

  /** The error of a lookup or scan that could need damaged partition {@code i}. */
  private CorruptStoreException damagedPartition(int i) {
    return new CorruptStoreException(partitions.get(i).getPath(), "unusable, and it may hold"
        + " the key asked for (read in degraded mode: " + damaged[i] + ")");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The reader of " + dir + " is closed");
    }
  }

  @Override
  public byte[] get(byte[] key) throws IOException {
    Objects.requireNonNull(key, "key");
    // Inside the guard close() waits for this lookup before it unmaps or closes anything.
    int cell = guard.enter();
    try {
      return lookup(key);
    } finally {
      guard.exit(cell);
    }
  }

  private byte[] lookup(byte[] key) throws IOException {
    lookups.increment();
    int only = router.locate(key, 0, key.length);
    if (only != PartitionRouter.SEVERAL) {
      if (only == PartitionRouter.NONE) {
        return null;
      }
      PartitionReader reader = readers[only];
      if (reader == null) {
        throw damagedPartition(only);
      }
      return reader.get(key, 0, key.length, KeyHash.hash64(key, 0, key.length, reader.hashSeed()));
    }
    long hash = oneSeed ? KeyHash.hash64(key, 0, key.length, commonSeed) : 0;
    return router.find(key, 0, key.length, hash, probe);
  }

  /** One candidate of an overlapping lookup; {@code hash} is the common-seed hash if any. */
  private byte[] probe(int partition, byte[] key, int off, int len, long hash)
      throws IOException {
    PartitionReader reader = readers[partition];
    if (reader == null) {
      throw damagedPartition(partition);
    }
    long h = oneSeed ? hash : KeyHash.hash64(key, off, len, reader.hashSeed());
    return reader.get(key, off, len, h);
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
      return new BoundedScan(PartitionScanner.open(ops, file, c, from), to);
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
    // Every error is kept: the first thrown, the others suppressed on it.
    Closer closer = new Closer();
    for (StoreIterator iterator : openIterators.toArray(new StoreIterator[0])) {
      closer.close(iterator::closeForReader);
    }
    for (PartitionReader r : readers) {
      closer.close(r);
    }
    closer.close(context);
    closer.finish();
  }
}
