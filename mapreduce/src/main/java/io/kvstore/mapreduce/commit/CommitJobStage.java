package io.kvstore.mapreduce.commit;

import io.kvstore.CorruptStoreException;
import io.kvstore.commit.CommitContext;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.CommitStatistics;
import io.kvstore.commit.PublishStage;
import io.kvstore.commit.TaskManifest;
import io.kvstore.commit.TaskOutput;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Job commit, the MapReduce adapter over the engine-neutral {@link PublishStage}. Reads the
 * committed task manifests, and nothing else: the only directory listed is
 * the one that task commit's rename alone fills (attempt directories never are), so a file that
 * no committed attempt recorded cannot reach the store. Requires every task's manifest where the
 * framework states the tasks ({@link StatedTasks}), and fails on a committed task beyond them;
 * decides the routing from the job's partitioner; then {@link PublishStage} checks the recorded
 * files, refuses a key present in two partitions, moves the files into the store and publishes
 * the store manifest with one rename: that rename is the commit. Any failure before the rename
 * propagates and leaves no manifest; the job's abort then removes the store.
 */
public final class CommitJobStage {
  private static final Logger LOG = LoggerFactory.getLogger(CommitJobStage.class);
  /** Manifest property: the job that wrote the store. */
  public static final String JOB_ID_PROPERTY = "kvstore.job.id";
  /** Manifest property: the job's name. */
  public static final String JOB_NAME_PROPERTY = "kvstore.job.name";
  /** Manifest property: the committer class. */
  public static final String COMMITTER_PROPERTY = "kvstore.committer";
  /**
   * Manifest property: the setting that stated the job's task count, which job commit enforced
   * (e.g. {@code mapreduce.job.reduces=4}), or {@value #NO_STATED_TASKS} (Spark).
   */
  public static final String STATED_TASKS_PROPERTY = "kvstore.commit.stated.tasks";
  /** {@link #STATED_TASKS_PROPERTY} of a job that stated no task count. */
  public static final String NO_STATED_TASKS = "none";

  private final CommitContext context;
  private final JobID jobId;
  private final String committer;
  private PublishStage publish;
  /** The ids of the committed tasks, in the order of the loaded task outputs. */
  private final List<TaskID> taskIds = new ArrayList<>();

  /**
   * @param context the job's commit context
   * @param jobId the job
   * @param committer the committer class, recorded as {@link #COMMITTER_PROPERTY} (given by the
   *     caller, so that this package does not name the committer that depends on it)
   */
  public CommitJobStage(CommitContext context, JobID jobId, String committer) {
    this.context = context;
    this.jobId = jobId;
    this.committer = committer;
  }

  /**
   * Runs the stage.
   *
   * @return the published manifest
   */
  public StoreManifest run() throws IOException {
    publish = new PublishStage(context);
    publish.requirePublishable();
    List<TaskOutput> tasks = loadTaskManifests();
    Routing routing = decideRouting(tasks);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(JOB_ID_PROPERTY, jobId.toString());
    properties.put(JOB_NAME_PROPERTY, context.conf().get(MRJobConfig.JOB_NAME, ""));
    properties.put(COMMITTER_PROPERTY, committer);
    StatedTasks stated = StatedTasks.of(context.conf());
    properties.put(STATED_TASKS_PROPERTY, stated == null ? NO_STATED_TASKS : stated.setting());
    return publish.run(tasks, routing, properties);
  }

  /** The figures of this commit (complete once {@link #run()} returned). */
  public CommitStatistics statistics() {
    return publish == null ? new CommitStatistics() : publish.statistics();
  }

