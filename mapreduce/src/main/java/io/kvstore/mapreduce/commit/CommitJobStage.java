package io.kvstore.mapreduce.commit;

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
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job commit. Reads the committed task manifests, and nothing else: no directory is ever listed,
 * so a file that no committed attempt recorded cannot reach the store. Requires every task's
 * manifest, checks the recorded files, refuses a key present in two partitions, moves the files
 * into the store, then publishes the store manifest with one rename: that rename is the commit.
 * Housekeeping follows ({@link CleanupJobStage}). Any failure before the rename propagates and
 * leaves no manifest; the job's abort then removes the store.
 */
public final class CommitJobStage {
  private static final Logger LOG = LoggerFactory.getLogger(CommitJobStage.class);
  /** Manifest property: the job that wrote the store. */
  public static final String JOB_ID_PROPERTY = "kvstore.job.id";
  /** Manifest property: the job's name. */
  public static final String JOB_NAME_PROPERTY = "kvstore.job.name";
  /** Manifest property: the committer class. */
  public static final String COMMITTER_PROPERTY = "kvstore.committer";

  private final CommitContext context;
  private final JobID jobId;
  private final CommitStatistics statistics = new CommitStatistics();

  /**
   * @param context the job's commit context
   * @param jobId the job
   */
  public CommitJobStage(CommitContext context, JobID jobId) {
    this.context = context;
    this.jobId = jobId;
  }

  /** A task manifest with the task it belongs to. */
  static final class CommittedTask {
    final TaskID task;
    final TaskManifest manifest;
    final Path attemptDir;

    CommittedTask(TaskID task, TaskManifest manifest, Path attemptDir) {
      this.task = task;
      this.manifest = manifest;
      this.attemptDir = attemptDir;
    }
  }

  /**
   * Runs the stage.
   *
   * @return the published manifest
   */
  public StoreManifest run() throws IOException {
    FileOperations ops = context.ops();
    CommitLayout layout = context.layout();
    long start = System.currentTimeMillis();
    if (ops.exists(layout.manifest())) {
      throw new FileAlreadyExistsException(context.logPrefix() + " cannot commit: the store "
          + layout.storeDir() + " is already committed (it has a " + layout.manifest().getName()
          + "); stores are write-once and a job commits once");
    }
    StoreMarker.requireOwned(context, "commit the job");

    List<CommittedTask> tasks = loadTaskManifests();
    verifyFiles(tasks);
    statistics.setLoadMillis(System.currentTimeMillis() - start);

    long checkStart = System.currentTimeMillis();
    Routing routing = decideRouting(tasks);
    if (!routing.isByBucket()) {
      DuplicateKeyCheck check = new DuplicateKeyCheck(context);
      check.run(tasks);
      statistics.setDuplicateCheck(check.partitionsRead(), check.recordsRead());
    }
    statistics.setCheckMillis(System.currentTimeMillis() - checkStart);

    long moveStart = System.currentTimeMillis();
    List<PartitionInfo> partitions = moveFiles(tasks, routing);
    statistics.setMoveMillis(System.currentTimeMillis() - moveStart);

    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(JOB_ID_PROPERTY, jobId.toString());
    properties.put(JOB_NAME_PROPERTY, context.conf().get(MRJobConfig.JOB_NAME, ""));
    properties.put(COMMITTER_PROPERTY, "io.kvstore.mapreduce.KeyValueOutputCommitter");
    properties.putAll(statistics.toProperties());
    StoreManifest manifest = new StoreManifest(routing, partitions, properties);
    manifest.publish(ops, layout.storeDir(), false);
    LOG.info("{} published store {} (routing {}) in {} ms: {}", context.logPrefix(),
        layout.storeDir(), routing, System.currentTimeMillis() - start, statistics);
    new CleanupJobStage(context).run(true);
    return manifest;
  }

  /** The figures of this commit (complete once {@link #run()} returned). */
  public CommitStatistics statistics() {
    return statistics;
  }

