package io.kvstore.commit;

import io.kvstore.Bytes;
import io.kvstore.DuplicateKeyException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionScanner;
import io.kvstore.fs.FileOperations;
import io.kvstore.util.MergingIterator;
import io.kvstore.util.SortedSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /** An open scanner of a source, counting the records it reads. */
  private final class Cursor implements SortedSource {
    final Source source;
    final PartitionScanner scanner;

    Cursor(Source source, PartitionScanner scanner) {
      this.source = source;
      this.scanner = scanner;
    }

    @Override
    public boolean advance() throws IOException {
      if (!scanner.next()) {
        return false;
      }
      recordsRead++;
      return true;
    }

    @Override
    public byte[] keyBuffer() {
      return scanner.keyBuffer();
    }

    @Override
    public int keyOffset() {
      return scanner.keyOffset();
    }

    @Override
    public int keyLength() {
      return scanner.keyLength();
    }

    @Override
    public void close() throws IOException {
      scanner.close();
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
    FileOperations ops = context.ops();
    try (MergingIterator<Cursor> merge = new MergingIterator<>((key, a, b) -> {
      throw new DuplicateKeyException(key, a.source.file + " and " + b.source.file
          + "; a store never holds a key twice, nothing was published");
    })) {
      for (Source s : group) {
        merge.add(new Cursor(s, PartitionScanner.open(ops, s.file, context.conf())));
        partitionsRead++;
      }
      // Once one file is left, its remaining keys are strictly increasing and no other file is
      // left to repeat them.
      while (merge.sourcesLeft() > 1 && merge.next() != null) {
        if (recordsRead % PROGRESS_INTERVAL == 0) {
          context.progress();
        }
      }
    }
  }
}
