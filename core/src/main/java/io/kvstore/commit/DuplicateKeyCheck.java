package io.kvstore.commit;

import io.kvstore.Bytes;
import io.kvstore.DuplicateKeyException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionScanner;
import io.kvstore.fs.Closer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that no key is in two partitions before a store is published. Within one task keys are
 * strictly increasing across its files, and bucket routing separates tasks by key, so only
 * partitions of different tasks whose key ranges overlap can share a key (a map-only job, or
 * reducers that rewrite keys). Each group of such partitions is merged with one sequential scan
 * of each file; disjoint partitions are never read.
 */
public final class DuplicateKeyCheck {
  private static final Logger LOG = LoggerFactory.getLogger(DuplicateKeyCheck.class);
  private static final int PROGRESS_INTERVAL = 1 << 16;

  private final CommitContext context;
  private int partitionsRead;
  private long recordsRead;

  /** @param context the job's commit context */
  public DuplicateKeyCheck(CommitContext context) {
    this.context = context;
  }

  /** A partition file with the task that wrote it. */
  private static final class Source {
    final PartitionInfo info;
    final Path file;
    final int task;

    Source(PartitionInfo info, Path file, int task) {
      this.info = info;
      this.file = file;
      this.task = task;
    }
  }

  /** An open scanner positioned on its current record. */
  private static final class Cursor {
    final Source source;
    final PartitionScanner scanner;

    Cursor(Source source, PartitionScanner scanner) {
      this.source = source;
      this.scanner = scanner;
    }

    int compareTo(Cursor other) {
      return Bytes.compare(scanner.keyBuffer(), scanner.keyOffset(), scanner.keyLength(),
          other.scanner.keyBuffer(), other.scanner.keyOffset(), other.scanner.keyLength());
    }
  }

  /**
   * Checks the committed tasks' files (still in their attempt directories).
   *
   * @param tasks the committed tasks
   *
   * @throws DuplicateKeyException naming the key and both files
   */
  public void run(List<TaskOutput> tasks) throws IOException {
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      TaskOutput t = tasks.get(i);
      for (PartitionInfo p : t.manifest().getPartitions()) {
        sources.add(new Source(p, new Path(t.dir(), p.getFileName()), i));
      }
    }
    sources.sort((a, b) -> Bytes.compare(a.info.getFirstKey(), b.info.getFirstKey()));
    List<Source> group = new ArrayList<>();
    byte[] groupLast = null;
    for (Source s : sources) {
      if (groupLast != null && Bytes.compare(s.info.getFirstKey(), groupLast) > 0) {
        checkGroup(group);
        group.clear();
        groupLast = null;
      }
      group.add(s);
      byte[] last = s.info.getLastKey();
      if (groupLast == null || Bytes.compare(last, groupLast) > 0) {
        groupLast = last;
      }
    }
    checkGroup(group);
    if (partitionsRead > 0) {
      LOG.info("{} duplicate key check read {} records of {} overlapping partitions; no key is"
          + " repeated", context.logPrefix(), recordsRead, partitionsRead);
    }
  }

  /** Partitions read by the check. */
  public int partitionsRead() {
    return partitionsRead;
  }

  /** Records read by the check. */
  public long recordsRead() {
    return recordsRead;
  }

  private void checkGroup(List<Source> group) throws IOException {
    Set<Integer> taskSet = new HashSet<>();
    for (Source s : group) {
      taskSet.add(s.task);
    }
    if (taskSet.size() < 2) {
      return;
    }
    FileSystem fs = context.ops().getFileSystem();
    List<PartitionScanner> open = new ArrayList<>(group.size());
    try {
      merge(group, fs, open);
    } catch (IOException | RuntimeException e) {
      closeAll(open, e);
      throw e;
    }
    closeAll(open, null);
  }

  private void merge(List<Source> group, FileSystem fs, List<PartitionScanner> open)
      throws IOException {
    PriorityQueue<Cursor> queue = new PriorityQueue<>(group.size(), Cursor::compareTo);
    for (Source s : group) {
      PartitionScanner scanner = PartitionScanner.open(fs, s.file, context.conf());
      open.add(scanner);
      partitionsRead++;
      if (scanner.next()) {
        recordsRead++;
        queue.add(new Cursor(s, scanner));
      }
    }
    byte[] previous = new byte[64];
    int previousLength = -1;
    Source previousSource = null;
    while (!queue.isEmpty()) {
      Cursor c = queue.poll();
      PartitionScanner sc = c.scanner;
      if (previousLength >= 0 && Bytes.compare(previous, 0, previousLength, sc.keyBuffer(),
          sc.keyOffset(), sc.keyLength()) == 0) {
        throw new DuplicateKeyException(Arrays.copyOfRange(sc.keyBuffer(), sc.keyOffset(),
            sc.keyOffset() + sc.keyLength()), previousSource.file + " and " + c.source.file
            + "; a store never holds a key twice, nothing was published");
      }
      if (queue.isEmpty()) {
        // Its remaining keys are strictly increasing and no other file is left to repeat them.
        break;
      }
      if (previous.length < sc.keyLength()) {
        previous = new byte[Math.max(sc.keyLength(), previous.length * 2)];
      }
      System.arraycopy(sc.keyBuffer(), sc.keyOffset(), previous, 0, sc.keyLength());
      previousLength = sc.keyLength();
      previousSource = c.source;
      if (sc.next()) {
        recordsRead++;
        queue.add(c);
      }
      if (recordsRead % PROGRESS_INTERVAL == 0) {
        context.progress();
      }
    }
  }

  /**
   * Closes every scanner. Failures are added to {@code primary} when the check already failed,
   * otherwise the first one is thrown.
   */
  private static void closeAll(List<PartitionScanner> open, Exception primary)
      throws IOException {
    if (primary != null) {
      for (PartitionScanner s : open) {
        Closer.closeAfter(primary, s);
      }
      return;
    }
    Closer closer = new Closer();
    for (PartitionScanner s : open) {
      closer.close(s);
    }
    closer.finish();
  }
}
