package io.kvstore.commit;

import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine-neutral job commit: makes a given set of committed partition files a complete
 * store at the layout's path. The engine adapter (the MapReduce committer's
 * {@code CommitJobStage}, the Spark sink's batch write) decides which task outputs are committed
 * and how lookups route; this stage checks that the job still owns the path and has not
 * published, verifies every recorded file, refuses a key present in two partitions (unless
 * bucket routing already separates tasks by key), moves the files into the store and publishes
 * the store manifest with one rename: that rename is the commit. Housekeeping follows
 * ({@link CleanupJobStage}). Any failure before the rename propagates and leaves no manifest;
 * the job's abort then removes the store.
 *
 * <p>This is the seam for publishing a store from any engine: "make these partition files a
 * complete store at path P, with these manifest properties".
 */
public final class PublishStage {
  private static final Logger LOG = LoggerFactory.getLogger(PublishStage.class);

  private final CommitContext context;
  private final CommitStatistics statistics = new CommitStatistics();
  private final long start = System.currentTimeMillis();

  /** @param context the job's commit context */
  public PublishStage(CommitContext context) {
    this.context = context;
  }

  /**
   * Fails unless the job may still publish: the store has no manifest and the job owns it.
   *
   * @throws FileAlreadyExistsException if the store is already published
   * @throws IOException if another job owns the path, or none does
   */
  public void requirePublishable() throws IOException {
    CommitLayout layout = context.layout();
    if (context.ops().exists(layout.manifest())) {
      throw new FileAlreadyExistsException(context.logPrefix() + " cannot commit: the store "
          + layout.storeDir() + " is already committed (it has a " + layout.manifest().getName()
          + "); stores are write-once and a job commits once");
    }
    StoreMarker.requireOwned(context, "commit the job");
  }

  /**
   * Publishes the store.
   *
   * @param tasks the committed task outputs, in key order of tasks where they are
   *     range-partitioned (any order otherwise)
   * @param routing how lookups route; bucket routing assigns task {@link TaskOutput#index()}'s
   *     partitions to that bucket and skips the duplicate key check (the engine proved that
   *     every key is in its task's bucket)
   * @param properties manifest properties naming the job; the commit statistics are added
   * @return the published manifest
   */
  public StoreManifest run(List<TaskOutput> tasks, Routing routing,
      Map<String, String> properties) throws IOException {
    requirePublishable();
    for (TaskOutput t : tasks) {
      statistics.addTask(t.manifest());
    }
    verifyFiles(tasks);
    statistics.setLoadMillis(System.currentTimeMillis() - start);

    long checkStart = System.currentTimeMillis();
    if (!routing.isByBucket()) {
      DuplicateKeyCheck check = new DuplicateKeyCheck(context);
      check.run(tasks);
      statistics.setDuplicateCheck(check.partitionsRead(), check.recordsRead());
    }
    statistics.setCheckMillis(System.currentTimeMillis() - checkStart);

    long moveStart = System.currentTimeMillis();
    List<PartitionInfo> partitions = moveFiles(tasks, routing);
    statistics.setMoveMillis(System.currentTimeMillis() - moveStart);

    Map<String, String> all = new LinkedHashMap<>(properties);
    all.putAll(statistics.toProperties());
    StoreManifest manifest = new StoreManifest(routing, partitions, all);
    manifest.publish(context.ops(), context.layout().storeDir(), false);
    LOG.info("{} published store {} (routing {}) in {} ms: {}", context.logPrefix(),
        context.layout().storeDir(), routing, System.currentTimeMillis() - start, statistics);
    new CleanupJobStage(context).run(true);
    return manifest;
  }

  /** The figures of this commit (complete once {@link #run} returned). */
  public CommitStatistics statistics() {
    return statistics;
  }

  private void verifyFiles(List<TaskOutput> tasks) throws IOException {
    for (TaskOutput t : tasks) {
      for (PartitionInfo p : t.manifest().getPartitions()) {
        Path file = new Path(t.dir(), p.getFileName());
        FileStatus status;
        try {
          status = context.ops().getFileStatus(file);
        } catch (FileNotFoundException e) {
          throw new CorruptStoreException(file, "partition file committed by "
              + t.manifest().getAttemptId() + " is missing; nothing was published", e);
        }
        if (status.getLen() != p.getSizeBytes()) {
          throw new CorruptStoreException(file, "partition file is " + status.getLen()
              + " bytes but task commit recorded " + p.getSizeBytes()
              + "; nothing was published");
        }
      }
      context.progress();
    }
  }

  private List<PartitionInfo> moveFiles(List<TaskOutput> tasks, Routing routing)
      throws IOException {
    List<PartitionInfo> partitions = new ArrayList<>();
    FileOperations ops = context.ops();
    int moved = 0;
    for (TaskOutput t : tasks) {
      for (PartitionInfo p : t.manifest().getPartitions()) {
        Path target = new Path(context.layout().storeDir(), p.getFileName());
        ops.rename(new Path(t.dir(), p.getFileName()), target);
        partitions.add(routing.isByBucket() ? p.withBucket(t.index())
            : p.withBucket(PartitionInfo.NO_BUCKET));
        moved++;
        context.progress();
        if (moved % 1000 == 0) {
          LOG.info("{} moved {} of {} partition files", context.logPrefix(), moved,
              statistics.partitions());
        }
      }
    }
    return partitions;
  }
}