  /**
   * The committed task manifests: the entries of the directory that only task commit's rename
   * fills (attempt directories are never listed, so nothing an attempt left without committing
   * is seen). Where the framework states its tasks, every one must have committed and no other
   * may have; where it does not (Spark), every committed task is published, as Spark commits the
   * job only after every task committed.
   */
  private List<TaskOutput> loadTaskManifests() throws IOException {
    StatedTasks stated = StatedTasks.of(context.conf());
    List<TaskID> committed = new ArrayList<>();
    for (FileStatus entry : context.ops().listStatus(context.layout().committedDir())) {
      String name = entry.getPath().getName();
      if (name.startsWith(StoreLayout.TEMP_PREFIX)) {
        continue; // a task commit in flight or dead before its rename: not committed
      }
      if (name.startsWith(".")) {
        continue; // a filesystem's hidden side file (a .crc of Hadoop's checksummed local fs)
      }
      committed.add(committedTask(entry.getPath()));
    }
    committed.sort(null);
    for (TaskID task : committed) {
      if (stated != null && !stated.includes(task)) {
        throw new IOException(context.logPrefix() + " cannot commit: task " + task
            + " committed output, but the job states " + stated + ", which does not include it;"
            + " publishing without its pairs would lose them silently, so nothing was published."
            + " Set " + (stated.type() == TaskType.MAP ? MRJobConfig.NUM_MAPS
                : MRJobConfig.NUM_REDUCES) + " to the job's number of output tasks, or leave it"
            + " unset outside MapReduce");
      }
    }
    if (stated != null) {
      Set<TaskID> present = new HashSet<>(committed);
      List<TaskID> missing = new ArrayList<>();
      for (int i = 0; i < stated.count(); i++) {
        TaskID task = stated.task(jobId, i);
        if (!present.contains(task)) {
          missing.add(task);
        }
      }
      if (!missing.isEmpty()) {
        throw new IOException(context.logPrefix() + " cannot commit: " + missing.size() + " of "
            + stated.count() + " tasks never committed (first: " + missing.get(0) + "; the job"
            + " states " + stated + "); nothing was published");
      }
    }
    List<TaskOutput> tasks = new ArrayList<>(committed.size());
    taskIds.addAll(committed);
    for (TaskID task : committed) {
      tasks.add(readCommittedTask(task, context.layout().taskManifest(task.toString())));
      context.progress();
    }
    LOG.info("{} {} committed tasks ({})", context.logPrefix(), tasks.size(),
        stated == null ? "the job states no task count; publishing every committed task"
            : "the job states " + stated);
    return tasks;
  }

  /** The task whose committed manifest is {@code file}, which must be this job's. */
  private TaskID committedTask(Path file) throws IOException {
    String name = file.getName();
    // Parsed against this job's own prefix: TaskID.forName accepts only numeric job tracker ids.
    String prefix = "task" + jobId.toString().substring("job".length()) + "_";
    String ext = CommitLayout.TASK_MANIFEST_EXTENSION;
    if (name.startsWith(prefix) && name.endsWith(ext)
        && name.length() > prefix.length() + 2 + ext.length()
        && name.charAt(prefix.length() + 1) == '_') {
      try {
        TaskType type = TaskID.getTaskType(name.charAt(prefix.length()));
        int id = Integer.parseInt(name.substring(prefix.length() + 2, name.length() - ext.length()));
        TaskID task = new TaskID(jobId, type, id);
        if ((task + ext).equals(name)) {
          return task;
        }
      } catch (IllegalArgumentException e) {
        LOG.debug("{} unparsable task manifest name {}", context.logPrefix(), name, e);
      }
    }
    throw new CorruptStoreException(file, "is not a committed task manifest of job " + jobId
        + "; the job's staging directory holds foreign files, so nothing was published");
  }

  private TaskOutput readCommittedTask(TaskID task, Path file) throws IOException {
    TaskManifest manifest = TaskManifest.read(context.ops(), file);
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
    return new TaskOutput(task.toString(), task.getId(), manifest,
        context.layout().attemptDir(attempt.toString()));
  }

  private Routing decideRouting(List<TaskOutput> tasks) {
    Routing candidate = RoutingPlanner.candidate(context.conf());
    if (!candidate.isByBucket()) {
      return candidate;
    }
    // Bucket i is the output of reduce task i: only if the committed tasks are exactly reduce
    // tasks 0..n-1 of the partitioner's n buckets (not so under Spark, whose task index is its
    // own partition id) can a task's index stand for its bucket.
    boolean oneTaskPerBucket = tasks.size() == candidate.bucketCount();
    for (int i = 0; i < tasks.size() && oneTaskPerBucket; i++) {
      TaskID task = taskIds.get(i);
      oneTaskPerBucket = task.getTaskType() == TaskType.REDUCE && task.getId() == i;
    }
    if (!oneTaskPerBucket) {
      LOG.warn("{} {} committed tasks are not the {} reduce tasks of {}; the store routes lookups"
          + " by key range", context.logPrefix(), tasks.size(), candidate.bucketCount(),
          candidate);
      return Routing.byRange();
    }
    for (TaskOutput t : tasks) {
      TaskManifest m = t.manifest();
      if (m.getPartitions().isEmpty()) {
        continue;
      }
      if (!candidate.equals(m.getCheckedRouting()) || !m.keysMatchRouting()) {
        LOG.warn("{} task {} wrote keys outside its bucket of {} (checked {}, match {}); the"
            + " store routes lookups by key range", context.logPrefix(), t.task(), candidate,
            m.getCheckedRouting(), m.keysMatchRouting());
        return Routing.byRange();
      }
    }
    return candidate;
  }
}
