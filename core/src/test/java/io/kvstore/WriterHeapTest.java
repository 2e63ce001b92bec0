package io.kvstore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The writer's heap per key, as the README states it: a separate JVM with a small heap writes as
 * many keys into one partition as {@value #BYTES_PER_KEY} bytes per key of its free heap allow
 * (less a fixed margin for buffers and the collector), and must finish and read back.
 */
public class WriterHeapTest {
  /** The budget per key: 12 bytes of index entries, plus slack for chunks and the collector. */
  static final int BYTES_PER_KEY = 14;
  /** Heap of the writing JVM. */
  private static final String HEAP = "-Xmx112m";
  /** Heap left aside for write buffers, cluster buffers and the collector's headroom. */
  private static final long MARGIN = 24L << 20;

  /** Stores of the test. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void onePartitionWriterFitsInFourteenBytesOfHeapPerKey() throws Exception {
    File out = tmp.newFile("child.out");
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.add(HEAP);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    String log4j = System.getProperty("log4j.configuration");
    if (log4j != null) {
      command.add("-Dlog4j.configuration=" + log4j);
    }
    command.add(Child.class.getName());
    command.add(new File(tmp.getRoot(), "store").toURI().toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out).start();
    // A guard against a hung child only, far above any run time; nothing here is timed.
    assertTrue("child still running", child.waitFor(10, TimeUnit.MINUTES));
    String output = new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8);
    assertEquals(output, 0, child.exitValue());
    assertTrue(output, output.contains("wrote and read back"));
  }

  /** The writing JVM: sizes the store by its free heap, writes it, reads a few keys back. */
  public static final class Child {
    private Child() {}

    /** @param args the store URI */
    public static void main(String[] args) throws Exception {
      Configuration conf = new Configuration();
      KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 1L << 40);
      KeyValueSystem kvs = KeyValueSystem.Factory.create(conf);
      Path store = new Path(args[0]);
      // Load the classes of a write and a read before measuring the heap they need.
      Path warm = new Path(store.getParent(), "warm");
      try (KeyValueStoreWriter w = kvs.createStore(warm)) {
        w.put(new byte[] {1}, new byte[] {2});
      }
      kvs.openStore(warm).close();
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long baseline = rt.totalMemory() - rt.freeMemory();
      long keys = (rt.maxMemory() - baseline - MARGIN) / BYTES_PER_KEY;
      System.out.printf("max heap %d, baseline %d: %d keys%n", rt.maxMemory(), baseline, keys);
      byte[] value = {7};
      ByteBuffer key = ByteBuffer.allocate(8);
      try (KeyValueStoreWriter w = kvs.createStore(store)) {
        for (long i = 0; i < keys; i++) {
          w.put(key.putLong(0, i * 3).array(), value);
        }
      }
      try (KeyValueStoreReader r = kvs.openStore(store)) {
        if (r.size() != keys || r.partitions().size() != 1) {
          throw new AssertionError(r.size() + " keys in " + r.partitions().size() + " partitions");
        }
        for (long i = 0; i < keys; i += keys / 1000 + 1) {
          if (r.get(key.putLong(0, i * 3).array()) == null
              || r.get(key.putLong(0, i * 3 + 1).array()) != null) {
            throw new AssertionError("wrong answer for key " + i);
          }
        }
      }
      System.out.printf("wrote and read back %d keys%n", keys);
    }
  }
}
