package io.kvstore.impl;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.ReaderStatistics;
import io.kvstore.TableListener;
import io.kvstore.TableReader;
import io.kvstore.TableStatistics;
import io.kvstore.format.PartitionTransfer;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.format.TableLayout;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.Closer;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TableReader}: every call holds one {@link Served} version for its duration (an
 * iterator until it is closed or exhausted), counted by a reference count that the switch never
 * waits for. The switch replaces the current version with one compare-and-set and drops the
 * table's own reference to the old one; whoever drops the last reference hands the old version
 * to the background thread to be closed. A call thus never blocks on a switch, and never sees a
 * closed version: a reference is only taken from a count above zero.
 *
 * <p>Adding a method to {@link KeyValueStoreReader} means adding one line here that passes it
 * through {@link #call}.
 */
final class FollowingTableReader implements TableReader {
  private static final Logger LOG = LoggerFactory.getLogger(FollowingTableReader.class);

  private final TableOperations tables;
  private final FileOperations ops;
  private final Path table;
  private final Configuration conf;
  private final boolean verify;
  private final LocalCopies copies;
  private final AtomicReference<Served> current = new AtomicReference<>();
  /** Versions opened and not yet closed: the current one and those still finishing calls. */
  private final Set<Served> open = ConcurrentHashMap.newKeySet();
  private final List<TableListener> listeners = new CopyOnWriteArrayList<>();
  /** Polls the pointer and closes retired versions, so that no caller's thread does either. */
  private final ScheduledExecutorService background;
  private final Object refreshLock = new Object();
  private final AtomicLong switches = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private volatile long lastRefusedVersion;
  private volatile String lastRefusal;
  private volatile boolean closed;
  private final AtomicBoolean closing = new AtomicBoolean();

  /** One open version and the calls holding it; the table's own reference counts as one. */
  private final class Served {
    final long version;
    final KeyValueStoreReader reader;
    private final AtomicInteger references = new AtomicInteger(1);

    Served(long version, KeyValueStoreReader reader) {
      this.version = version;
      this.reader = reader;
    }

    /** Takes a reference unless the count already reached zero (the version is retiring). */
    boolean retain() {
      while (true) {
        int n = references.get();
        if (n == 0) {
          return false;
        }
        if (references.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (references.decrementAndGet() == 0) {
        retire(this);
      }
    }
  }

  private FollowingTableReader(TableOperations tables, FileOperations ops, Path table,
      Configuration conf, LocalCopies copies) {
    this.tables = tables;
    this.ops = ops;
    this.table = table;
    this.conf = conf;
    this.verify = KeyValueConf.TABLE_VERIFY_CHECKSUMS.getBoolean(conf);
    this.copies = copies;
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kvstore-table " + table);
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the current version of {@code table} and starts polling. */
  static FollowingTableReader open(TableOperations tables, FileOperations ops, Path table,
      Configuration conf) throws IOException {
    long interval = KeyValueConf.TABLE_POLL_INTERVAL_MS.getLong(conf);
    Path dir = tables.currentDir(table);
    FollowingTableReader reader = new FollowingTableReader(tables, ops, table, conf,
        LocalCopies.forReader(conf, false));
    try {
      Served first = reader.new Served(TableLayout.versionOf(dir.getName()),
          reader.openVersion(dir));
      reader.open.add(first);
      reader.current.set(first);
    } catch (IOException | RuntimeException e) {
      reader.background.shutdownNow();
      if (reader.copies != null) {
        Closer.closeAfter(e, reader.copies::close);
      }
      throw e;
    }
    if (interval > 0) {
      reader.background.scheduleWithFixedDelay(reader::poll, interval, interval,
          TimeUnit.MILLISECONDS);
    }
    return reader;
  }

  /** Opens a version's store: a checked local copy, or in place after checking its files. */
  private KeyValueStoreReader openVersion(Path dir) throws IOException {
    if (copies != null && copies.applies(ops)) {
      return copies.open(ops, dir);
    }
    if (verify) {
      StoreLayout.requireComplete(ops, dir);
      for (PartitionInfo p : StoreManifest.read(ops, dir).getPartitions()) {
        PartitionTransfer.transfer(ops, p.resolvedIn(dir), null, null);
      }
    }
    return HadoopStoreReader.open(ops, dir, conf);
  }

  private Served acquire() {
    while (true) {
      Served s = current.get();
      if (s == null) {
        throw new IllegalStateException("The table reader of " + table + " is closed");
      }
      if (s.retain()) {
        return s;
      }
    }
  }

  /** A call on one version. */
  private interface Call<T> {
    T on(KeyValueStoreReader reader) throws IOException;
  }

  /** Runs {@code c} on the current version, holding it for the duration of the call. */
  private <T> T call(Call<T> c) throws IOException {
    Served s = acquire();
    try {
      return c.on(s.reader);
    } finally {
      s.release();
    }
  }

  /** A call on one version answering an int, kept unboxed so copying gets allocate nothing. */
  private interface IntCall {
    int on(KeyValueStoreReader reader) throws IOException;
  }

  /** As {@link #call}, for calls that answer an int. */
  private int callInt(IntCall c) throws IOException {
    Served s = acquire();
    try {
      return c.on(s.reader);
    } finally {
      s.release();
    }
  }

  @Override
  public byte[] get(byte[] key) throws IOException {
    return call(r -> r.get(key));
  }

  @Override
  public ByteBuffer get(ByteBuffer key) throws IOException {
    return call(r -> r.get(key));
  }

  @Override
  public int get(byte[] key, byte[] dest, int off) throws IOException {
    return callInt(r -> r.get(key, dest, off));
  }

  @Override
  public int get(byte[] key, ByteBuffer dest) throws IOException {
    return callInt(r -> r.get(key, dest));
  }

  @Override
  public byte[][] getAll(byte[][] keys) throws IOException {
    return call(r -> r.getAll(keys));
  }

  @Override
  public int getAll(byte[][] keys, ByteBuffer values, int[] lengths) throws IOException {
    return callInt(r -> r.getAll(keys, values, lengths));
  }

  @Override
  public KeyValueIterator iterator() throws IOException {
    return iterator(null, null);
  }

  @Override
  public KeyValueIterator iterator(byte[] fromKey, byte[] toKey) throws IOException {
    Served s = acquire();
    try {
      return new HeldIterator(s.reader.iterator(fromKey, toKey), s);
    } catch (IOException | RuntimeException e) {
      s.release();
      throw e;
    }
  }

  @Override
  public long size() {
    Served s = acquire();
    try {
      return s.reader.size();
    } finally {
      s.release();
    }
  }

  @Override
  public List<PartitionInfo> partitions() {
    Served s = acquire();
    try {
      return s.reader.partitions();
    } finally {
      s.release();
    }
  }

  @Override
  public TableStatistics statistics() {
    Served s = acquire();
    try {
      ReaderStatistics serving = s.reader.statistics();
      return new TableStatistics(serving, s.reader.size(), s.version, switches.get(),
          refusals.get(), lastRefusedVersion, lastRefusal);
    } finally {
      s.release();
    }
  }

  @Override
  public long currentVersion() {
    Served s = current.get();
    if (s == null) {
      throw new IllegalStateException("The table reader of " + table + " is closed");
    }
    return s.version;
  }

  @Override
  public void addListener(TableListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public boolean refresh() throws IOException {
    return refresh(true);
  }

  private void poll() {
    try {
      refresh(false);
    } catch (IOException | RuntimeException e) {
      // A refused version was reported to the listeners already; a pointer that cannot be read
      // now (a NameNode restarting) is tried again at the next poll.
      if (!closed) {
        LOG.warn("Table {}: refresh failed, still serving version {}: {}", table,
            current.get() == null ? "none" : current.get().version, e.toString());
      }
    }
  }

  /**
   * @param again whether to try a version that was refused before (an explicit refresh); the
   *     poller does not copy or verify a refused version over and over
   */
  private boolean refresh(boolean again) throws IOException {
    synchronized (refreshLock) {
      Served serving = current.get();
      if (serving == null || closed) {
        throw new IllegalStateException("The table reader of " + table + " is closed");
      }
      long wanted = tables.pointer(table).current();
      if (wanted == serving.version || wanted == 0 || (!again && wanted == lastRefusedVersion)) {
        return false;
      }
      Served next;
      try {
        next = new Served(wanted, openVersion(TableLayout.versionDir(table, wanted)));
      } catch (IOException e) {
        if (!closed) {
          // Closing interrupts a copy: that is no refusal of the version.
          refused(wanted, e);
        }
        throw e;
      }
      open.add(next);
      if (!current.compareAndSet(serving, next)) {
        // close() ran meanwhile.
        retire(next);
        throw new IllegalStateException("The table reader of " + table + " is closed");
      }
      switches.incrementAndGet();
      LOG.debug("Table {}: switched from version {} to {}", table, serving.version, wanted);
      for (TableListener l : listeners) {
        try {
          l.switched(serving.version, wanted);
        } catch (RuntimeException e) {
          LOG.warn("Table {}: listener {} failed", table, l, e);
        }
      }
      serving.release();
      return true;
    }
  }

  private void refused(long version, IOException reason) {
    refusals.incrementAndGet();
    lastRefusedVersion = version;
    lastRefusal = reason.getMessage();
    LOG.warn("Table {}: not switching to version {}, still serving version {}: {}", table,
        version, current.get() == null ? "none" : current.get().version, reason.toString());
    for (TableListener l : listeners) {
      try {
        l.refused(version, reason);
      } catch (RuntimeException e) {
        LOG.warn("Table {}: listener {} failed", table, l, e);
      }
    }
  }

  /** Closes a version no call holds any more, on the background thread if it still runs. */
  private void retire(Served s) {
    try {
      background.execute(() -> closeVersion(s));
    } catch (RejectedExecutionException e) {
      closeVersion(s);
    }
  }

  private void closeVersion(Served s) {
    if (!open.remove(s)) {
      return;
    }
    try {
      s.reader.close();
    } catch (IOException | RuntimeException e) {
      // Nobody waits for this close: the version was already out of service.
      LOG.warn("Table {}: closing retired version {} failed", table, s.version, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    // Interrupts a poll copying a new version, so close does not wait for the copy.
    background.shutdownNow();
    Served last;
    synchronized (refreshLock) {
      last = current.getAndSet(null);
    }
    Closer closer = new Closer();
    // Versions held by iterators too: their lookups in flight finish, the iterators fail later.
    for (Served s : open.toArray(new Served[0])) {
      if (open.remove(s)) {
        closer.close(s.reader);
      }
    }
    if (last != null) {
      last.references.decrementAndGet();
    }
    if (copies != null) {
      closer.close(copies::close);
    }
    closer.finish();
  }

  /** An iterator holding its version until it is exhausted or closed. */
  private static final class HeldIterator implements KeyValueIterator {
    private final KeyValueIterator iterator;
    private final Served served;
    private final AtomicBoolean released = new AtomicBoolean();

    HeldIterator(KeyValueIterator iterator, Served served) {
      this.iterator = iterator;
      this.served = served;
    }

    @Override
    public boolean hasNext() throws IOException {
      boolean more = iterator.hasNext();
      if (!more) {
        close();
      }
      return more;
    }

    @Override
    public KeyValuePair next() throws IOException {
      return iterator.next();
    }

    @Override
    public void close() throws IOException {
      try {
        iterator.close();
      } finally {
        if (released.compareAndSet(false, true)) {
          served.release();
        }
      }
    }
  }
}
