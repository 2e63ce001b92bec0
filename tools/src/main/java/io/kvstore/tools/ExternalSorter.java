package io.kvstore.tools;

import io.kvstore.Bytes;
import io.kvstore.fs.Closer;
import io.kvstore.util.MergingIterator;
import io.kvstore.util.SortedSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sorts pairs that may not fit in memory: keeps up to a memory budget of pairs, sorts and spills
 * them as a run file on local disk when the budget is reached, and finally merges the runs.
 * Equal keys come out in input order, each with its original position, so the caller can name
 * both lines of a duplicate. The sorter's temporary directory is removed on {@link #close()}.
 */
final class ExternalSorter implements Closeable {
  /** Memory a buffered pair costs beyond its bytes (object headers, arrays, list slot). */
  private static final int PAIR_OVERHEAD = 80;

  private static final Comparator<Entry> ORDER = (a, b) -> {
    int c = Bytes.compare(a.key, b.key);
    return c != 0 ? c : Long.compare(a.ordinal, b.ordinal);
  };

  private final long memoryBudget;
  private final File directory;
  private final java.util.function.Supplier<String> unit;
  private final List<Entry> buffer = new ArrayList<>();
  private final List<File> runs = new ArrayList<>();
  private long buffered;

  /**
   * @param parent local directory for run files
   * @param memoryBudget bytes of pairs to hold before spilling a run
   * @param unit what an input position counts ("line", "record"), asked once the input is read
   */
  ExternalSorter(File parent, long memoryBudget, java.util.function.Supplier<String> unit)
      throws IOException {
    this.memoryBudget = memoryBudget;
    this.unit = unit;
    this.directory = Files.createTempDirectory(parent.toPath(), "kvstore-sort-").toFile();
  }

  /** Adds a pair read at input position {@code position} (1-based, in {@link #unit}s). */
  void add(byte[] key, byte[] value, long position) throws IOException {
    buffer.add(new Entry(key, value, position));
    buffered += key.length + value.length + PAIR_OVERHEAD;
    if (buffered >= memoryBudget) {
      spill();
    }
  }

  /** Number of runs written to disk so far. */
  int runCount() {
    return runs.size();
  }

  /** The sorted pairs; call once, after the last {@link #add}. */
  PairSource sorted() throws IOException {
    buffer.sort(ORDER);
    if (runs.isEmpty()) {
      return new MemorySource(buffer);
    }
    if (!buffer.isEmpty()) {
      spill();
    }
    return new MergeSource(runs);
  }

  private void spill() throws IOException {
    buffer.sort(ORDER);
    File run = new File(directory, "run-" + runs.size());
    try (DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(Files.newOutputStream(run.toPath()), 1 << 16))) {
      for (Entry e : buffer) {
        out.writeLong(e.ordinal);
        out.writeInt(e.key.length);
        out.write(e.key);
        out.writeInt(e.value.length);
        out.write(e.value);
      }
    }
    runs.add(run);
    buffer.clear();
    buffered = 0;
  }

  @Override
  public void close() throws IOException {
    buffer.clear();
    for (File run : runs) {
      Files.deleteIfExists(run.toPath());
    }
    Files.deleteIfExists(directory.toPath());
  }

  private static final class Entry {
    final byte[] key;
    final byte[] value;
    final long ordinal;

    Entry(byte[] key, byte[] value, long ordinal) {
      this.key = key;
      this.value = value;
      this.ordinal = ordinal;
    }
  }

  /** The sorted in-memory buffer, when nothing was spilled. */
  private final class MemorySource implements PairSource {
    private final List<Entry> entries;
    private int index = -1;

    MemorySource(List<Entry> entries) {
      this.entries = entries;
    }

    @Override
    public boolean next() {
      return ++index < entries.size();
    }

    @Override
    public byte[] key() {
      return entries.get(index).key;
    }

    @Override
    public byte[] value() {
      return entries.get(index).value;
    }

    @Override
    public String position() {
      return unit.get() + " " + entries.get(index).ordinal;
    }

    @Override
    public long bytesRead() {
      return index + 1;
    }

    @Override
    public void close() {
      entries.clear();
    }
  }

  /**
   * The spilled runs merged: equal keys come out in the order of their runs, which were spilled
   * in input order, so each run's equal keys follow the earlier runs' ones.
   */
  private final class MergeSource implements PairSource {
    private final MergingIterator<RunReader> merge = new MergingIterator<>(null);
    private Entry current;
    private long count;

    MergeSource(List<File> files) throws IOException {
      try {
        for (File f : files) {
          merge.add(new RunReader(f));
        }
      } catch (IOException | RuntimeException e) {
        Closer.closeAfter(e, merge);
        throw e;
      }
    }

    @Override
    public boolean next() throws IOException {
      RunReader top = merge.next();
      if (top == null) {
        return false;
      }
      current = top.current;
      count++;
      return true;
    }

    @Override
    public byte[] key() {
      return current.key;
    }

    @Override
    public byte[] value() {
      return current.value;
    }

    @Override
    public String position() {
      return unit.get() + " " + current.ordinal;
    }

    @Override
    public long bytesRead() {
      return count;
    }

    @Override
    public void close() throws IOException {
      merge.close();
    }
  }

  /** One run file read back, positioned on its current entry. */
  private static final class RunReader implements SortedSource {
    final DataInputStream in;
    Entry current;

    RunReader(File file) throws IOException {
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file.toPath()),
          1 << 16));
    }

    @Override
    public boolean advance() throws IOException {
      long position;
      try {
        position = in.readLong();
      } catch (EOFException end) {
        current = null;
        return false;
      }
      byte[] key = new byte[in.readInt()];
      in.readFully(key);
      byte[] value = new byte[in.readInt()];
      in.readFully(value);
      current = new Entry(key, value, position);
      return true;
    }

    @Override
    public byte[] keyBuffer() {
      return current.key;
    }

    @Override
    public int keyOffset() {
      return 0;
    }

    @Override
    public int keyLength() {
      return current.key.length;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
