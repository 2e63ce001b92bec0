package io.kvstore.commit;

import io.kvstore.Bytes;
import io.kvstore.PartitionInfo;
import io.kvstore.format.RollingPartitionWriter;
import io.kvstore.format.Routing;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task side of the commit protocol, for any engine: writes one attempt's pairs through a
 * {@link RollingPartitionWriter} into the attempt's work directory and, on close, records a
 * {@link TaskManifest} of exactly the files it finished (left in the attempt directory for an
 * engine that commits tasks through files, and returned for one that sends it in a commit
 * message). Every key may be checked against a candidate bucket routing, so a task that writes
 * a key outside its bucket can never make lookups route to the wrong partition.
 */
public final class AttemptWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptWriter.class);

  private final FileOperations ops;
  private final CommitLayout layout;
  private final String attempt;
  private final RollingPartitionWriter writer;
  private final Routing candidate;
  private final int bucket;
  private boolean keysMatch = true;
  private boolean closed;

  private AttemptWriter(FileOperations ops, CommitLayout layout, String attempt,
      IntFunction<String> fileNames, Configuration conf, Routing candidate, int bucket) {
    this.ops = new AttemptFileOperations(ops, attempt);
    this.layout = layout;
    this.attempt = attempt;
    this.writer = new RollingPartitionWriter(this.ops, layout.attemptDir(attempt), fileNames,
        conf);
    this.candidate = candidate;
    this.bucket = bucket;
  }

  /**
   * Creates the attempt's work directory and a writer into it.
   *
   * @param ops filesystem operations
   * @param layout the job's layout
   * @param attempt the attempt's id, unique in the job
   * @param fileNames the name of the attempt's {@code n}-th partition file, unique in the job
   * @param conf writer settings ({@code KeyValueConf})
   * @param candidate the routing every key is checked against, or {@link Routing#byRange()}
   * @param bucket the attempt's bucket of {@code candidate}
   * @throws IOException if the job's staging directory is missing (the job was not set up, or
   *     was aborted or committed) or the attempt already opened a writer
   */
  public static AttemptWriter open(FileOperations ops, CommitLayout layout, String attempt,
      IntFunction<String> fileNames, Configuration conf, Routing candidate, int bucket)
      throws IOException {
    Path dir = layout.attemptDir(attempt);
    if (ops.exists(dir)) {
      throw new IOException(attempt + ": the attempt already opened a record writer (" + dir
          + " exists); kvstore supports one record writer per task attempt");
    }
    try {
      // Never mkdirs: a zombie attempt of an aborted or committed job must not recreate the
      // staging tree (or the store directory) that the job's end deleted.
      ops.mkdir(dir);
    } catch (FileNotFoundException e) {
      throw new IOException(attempt + ": job " + layout.jobId() + " has no staging directory "
          + layout.tasksDir() + " (the job was not set up, or was aborted or committed)", e);
    }
    LOG.debug("{}: writing partitions into {}", attempt, dir);
    return new AttemptWriter(ops, layout, attempt, fileNames, conf, candidate, bucket);
  }

  /**
   * Writes one pair. Keys must be strictly increasing in unsigned byte order.
   *
   * @throws IllegalArgumentException from the partition writer for a key out of order, a
   *     duplicate key or a pair too large
   */
  public void put(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset,
      int valueLength) throws IOException {
    writer.put(key, keyOffset, keyLength, value, valueOffset, valueLength);
    if (keysMatch && candidate.isByBucket()
        && candidate.bucketOf(key, keyOffset, keyLength) != bucket) {
      keysMatch = false;
      LOG.warn("{}: key {} is not in bucket {} of {}; the store will route lookups by key range",
          attempt, Bytes.toPrintable(key, keyOffset, keyLength, 64), bucket, candidate);
    }
  }

  /** Pairs written so far. */
  public long size() {
    return writer.size();
  }

  /**
   * Finishes the last partition and records the attempt's files in its work directory. On
   * failure the attempt's files are removed and the error propagates.
   *
   * @return what the attempt wrote
   */
  public TaskManifest close() throws IOException {
    if (closed) {
      throw new IllegalStateException(attempt + ": writer already closed");
    }
    closed = true;
    TaskManifest record;
    try {
      List<PartitionInfo> partitions = writer.finish();
      record = new TaskManifest(attempt, partitions, candidate, keysMatch);
      record.write(ops, layout.writerRecord(attempt), false);
    } catch (IOException | RuntimeException e) {
      try {
        writer.abort();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    LOG.info("{}: closed output: {}", attempt, record);
    return record;
  }

  /** Whether {@link #close()} or {@link #abort()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /** Deletes the attempt's files; for a task that failed before close. */
  public void abort() throws IOException {
    closed = true;
    writer.abort();
  }
}
