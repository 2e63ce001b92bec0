package io.kvstore.spark;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.format.PartitionScanner;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the input partitions of a store scan on the executors: a range scan streams one
 * partition file from the first key in range to the last; point lookups go through the
 * executor's shared reader of the store ({@link ExecutorStores}); a count is one row. Every row
 * holds its own copies of the key and value.
 */
final class KeyValuePartitionReaders implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final String store;
  private final SerializableConfiguration conf;
  private final String token;
  private final boolean keyString;
  private final boolean valueString;

  KeyValuePartitionReaders(String store, SerializableConfiguration conf, String token,
      boolean keyString, boolean valueString) {
    this.store = store;
    this.conf = conf;
    this.token = token;
    this.keyString = keyString;
    this.valueString = valueString;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    KeyValueInputPartition p = (KeyValueInputPartition) partition;
    try {
      switch (p.kind) {
        case RANGE:
          return new RangeReader(p);
        case POINTS:
          return new PointReader(p);
        default:
          return new CountReader(p);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e.getMessage(), e);
    }
  }

  private InternalRow row(byte[] key, byte[] value) {
    return row(key, value, keyString, valueString);
  }

  /** A row of {@code key} and {@code value}, each binary or (UTF-8) string; takes the arrays. */
  static InternalRow row(byte[] key, byte[] value, boolean keyString, boolean valueString) {
    return new GenericInternalRow(new Object[] {
        keyString ? UTF8String.fromBytes(key) : key,
        valueString ? UTF8String.fromBytes(value) : value});
  }

  /** Streams the pairs of one partition file within a key range. */
  private final class RangeReader implements PartitionReader<InternalRow> {
    private final PartitionScanner scanner;
    private final KeyBounds range;
    private InternalRow current;
    private boolean ended;

    RangeReader(KeyValueInputPartition p) throws IOException {
      Configuration c = conf.value();
      Path file = new Path(new Path(store), p.fileName);
      this.scanner = PartitionScanner.open(FileOperations.forPath(file, c), file, c);
      this.range = p.range;
      ExecutorStores.PARTITIONS_OPENED.incrementAndGet();
    }

    @Override
    public boolean next() throws IOException {
      while (!ended && scanner.next()) {
        byte[] k = scanner.keyBuffer();
        int off = scanner.keyOffset();
        int len = scanner.keyLength();
        if (!range.aboveLower(k, off, len)) {
          continue;
        }
        if (!range.belowUpper(k, off, len)) {
          break; // keys ascend: nothing further is in range
        }
        current = row(scanner.copyKey(), scanner.copyValue());
        return true;
      }
      ended = true;
      return false;
    }

    @Override
    public InternalRow get() {
      return current;
    }

    @Override
    public void close() throws IOException {
      scanner.close();
    }
  }

  /** Looks up the keys routed to one partition; absent keys give no row. */
  private final class PointReader implements PartitionReader<InternalRow> {
    private final ExecutorStores.Lease lease;
    private final KeyValueStoreReader reader;
    private final Iterator<byte[]> keys;
    private InternalRow current;

    PointReader(KeyValueInputPartition p) throws IOException {
      this.lease = ExecutorStores.acquire(conf.value(), store, token);
      this.reader = lease.reader();
      this.keys = p.keys.iterator();
      ExecutorStores.PARTITIONS_OPENED.incrementAndGet();
    }

    @Override
    public boolean next() throws IOException {
      while (keys.hasNext()) {
        byte[] key = keys.next();
        byte[] value = reader.get(key);
        if (value != null) {
          current = row(key.clone(), value);
          return true;
        }
      }
      return false;
    }

    @Override
    public InternalRow get() {
      return current;
    }

    @Override
    public void close() throws IOException {
      // The reader is the JVM's, shared by its tasks: ExecutorStores closes it.
      lease.close();
    }
  }

  /** The pushed-down count: one row. */
  private static final class CountReader implements PartitionReader<InternalRow> {
    private final KeyValueInputPartition p;
    private boolean returned;

    CountReader(KeyValueInputPartition p) {
      this.p = p;
    }

    @Override
    public boolean next() {
      if (returned) {
        return false;
      }
      returned = true;
      return true;
    }

    @Override
    public InternalRow get() {
      Object[] values = new Object[p.countColumns];
      java.util.Arrays.fill(values, p.count);
      return new GenericInternalRow(values);
    }

    @Override
    public void close() {}
  }
}
