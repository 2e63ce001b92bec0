package io.kvstore.impl;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreLayout;
import io.kvstore.fs.FileOperations;
import io.kvstore.fs.ForwardingFileOperations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A merge reads the partitions it compares through its FileOperations, so faults reach it. */
public class StoreMergerFaultTest {
  /** Stores of one test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private final Configuration conf = new Configuration();

  private Path store(String name, int first) throws IOException {
    Path dir = new Path(new Path(tmp.getRoot().toURI()), name);
    KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf).createStore(dir);
    // Interleaved keys: the two stores' partitions overlap and the merge must compare them.
    for (int i = first; i < 200; i += 2) {
      writer.put(key(i), key(i));
    }
    writer.close();
    return dir;
  }

  private static byte[] key(int i) {
    return String.format("k%04d", i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void aFailingReadOfTheKeyCheckFailsTheMergeAndLeavesBothStores() throws IOException {
    Path from = store("from", 0);
    Path to = store("to", 1);
    IOException injected = new IOException("injected read failure");
    List<Path> opened = new ArrayList<>();
    FileOperations local = FileOperations.of(FileSystem.getLocal(conf));
    FileOperations ops = new ForwardingFileOperations(local) {
      @Override
      public FSDataInputStream open(Path file) throws IOException {
        opened.add(file);
        if (file.getName().endsWith(StoreLayout.PARTITION_EXTENSION)) {
          throw injected;
        }
        return super.open(file);
      }
    };
    IOException e = assertThrows(IOException.class,
        () -> new StoreMerger(ops, conf).merge(from, to));
    assertSame(injected, e);
    assertEquals("the check read a partition through the operations", 1, opened.stream()
        .filter(p -> p.getName().endsWith(StoreLayout.PARTITION_EXTENSION)).count());
    assertEquals(StoreLayout.State.COMPLETE, StoreLayout.stateOf(local, from));
    assertEquals(StoreLayout.State.COMPLETE, StoreLayout.stateOf(local, to));
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(to)) {
      assertEquals(100, reader.size());
      assertArrayEquals(key(1), reader.get(key(1)));
    }
  }
}
