package io.kvstore.spark;

import io.kvstore.commit.AbortJobStage;
import io.kvstore.commit.CommitContext;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.PublishStage;
import io.kvstore.commit.SetupJobStage;
import io.kvstore.commit.TaskManifest;
import io.kvstore.commit.TableOutput;
import io.kvstore.commit.TaskOutput;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.commit.CommitJobStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.distributions.Distribution;
import org.apache.spark.sql.connector.distributions.Distributions;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.SortDirection;
import org.apache.spark.sql.connector.expressions.SortOrder;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.RequiresDistributionAndOrdering;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write of a store from a DataFrame of {@code key} and {@code value} columns (binary or
 * string). Asks Spark ({@link RequiresDistributionAndOrdering}) to distribute the rows by key
 * and sort each task's rows, so equal keys meet in one task, where they are refused, and each
 * task writes sorted files. Two distributions ({@link StoreOptions#hashDistribution}):
 * <ul>
 *   <li>{@code hash}: Spark's hash partitioning on the key into an explicit number of tasks
 *       (so adaptive execution cannot coalesce them and task {@code i} is hash bucket
 *       {@code i}); the store records Spark's function as its bucket routing
 *       ({@link BucketFunction#SPARK_MURMUR3}), so a lookup computes the key's one partition.
 *       Every key is checked against its task's bucket as it is written; should Spark ever
 *       route otherwise, the store falls back to key-range routing with the duplicate check at
 *       commit, never to a wrong routing.
 *   <li>{@code range}: a range partitioning, for which Spark first samples the input (computing
 *       it once more unless cached); each task receives a contiguous key range, so its files
 *       are disjoint from every other task's and lookups route by key range.
 * </ul>
 * Spark orders binary and (UTF8_BINARY) string columns by their unsigned bytes, kvstore's own
 * order, and hashes both as their bytes.
 *
 * <p>The commit is the core protocol ({@code io.kvstore.commit}): job setup claims the path,
 * each task writes its files in its attempt directory and sends its task manifest in its commit
 * message, Spark's commit coordinator lets one attempt per partition commit, and the driver
 * publishes exactly the committed attempts' files ({@link PublishStage}); a failed or aborted job
 * removes the store it claimed. With an output table ({@link TableOutput}), the complete store
 * is then published as the table's next current version; a job failing before that, or in it,
 * leaves the table's current version as it was and removes its store.
 */
final class KeyValueWrite implements RequiresDistributionAndOrdering {
  private static final Logger LOG = LoggerFactory.getLogger(KeyValueWrite.class);
  /** Manifest property naming the writer. */
  static final String COMMITTER = KeyValueWrite.class.getName();

  private final LogicalWriteInfo info;
  private final Map<String, String> options;
  private final boolean hash;
  /** The write tasks asked of Spark, 0 to leave the count to Spark. */
  private final int partitions;

  KeyValueWrite(LogicalWriteInfo info) {
    this.info = info;
    this.options = info.options().asCaseSensitiveMap();
    SparkSession spark = SparkSession.active();
    this.hash = StoreOptions.hashDistribution(options, StoreOptions.hadoopConf(spark, options));
    int n = partitionsOption(options);
    if (n == 0 && hash) {
      // An explicit count: Spark then never coalesces the hash partitions, so task i is
      // bucket i of exactly this many.
      n = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions").trim());
    }
    this.partitions = n;
  }

  /** The option {@value StoreOptions#PARTITIONS}, 0 when not given. */
  private static int partitionsOption(Map<String, String> options) {
    String partitions = StoreOptions.get(options, StoreOptions.PARTITIONS);
    if (partitions == null) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(partitions.trim());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1) {
      throw new IllegalArgumentException("kvstore: option " + StoreOptions.PARTITIONS
          + " must be a positive integer, not " + partitions);
    }
    return n;
  }

  @Override
  public String description() {
    return "kvstore write to " + StoreOptions.path(options);
  }

  @Override
  public Distribution requiredDistribution() {
    if (hash) {
      return Distributions.clustered(
          new Expression[] {Expressions.column(StoreOptions.DEFAULT_KEY)});
    }
    return Distributions.ordered(keyOrder());
  }

  @Override
  public int requiredNumPartitions() {
    return partitions;
  }

  /** The bucket routing the tasks' keys are checked against; range routing for a range write. */
  private Routing candidateRouting() {
    return hash ? Routing.byBucket(BucketFunction.SPARK_MURMUR3, BucketFunction.SPARK_HASH_SEED,
        partitions) : Routing.byRange();
  }

  @Override
  public SortOrder[] requiredOrdering() {
    return keyOrder();
  }

  private static SortOrder[] keyOrder() {
    return new SortOrder[] {
        Expressions.sort(Expressions.column(StoreOptions.DEFAULT_KEY), SortDirection.ASCENDING)};
  }

  @Override
  public BatchWrite toBatch() {
    StructType schema = info.schema();
    StoreOptions.keyOrValueField(schema, StoreOptions.DEFAULT_KEY, "key");
    StoreOptions.keyOrValueField(schema, StoreOptions.DEFAULT_VALUE, "value");
    SparkSession spark = SparkSession.active();
    Configuration conf = StoreOptions.hadoopConf(spark, options);
    try {
      Path path = new Path(StoreOptions.path(options));
      FileOperations ops = FileOperations.forPath(path, conf);
      Path store = ops.makeQualified(path);
      String jobId = "spark_" + info.queryId().replace("-", "");
      // With an output table: fails here, before any task, unless it is a table holding store.
      TableOutput.check(ops, conf, store);
      CommitContext context = context(ops, store, jobId, conf);
      boolean keyString = schema.apply(StoreOptions.DEFAULT_KEY).dataType() instanceof StringType;
      boolean valueString =
          schema.apply(StoreOptions.DEFAULT_VALUE).dataType() instanceof StringType;
      int keyIndex = schema.fieldIndex(StoreOptions.DEFAULT_KEY);
      int valueIndex = schema.fieldIndex(StoreOptions.DEFAULT_VALUE);
      return new Batch(context, candidateRouting(), new KeyValueDataWriter.Factory(
          store.toString(), jobId, new SerializableConfiguration(conf), keyIndex, keyString,
          valueIndex, valueString, hash ? partitions : 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  static CommitContext context(FileOperations ops, Path store, String jobId,
      Configuration conf) {
    return new CommitContext(ops, new CommitLayout(store, jobId), conf,
        CommitContext.NO_PROGRESS, "[" + jobId + "]");
  }

  /** The driver side of the write. */
  private static final class Batch implements BatchWrite {
    private final CommitContext context;
    private final Routing candidate;
    private final KeyValueDataWriter.Factory factory;

    Batch(CommitContext context, Routing candidate, KeyValueDataWriter.Factory factory) {
      this.context = context;
      this.candidate = candidate;
      this.factory = factory;
    }

    /**
     * Claims the store path. Not done in {@code toBatch}: Spark executes the query's shuffle
     * stages (the distribution) between the two, and a failure there does not abort the
     * write, so a path claimed earlier would be left incomplete. From here on any failure
     * reaches {@link #abort}.
     */
    @Override
    public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo physical) {
      try {
        new SetupJobStage(context).run();
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      return factory;
    }

    @Override
    public boolean useCommitCoordinator() {
      return true;
    }

    @Override
    public void commit(WriterCommitMessage[] messages) {
      List<KeyValueCommitMessage> committed = new ArrayList<>();
      for (WriterCommitMessage m : messages) {
        if (!(m instanceof KeyValueCommitMessage)) {
          throw new IllegalStateException("kvstore: job " + context.layout().jobId()
              + " received a commit message of another writer: " + m);
        }
        committed.add((KeyValueCommitMessage) m);
      }
      // Range partition i holds smaller keys than partition i + 1: manifest order is key order.
      // Hash partition i is bucket i.
      committed.sort(Comparator.comparingInt(m -> m.partitionId));
      try {
        List<TaskOutput> tasks = new ArrayList<>();
        for (KeyValueCommitMessage m : committed) {
          TaskManifest manifest = TaskManifest.parse(m.manifest,
              "the commit message of Spark partition " + m.partitionId);
          if (!manifest.getAttemptId().equals(m.attempt)) {
            throw new IOException("kvstore: the commit message of Spark partition "
                + m.partitionId + " names attempt " + m.attempt + " but carries the manifest of "
                + manifest.getAttemptId());
          }
          tasks.add(new TaskOutput("partition " + m.partitionId, m.partitionId, manifest,
              context.layout().attemptDir(m.attempt)));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CommitJobStage.JOB_ID_PROPERTY, context.layout().jobId());
        properties.put(CommitJobStage.COMMITTER_PROPERTY, COMMITTER);
        StoreManifest manifest = new PublishStage(context).run(tasks, routing(tasks),
            properties);
        LOG.info("{} wrote store {}: {} partitions, {} pairs", context.logPrefix(),
            context.layout().storeDir(), manifest.getPartitions().size(),
            manifest.getKeyCount());
        // A failure here reaches abort, which removes the store the table never took.
        TableOutput.publish(context.ops(), context.conf(), context.layout().storeDir(),
            context.logPrefix());
      } catch (IOException e) {
        throw new UncheckedIOException("kvstore: committing store " + context.layout().storeDir()
            + " failed: " + e.getMessage(), e);
      }
    }

    /**
     * The candidate routing if every bucket's task committed and wrote only keys of its bucket
     * (checked key by key as they were written); otherwise key-range routing, under which the
     * publish checks overlapping partitions for duplicate keys.
     */
    private Routing routing(List<TaskOutput> tasks) {
      if (!candidate.isByBucket()) {
        return candidate;
      }
      boolean oneTaskPerBucket = tasks.size() == candidate.bucketCount();
      for (int i = 0; i < tasks.size() && oneTaskPerBucket; i++) {
        TaskOutput t = tasks.get(i);
        oneTaskPerBucket = t.index() == i && candidate.equals(t.manifest().getCheckedRouting())
            && t.manifest().keysMatchRouting();
      }
      if (!oneTaskPerBucket) {
        LOG.warn("{} the {} committed tasks are not the {} buckets of {} (Spark partitioned"
            + " otherwise); the store routes lookups by key range", context.logPrefix(),
            tasks.size(), candidate.bucketCount(), candidate);
        return Routing.byRange();
      }
      return candidate;
    }

    @Override
    public void abort(WriterCommitMessage[] messages) {
      try {
        new AbortJobStage(context).run("aborted by Spark");
        TableOutput.discard(context.ops(), context.conf(), context.layout().storeDir());
      } catch (IOException e) {
        throw new UncheckedIOException("kvstore: aborting the write of "
            + context.layout().storeDir() + " failed: " + e.getMessage(), e);
      }
    }
  }
}
