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
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.unsafe.Platform;
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
  /** The current row's key and value, and the previous row's key (for the duplicate check). */
  private FieldBuffer key = new FieldBuffer();
  private FieldBuffer previousKey = new FieldBuffer();
  private final FieldBuffer value = new FieldBuffer();
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
    read(row, factory.keyIndex, factory.keyString, "key", key);
    read(row, factory.valueIndex, factory.valueString, "value", value);
    if (rows > 0 && Bytes.compare(previousKey.bytes, 0, previousKey.length, key.bytes, 0,
        key.length) == 0) {
      throw new DuplicateKeyException(key.copy(), "rows " + rows + " and " + (rows + 1)
          + " of Spark partition " + partitionId + " (" + attempt + "); a store never holds a"
          + " key twice, nothing was published");
    }
    writer.put(key.bytes, 0, key.length, value.bytes, 0, value.length);
    FieldBuffer written = previousKey;
    previousKey = key;
    key = written;
    rows++;
  }

  /**
   * Copies the bytes of field {@code index} of {@code row} into {@code into}, which the writer
   * reuses row after row: the writer copies what it keeps, so a row costs no allocation.
   */
  private void read(InternalRow row, int index, boolean string, String role, FieldBuffer into)
      throws IOException {
    if (row.isNullAt(index)) {
      throw new IOException("kvstore: row " + (rows + 1) + " of Spark partition " + partitionId
          + " has a null " + role + "; a store holds no null keys or values");
    }
    if (row instanceof UnsafeRow) {
      // The rows Spark's sort hands over. A binary and a (UTF8_BINARY) string field have the
      // same UnsafeRow layout: the field's 8 bytes hold the offset of its bytes from the row's
      // start (high word) and their count (low word); the bytes are copied straight from the
      // row's memory, where getBinary would allocate an array per field.
      UnsafeRow unsafe = (UnsafeRow) row;
      long offsetAndSize = unsafe.getLong(index);
      int size = (int) offsetAndSize;
      into.ensure(size);
      Platform.copyMemory(unsafe.getBaseObject(), unsafe.getBaseOffset() + (offsetAndSize >> 32),
          into.bytes, Platform.BYTE_ARRAY_OFFSET, size);
      into.length = size;
    } else {
      // getBinary returns a fresh array; getBytes copies the string's UTF-8 bytes.
      byte[] bytes = string ? row.getUTF8String(index).getBytes() : row.getBinary(index);
      into.ensure(bytes.length);
      System.arraycopy(bytes, 0, into.bytes, 0, bytes.length);
      into.length = bytes.length;
    }
  }

  /** The bytes of one field of a row, in an array reused (and grown) from row to row. */
  private static final class FieldBuffer {
    byte[] bytes = new byte[128];
    int length;

    void ensure(int size) {
      if (bytes.length < size) {
        bytes = new byte[Math.max(size, bytes.length * 2)];
      }
    }

    byte[] copy() {
      return Arrays.copyOf(bytes, length);
    }
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
