package io.kvstore.impl;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.kvstore.CorruptStoreException;
import io.kvstore.IncompleteStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreNotFoundException;
import io.kvstore.StoreReadException;
import io.kvstore.format.StoreLayout;
import io.kvstore.fs.CallFailingFileOperations;
import io.kvstore.fs.FileOperations;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The filesystem calls of opening a local store whose partitions are memory-mapped: the manifest
 * is read, and each partition is opened once, for mapping, its header and footer read through
 * that channel; no status calls. Every call still goes through {@link FileOperations}, so an
 * injected fault reaches the caller naming the file.
 */
public class OpenCallsTest {
  /** The store of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();
  private Path store;
  private CallFailingFileOperations ops;

  @Before
  public void writeStore() throws IOException {
    store = new Path(new Path(tmp.getRoot().toURI()), "store");
    KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf).createStore(store);
    for (int i = 0; i < 100; i++) {
      writer.put(key(i), value(i));
    }
    writer.close();
    ops = new CallFailingFileOperations(FileOperations.of(FileSystem.getLocal(conf)));
    store = ops.makeQualified(store);
  }

  private static byte[] key(int i) {
    return String.format("k%04d", i).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(int i) {
    return ("value " + i).getBytes(StandardCharsets.UTF_8);
  }

  private Path partition() {
    return new Path(store, "part-00000" + StoreLayout.PARTITION_EXTENSION);
  }

  @Test
  public void openingAMappedStoreReadsTheManifestAndOpensEachPartitionOnce() throws IOException {
    ops.failAt(0, CallFailingFileOperations.Mode.BEFORE);
    try (HadoopStoreReader reader = HadoopStoreReader.open(ops, store, conf)) {
      assertEquals(Arrays.asList("open " + new Path(store, StoreLayout.MANIFEST_NAME),
          "openForMapping " + partition()), ops.calls());
      assertArrayEquals(value(42), reader.get(key(42)));
    }
  }

  @Test
  public void aFailedOpenForMappingNamesThePartition() throws IOException {
    ops.failAt(2, CallFailingFileOperations.Mode.BEFORE);
    StoreReadException e = assertThrows(StoreReadException.class,
        () -> HadoopStoreReader.open(ops, store, conf).close());
    assertEquals("openForMapping " + partition(), ops.failed());
    assertEquals(partition().toString(), e.getFile());
  }

  @Test
  public void aMissingPartitionIsReportedAsMissingOnTheMappedPath() throws IOException {
    Files.delete(new File(partition().toUri()).toPath());
    CorruptStoreException e = assertThrows(CorruptStoreException.class,
        () -> HadoopStoreReader.open(ops, store, conf).close());
    assertTrue(e.getMessage(), e.getMessage().contains("partition file is missing"));
    assertEquals(partition().toString(), e.getFile());
  }

  @Test
  public void withoutMapsThePartitionIsReadThroughItsStatusAndStream() throws IOException {
    KeyValueConf.READ_MMAP.setBoolean(conf, false);
    ops.failAt(0, CallFailingFileOperations.Mode.BEFORE);
    try (HadoopStoreReader reader = HadoopStoreReader.open(ops, store, conf)) {
      List<String> calls = ops.calls();
      assertEquals(calls.toString(), Arrays.asList("open " + new Path(store,
          StoreLayout.MANIFEST_NAME), "getFileStatus " + partition(), "open " + partition()),
          calls);
      assertArrayEquals(value(7), reader.get(key(7)));
    }
  }

  @Test
  public void withoutAManifestTheStateIsStillReported() throws IOException {
    Path absent = new Path(store.getParent(), "absent");
    assertThrows(StoreNotFoundException.class, () -> HadoopStoreReader.open(ops, absent, conf));
    Files.delete(new File(new Path(store, StoreLayout.MANIFEST_NAME).toUri()).toPath());
    Files.createFile(new File(new Path(store, StoreLayout.INCOMPLETE_MARKER_NAME).toUri())
        .toPath());
    assertThrows(IncompleteStoreException.class, () -> HadoopStoreReader.open(ops, store, conf));
  }
}
