package io.kvstore.spark;

import io.kvstore.Bytes;
import io.kvstore.DuplicateKeyException;
import io.kvstore.commit.AttemptWriter;
import io.kvstore.commit.CommitLayout;
import io.kvstore.commit.TaskManifest;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The task side of a store write: one attempt's sorted rows through the core
 * {@link AttemptWriter} into the attempt's directory; its commit message carries the task
 * manifest. A key equal to the previous one fails the task with a
 * {@link DuplicateKeyException} naming it (the distribution brings equal keys together). Under
 * the hash distribution every key is checked against the attempt's bucket of Spark's hash
 * routing ({@link AttemptWriter}), which the store records only if every key matched.
 */
final class KeyValueDataWriter implements DataWriter<InternalRow> {
  private final AttemptWriter writer;
  private final FileOperations ops;
  private final CommitLayout layout;
  private final String attempt;
  private final int partitionId;
  private final Factory factory;
  private byte[] previous;
  private long rows;
  private boolean done;

  private KeyValueDataWriter(Factory factory, int partitionId, long taskId) throws IOException {
    this.factory = factory;
    this.partitionId = partitionId;
    Configuration conf = factory.conf.value();
    Path store = new Path(factory.store);
    this.ops = FileOperations.forPath(store, conf);
    this.layout = new CommitLayout(store, factory.jobId);
    this.attempt = "attempt_" + factory.jobId + "_" + partitionId + "_" + taskId;
    String token = factory.jobId.substring(Math.max(0, factory.jobId.length() - 8));
    this.writer = AttemptWriter.open(ops, layout, attempt,
        n -> String.format("part-s%s-%05d-%03d%s", token, partitionId, n,
            StoreLayout.PARTITION_EXTENSION),
        conf, factory.buckets > 0 ? Routing.byBucket(BucketFunction.SPARK_MURMUR3,
            BucketFunction.SPARK_HASH_SEED, factory.buckets) : Routing.byRange(), partitionId);
  }

  @Override
  public void write(InternalRow row) throws IOException {
    byte[] key = bytes(row, factory.keyIndex, factory.keyString, "key");
    byte[] value = bytes(row, factory.valueIndex, factory.valueString, "value");
    if (previous != null && Bytes.compare(previous, key) == 0) {
      throw new DuplicateKeyException(key, "rows " + rows + " and " + (rows + 1)
          + " of Spark partition " + partitionId + " (" + attempt + "); a store never holds a"
          + " key twice, nothing was published");
    }
    writer.put(key, 0, key.length, value, 0, value.length);
    previous = key;
    rows++;
  }

  private byte[] bytes(InternalRow row, int index, boolean string, String role)
      throws IOException {
    if (row.isNullAt(index)) {
      throw new IOException("kvstore: row " + (rows + 1) + " of Spark partition " + partitionId
          + " has a null " + role + "; a store holds no null keys or values");
    }
    // getBinary returns a fresh array for UnsafeRow; getBytes copies the string's UTF-8 bytes.
    return string ? row.getUTF8String(index).getBytes() : row.getBinary(index);
  }

  @Override
  public WriterCommitMessage commit() throws IOException {
    done = true;
    TaskManifest manifest = writer.close();
    return new KeyValueCommitMessage(partitionId, attempt, manifest.toBytes());
  }

  @Override
  public void abort() throws IOException {
    done = true;
    try {
      writer.abort();
    } finally {
      ops.delete(layout.attemptDir(attempt), true);
    }
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      abort();
    }
  }

  /** Creates the task writers; serialized to the executors. */
  static final class Factory implements DataWriterFactory {
    private static final long serialVersionUID = 1L;

    final String store;
    final String jobId;
    final SerializableConfiguration conf;
    final int keyIndex;
    final boolean keyString;
    final int valueIndex;
    final boolean valueString;
    /** Spark hash buckets the keys are distributed over, 0 for a range distribution. */
    final int buckets;

    Factory(String store, String jobId, SerializableConfiguration conf, int keyIndex,
        boolean keyString, int valueIndex, boolean valueString, int buckets) {
      this.store = store;
      this.jobId = jobId;
      this.conf = conf;
      this.keyIndex = keyIndex;
      this.keyString = keyString;
      this.valueIndex = valueIndex;
      this.valueString = valueString;
      this.buckets = buckets;
    }

    @Override
    public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
      try {
        return new KeyValueDataWriter(this, partitionId, taskId);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e.getMessage(), e);
      }
    }
  }
}