  private List<TaskID> expectedTasks() {
    int reduces = context.conf().getInt(MRJobConfig.NUM_REDUCES, 1);
    TaskType type = reduces > 0 ? TaskType.REDUCE : TaskType.MAP;
    int count = reduces > 0 ? reduces : context.conf().getInt(MRJobConfig.NUM_MAPS, 1);
    List<TaskID> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tasks.add(new TaskID(jobId, type, i));
    }
    return tasks;
  }

  private List<CommittedTask> loadTaskManifests() throws IOException {
    List<TaskID> expected = expectedTasks();
    List<CommittedTask> tasks = new ArrayList<>(expected.size());
    List<TaskID> missing = new ArrayList<>();
    for (TaskID task : expected) {
      Path file = context.layout().taskManifest(task);
      TaskManifest manifest;
      try {
        manifest = TaskManifest.read(context.ops(), file);
      } catch (FileNotFoundException e) {
        missing.add(task);
        continue;
      }
      TaskAttemptID attempt;
      try {
        attempt = TaskAttemptID.forName(manifest.getAttemptId());
      } catch (IllegalArgumentException e) {
        throw new CorruptStoreException(file, "names an invalid attempt "
            + manifest.getAttemptId(), e);
      }
      if (attempt == null || !attempt.getTaskID().toString().equals(task.toString())) {
        throw new CorruptStoreException(file, "belongs to attempt " + manifest.getAttemptId()
            + ", not to task " + task);
      }
      tasks.add(new CommittedTask(task, manifest, context.layout().attemptDir(attempt)));
      statistics.addTask(manifest);
      context.progress();
    }
    if (!missing.isEmpty()) {
      throw new IOException(context.logPrefix() + " cannot commit: " + missing.size() + " of "
          + expected.size() + " tasks never committed (first: " + missing.get(0)
          + "); nothing was published");
    }
    return tasks;
  }

  private void verifyFiles(List<CommittedTask> tasks) throws IOException {
    for (CommittedTask t : tasks) {
      for (PartitionInfo p : t.manifest.getPartitions()) {
        Path file = new Path(t.attemptDir, p.getFileName());
        FileStatus status;
        try {
          status = context.ops().getFileStatus(file);
        } catch (FileNotFoundException e) {
          throw new CorruptStoreException(file, "partition file committed by "
              + t.manifest.getAttemptId() + " is missing; nothing was published", e);
        }
        if (status.getLen() != p.getSizeBytes()) {
          throw new CorruptStoreException(file, "partition file is " + status.getLen()
              + " bytes but task commit recorded " + p.getSizeBytes()
              + "; nothing was published");
        }
      }
    }
  }

  private Routing decideRouting(List<CommittedTask> tasks) {
    Routing candidate = RoutingPlanner.candidate(context.conf());
    if (!candidate.isByBucket()) {
      return candidate;
    }
    for (CommittedTask t : tasks) {
      TaskManifest m = t.manifest;
      if (m.getPartitions().isEmpty()) {
        continue;
      }
      if (!candidate.equals(m.getCheckedRouting()) || !m.keysMatchRouting()) {
        LOG.warn("{} task {} wrote keys outside its bucket of {} (checked {}, match {}); the"
            + " store routes lookups by key range", context.logPrefix(), t.task, candidate,
            m.getCheckedRouting(), m.keysMatchRouting());
        return Routing.byRange();
      }
    }
    return candidate;
  }

  private List<PartitionInfo> moveFiles(List<CommittedTask> tasks, Routing routing)
      throws IOException {
    List<PartitionInfo> partitions = new ArrayList<>();
    int moved = 0;
    for (CommittedTask t : tasks) {
      for (PartitionInfo p : t.manifest.getPartitions()) {
        Path target = new Path(context.layout().storeDir(), p.getFileName());
        context.ops().rename(new Path(t.attemptDir, p.getFileName()), target);
        partitions.add(routing.isByBucket() ? p.withBucket(t.task.getId())
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
