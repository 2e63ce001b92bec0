package io.kvstore.spark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.kvstore.DuplicateKeyException;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.commit.CommitContext;
import io.kvstore.commit.PublishStage;
import io.kvstore.commit.SetupJobStage;
import io.kvstore.commit.TaskManifest;
import io.kvstore.commit.TaskOutput;
import io.kvstore.format.Routing;
import io.kvstore.fs.FileOperations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The task writer on its own, without a Spark job: it reads a row's key and value into buffers
 * it reuses from row to row, straight from an {@link UnsafeRow}'s memory (what Spark's sort
 * hands over) or through the {@link InternalRow} getters for any other row. Either way, and for
 * binary and string columns, the store holds each row's bytes, fields longer than the reused
 * buffers included, and a key equal to the previous row's fails naming it.
 */
public class KeyValueDataWriterTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();

  /** Key {@code i}: 4 to 300 bytes, increasing in unsigned byte order with {@code i}. */
  private static byte[] key(int i) {
    byte[] k = new byte[4 + (i * 37) % 297];
    k[0] = (byte) (i >>> 8);
    k[1] = (byte) i;
    for (int j = 2; j < k.length; j++) {
      k[j] = (byte) (0x80 + i + j);
    }
    return k;
  }

  /** Value {@code i}: 0 to 500 bytes (so also longer than the buffers start). */
  private static byte[] value(int i) {
    StringBuilder s = new StringBuilder();
    while (s.length() < (i * 53) % 501) {
      s.append("v").append(i).append(',');
    }
    return s.substring(0, (i * 53) % 501).getBytes(StandardCharsets.UTF_8);
  }

  private static InternalRow row(byte[] key, byte[] value, boolean strings, boolean unsafe) {
    if (!unsafe) {
      return new GenericInternalRow(new Object[] {
          strings ? UTF8String.fromBytes(key) : key, strings ? UTF8String.fromBytes(value) : value});
    }
    // The UnsafeRow a projection would make (built without generating code); a string field's
    // layout is a binary field's.
    UnsafeRowWriter writer = new UnsafeRowWriter(2);
    writer.resetRowWriter();
    if (strings) {
      writer.write(0, UTF8String.fromBytes(key));
      writer.write(1, UTF8String.fromBytes(value));
    } else {
      writer.write(0, key);
      writer.write(1, value);
    }
    return writer.getRow();
  }

  /** A job set up at a new path and the writer factory of its tasks. */
  private KeyValueDataWriter.Factory setUp(Path store, String jobId, boolean strings)
      throws Exception {
    FileOperations ops = FileOperations.forPath(store, conf);
    new SetupJobStage(KeyValueWrite.context(ops, store, jobId, conf)).run();
    return new KeyValueDataWriter.Factory(store.toString(), jobId,
        new SerializableConfiguration(conf), 0, strings, 1, strings, 0);
  }

  private void writeAndReadBack(boolean strings, boolean unsafe) throws Exception {
    Path store = new Path(tmp.newFolder().toURI().toString(), "store");
    String jobId = "spark_test" + (strings ? "s" : "b") + (unsafe ? "u" : "g");
    KeyValueDataWriter.Factory factory = setUp(store, jobId, strings);
    DataWriter<InternalRow> writer = factory.createWriter(0, 7);
    int n = 400;
    for (int i = 0; i < n; i++) {
      writer.write(row(key(i), value(i), strings, unsafe));
    }
    KeyValueCommitMessage message = (KeyValueCommitMessage) writer.commit();
    writer.close();
    FileOperations ops = FileOperations.forPath(store, conf);
    CommitContext context = KeyValueWrite.context(ops, store, jobId, conf);
    TaskManifest manifest = TaskManifest.parse(message.manifest, "test");
    List<TaskOutput> tasks = Collections.singletonList(new TaskOutput("partition 0", 0, manifest,
        context.layout().attemptDir(message.attempt)));
    new PublishStage(context).run(tasks, Routing.byRange(), new java.util.LinkedHashMap<>());
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      assertEquals(n, reader.size());
      for (int i = 0; i < n; i++) {
        assertArrayEquals("value of key " + i, value(i), reader.get(key(i)));
      }
    }
  }

  @Test
  public void binaryUnsafeRowsWriteTheirBytes() throws Exception {
    writeAndReadBack(false, true);
  }

  @Test
  public void stringUnsafeRowsWriteTheirUtf8Bytes() throws Exception {
    writeAndReadBack(true, true);
  }

  @Test
  public void binaryRowsOfOtherKindsWriteTheirBytes() throws Exception {
    writeAndReadBack(false, false);
  }

  @Test
  public void stringRowsOfOtherKindsWriteTheirUtf8Bytes() throws Exception {
    writeAndReadBack(true, false);
  }

  @Test
  public void keyEqualToThePreviousRowsFailsNamingIt() throws Exception {
    Path store = new Path(tmp.newFolder().toURI().toString(), "store");
    KeyValueDataWriter.Factory factory = setUp(store, "spark_testdup", false);
    DataWriter<InternalRow> writer = factory.createWriter(3, 9);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(key(i));
    }
    for (byte[] k : keys) {
      writer.write(row(k, value(1), false, true));
    }
    DuplicateKeyException e = assertThrows(DuplicateKeyException.class,
        () -> writer.write(row(keys.get(2), value(2), false, true)));
    assertArrayEquals(keys.get(2), e.getKey());
    assertTrue(e.getMessage(), e.getMessage().contains("rows 3 and 4 of Spark partition 3"));
    writer.abort();
    writer.close();
  }
}
