package io.kvstore.commit;

import io.kvstore.KeyValueConf;
import io.kvstore.TableVersion;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job whose output is the next version of a table ({@link KeyValueConf#OUTPUT_TABLE}): it
 * writes its store at a temporary name inside the table, invisible to the table's readers; job
 * commit completes that store as any other and then publishes it as the table's new current
 * version (a directory rename, then the pointer's atomic replacement). A job that fails before
 * or during the publish leaves the table's current version as it was, and its abort deletes the
 * unpublished store.
 */
public final class TableOutput {
  private static final Logger LOG = LoggerFactory.getLogger(TableOutput.class);

  private TableOutput() {}

  /** Name of the store a job builds inside its table, never a version name. */
  public static final String JOB_STORE_NAME = StoreLayout.TEMP_PREFIX + "job-output";

  /**
   * Records {@code table} as the job's table and returns the path where the job writes its
   * store: {@value #JOB_STORE_NAME} inside the table. One name for every job of the table, so
   * a second job writing the table at the same time is refused at submission (its output path
   * exists) instead of racing the first to the pointer.
   */
  public static Path configure(Configuration conf, Path table) {
    KeyValueConf.OUTPUT_TABLE.setString(conf, table.toString());
    return new Path(table, JOB_STORE_NAME);
  }

  /** The job's table, or null if it writes a plain store. */
  public static Path table(Configuration conf) {
    String table = KeyValueConf.OUTPUT_TABLE.getString(conf).trim();
    return table.isEmpty() ? null : new Path(table);
  }

  /**
   * Fails, before any task runs, unless the job's table (if any) exists and holds its store
   * path.
   */
  public static void check(FileOperations ops, Configuration conf, Path store)
      throws IOException {
    Path table = table(conf);
    if (table == null) {
      return;
    }
    Path qualified = ops.makeQualified(table);
    if (!qualified.equals(ops.makeQualified(store).getParent())) {
      throw new IllegalArgumentException("The output path " + store + " is not inside the output"
          + " table " + table + ": set both with KeyValueOutputFormat.setOutputTable");
    }
    // Fails with "it is not a table" naming the path, before any task runs.
    new TableOperations(ops, conf).pointer(qualified);
  }

  /**
   * After job commit completed the store at {@code store}: publishes it as the table's next
   * version, then deletes old versions. A failure of the publish fails the job commit and leaves
   * the current version as it was; a failure to delete old versions is logged, not thrown, as
   * the version is published.
   */
  public static void publish(FileOperations ops, Configuration conf, Path store, String who)
      throws IOException {
    Path table = table(conf);
    if (table == null) {
      return;
    }
    Path qualified = ops.makeQualified(table);
    TableOperations tables = new TableOperations(ops, conf);
    TableVersion version = tables.publish(qualified, store);
    LOG.info("{} Published as version {} of table {}", who, version.getVersion(), qualified);
    try {
      tables.deleteOld(qualified);
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} Version {} of table {} is published, but deleting old versions failed;"
          + " the next publish or KeyValueSystem.deleteOldVersions retries", who,
          version.getVersion(), qualified, e);
    }
  }

  /**
   * On job abort: deletes the job's store if it was never published into the table (it is only
   * ever at its temporary name, which no reader of the table sees).
   */
  public static void discard(FileOperations ops, Configuration conf, Path store)
      throws IOException {
    if (table(conf) != null) {
      ops.delete(store, true);
    }
  }
}
