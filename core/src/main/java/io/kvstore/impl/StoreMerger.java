package io.kvstore.impl;

import io.kvstore.Bytes;
import io.kvstore.DuplicateKeyException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionScanner;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.util.MergingIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges one complete store into another without rewriting data.
 *
 * <p>Steps: (1) prove the stores share no key, comparing key by key only the partition pairs
 * whose ranges overlap; (2) withdraw {@code from} by renaming its manifest to the incomplete
 * marker, so a crash can never leave it looking complete with files missing; (3) move its
 * partition files into {@code to}; (4) publish {@code to}'s new manifest with one atomic
 * replacing rename (the commit); (5) delete {@code from}. A failure before (4) moves the files
 * back and restores {@code from}'s manifest; readers of {@code to} see the old or the merged
 * store, never anything between.
 */
final class StoreMerger {
  private static final Logger LOG = LoggerFactory.getLogger(StoreMerger.class);

  private final FileOperations ops;
  private final Configuration conf;

  StoreMerger(FileOperations ops, Configuration conf) {
    this.ops = ops;
    this.conf = conf;
  }

  void merge(Path from, Path to) throws IOException {
    StoreLayout.requireComplete(ops, from);
    StoreLayout.requireComplete(ops, to);
    StoreManifest source = StoreManifest.read(ops, from);
    StoreManifest target = StoreManifest.read(ops, to);
    checkNoCommonKey(from, source, to, target);

    Set<String> taken = new HashSet<>();
    for (PartitionInfo p : target.getPartitions()) {
      taken.add(p.getFileName());
    }
    List<PartitionInfo> moved = new ArrayList<>();
    for (PartitionInfo p : source.getPartitions()) {
      String name = p.getFileName();
      for (int n = 1; taken.contains(name); n++) {
        name = "merged" + n + "-" + p.getFileName();
      }
      taken.add(name);
      moved.add(p.withFileName(name).withBucket(PartitionInfo.NO_BUCKET));
    }
    boolean sameBuckets = source.getRouting().equals(target.getRouting())
        && target.getRouting().isByBucket();
    List<PartitionInfo> all = new ArrayList<>();
    for (PartitionInfo p : target.getPartitions()) {
      all.add(sameBuckets ? p : p.withBucket(PartitionInfo.NO_BUCKET));
    }
    for (int i = 0; i < moved.size(); i++) {
      int bucket = sameBuckets ? source.getPartitions().get(i).getBucket() : PartitionInfo.NO_BUCKET;
      all.add(moved.get(i).withBucket(bucket));
    }
    Map<String, String> properties = new LinkedHashMap<>(target.getProperties());
    properties.put("merged.from", from.toString());
    StoreManifest merged = new StoreManifest(sameBuckets ? target.getRouting() : Routing.byRange(),
        all, properties);

    Path fromManifest = new Path(from, StoreLayout.MANIFEST_NAME);
    Path fromMarker = new Path(from, StoreLayout.INCOMPLETE_MARKER_NAME);
    ops.delete(fromMarker, false);
    ops.rename(fromManifest, fromMarker);
    List<Integer> done = new ArrayList<>();
    try {
      for (int i = 0; i < moved.size(); i++) {
        ops.rename(new Path(from, source.getPartitions().get(i).getFileName()),
            new Path(to, moved.get(i).getFileName()));
        done.add(i);
      }
      merged.publish(ops, to, true);
    } catch (IOException | RuntimeException e) {
      rollBack(e, from, to, source, moved, done, fromMarker, fromManifest);
      throw e;
    }
    LOG.debug("Merged {} ({} partitions) into {}", from, moved.size(), to);
    ops.delete(from, true);
  }

  private void rollBack(Exception failure, Path from, Path to, StoreManifest source,
      List<PartitionInfo> moved, List<Integer> done, Path fromMarker, Path fromManifest) {
    try {
      for (int i : done) {
        ops.rename(new Path(to, moved.get(i).getFileName()),
            new Path(from, source.getPartitions().get(i).getFileName()));
      }
      ops.rename(fromMarker, fromManifest);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      LOG.error("Merge of {} into {} failed and could not be rolled back: {} is left incomplete",
          from, to, from, e);
    }
  }

  private void checkNoCommonKey(Path from, StoreManifest source, Path to, StoreManifest target)
      throws IOException {
    for (PartitionInfo a : source.getPartitions()) {
      for (PartitionInfo b : target.getPartitions()) {
        if (a.overlaps(b)) {
          checkPair(new Path(from, a.getFileName()), a, new Path(to, b.getFileName()), b);
        }
      }
    }
  }

  /**
   * Merge-joins two partitions over the range they share: both are scanned from its start, and
   * the join ends once the partition ending first has ended, since no key after its last can be
   * in both.
   */
  private void checkPair(Path fileA, PartitionInfo a, Path fileB, PartitionInfo b)
      throws IOException {
    byte[] start = Bytes.compare(a.getFirstKey(), b.getFirstKey()) >= 0 ? a.getFirstKey() : b.getFirstKey();
    try (MergingIterator<BoundedScan> join = new MergingIterator<>((key, x, y) -> {
      throw new DuplicateKeyException(key, fileA + " and " + fileB
          + "; stores to merge must not share keys");
    })) {
      join.add(new BoundedScan(PartitionScanner.open(ops, fileA, conf, start), null));
      join.add(new BoundedScan(PartitionScanner.open(ops, fileB, conf, start), null));
      while (join.sourcesLeft() > 1 && join.next() != null) {
        // The handler throws on the first key both hold.
      }
    }
  }
}
