package io.kvstore.commit;

import io.kvstore.fs.FileOperations;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.Progressable;

/**
 * What every commit stage needs: the filesystem operations, the job's layout, its configuration,
 * somewhere to report progress and a prefix that names the job or attempt in every log line.
 */
public final class CommitContext {
  /** A reporter for engines that need no progress (Spark's driver). */
  public static final Progressable NO_PROGRESS = () -> { };

  private final FileOperations ops;
  private final CommitLayout layout;
  private final Configuration conf;
  private final Progressable progress;
  private final String logPrefix;

  /**
   * @param ops filesystem operations
   * @param layout the job's layout
   * @param conf the job configuration
   * @param progress where long operations report progress
   * @param logPrefix names the job or attempt in log lines
   */
  public CommitContext(FileOperations ops, CommitLayout layout, Configuration conf,
      Progressable progress, String logPrefix) {
    this.ops = ops;
    this.layout = layout;
    this.conf = conf;
    this.progress = progress;
    this.logPrefix = logPrefix;
  }

  /** Filesystem operations. */
  public FileOperations ops() {
    return ops;
  }

  /** The job's layout. */
  public CommitLayout layout() {
    return layout;
  }

  /** The job configuration. */
  public Configuration conf() {
    return conf;
  }

  /** Reports progress, so a long commit is not taken for a hung one. */
  public void progress() {
    progress.progress();
  }

  /** Prefix naming the job or attempt, for log lines. */
  public String logPrefix() {
    return logPrefix;
  }
}
