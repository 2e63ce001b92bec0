package io.kvstore.mapreduce.commit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * How many output tasks a job's framework says it runs, when it says so.
 *
 * <p>MapReduce states it: job submission sets {@value MRJobConfig#NUM_MAPS} explicitly (to the
 * number of splits), and the reducers are {@value MRJobConfig#NUM_REDUCES}, set by the job or
 * MapReduce's default of 1. The output tasks are the reducers, or the maps of a map-only job.
 * Spark's Hadoop write path sets neither key, so the values a Spark job's configuration shows are
 * Hadoop's defaults from {@code mapred-default.xml} (or nothing), which say nothing about its
 * tasks. A value counts as stated when {@link Configuration#getPropertySources} shows that it was
 * set for the job, by code or from a job file, rather than taken from Hadoop's
 * {@code *-default.xml} or a cluster's {@code *-site.xml} (cluster-wide defaults that a Spark
 * job inherits without them describing it; MapReduce submission overrides them per job).
 */
public final class StatedTasks {
  private final TaskType type;
  private final int count;
  private final String setting;

  private StatedTasks(TaskType type, int count, String setting) {
    this.type = type;
    this.count = count;
    this.setting = setting;
  }

  /**
   * What {@code conf} states about the output tasks of its job.
   *
   * @return the statement, or null if the configuration states nothing (a Spark job)
   */
  public static StatedTasks of(Configuration conf) {
    int reduces = conf.getInt(MRJobConfig.NUM_REDUCES, 1);
    boolean mapReduceJob = isSet(conf, MRJobConfig.NUM_MAPS);
    if (reduces > 0) {
      if (!mapReduceJob && !isSet(conf, MRJobConfig.NUM_REDUCES)) {
        return null;
      }
      return new StatedTasks(TaskType.REDUCE, reduces, MRJobConfig.NUM_REDUCES + "=" + reduces);
    }
    if (!mapReduceJob) {
      return null;
    }
    int maps = conf.getInt(MRJobConfig.NUM_MAPS, 1);
    return new StatedTasks(TaskType.MAP, maps, MRJobConfig.NUM_MAPS + "=" + maps + " with "
        + MRJobConfig.NUM_REDUCES + "=0");
  }

  /** Whether {@code key} was set for the job, not taken from defaults or site files. */
  static boolean isSet(Configuration conf, String key) {
    // Configuration.unset leaves the key's sources behind: only a present value has an origin.
    String[] sources = conf.get(key) == null ? null : conf.getPropertySources(key);
    if (sources == null || sources.length == 0) {
      return false;
    }
    // The first source is where the value came from; later ones are files it was copied through
    // (a job.xml keeps a default's origin as its first source).
    String origin = sources[0];
    return !origin.endsWith("-default.xml") && !origin.endsWith("-site.xml");
  }

  /** The type of the output tasks: reduce, or map in a map-only job. */
  public TaskType type() {
    return type;
  }

  /** How many output tasks there are. */
  public int count() {
    return count;
  }

  /** The setting that states it, for messages, e.g. {@code mapreduce.job.reduces=4}. */
  public String setting() {
    return setting;
  }

  /** Whether {@code task} is one of the stated output tasks. */
  public boolean includes(TaskID task) {
    return task.getTaskType() == type && task.getId() >= 0 && task.getId() < count;
  }

  /** The {@code i}-th stated task of {@code job}. */
  public TaskID task(JobID job, int i) {
    return new TaskID(job, type, i);
  }

  @Override
  public String toString() {
    return count + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " tasks (" + setting
        + ")";
  }
}
