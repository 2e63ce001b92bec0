package io.kvstore.tools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code kill -TERM} during {@code kvstore create} (and Ctrl-C, which the JVM handles alike) leaves neither the incomplete store nor sorted
 * runs, and says so on one line. The CLI runs in a child JVM reading pairs from a pipe.
 */
public class CreateSignalTest {
  private static final long TIMEOUT_SECONDS = 120;
  private static final String STOPPED = "kvstore create: stopped by a signal; removed the"
      + " incomplete store";

  @Rule
  public TemporaryFolder folder = new TemporaryFolder();

  private File store;
  private File tmp;
  private File stderr;

  @Before
  public void setUp() throws IOException {
    store = new File(folder.getRoot(), "store");
    tmp = folder.newFolder("tmp");
    stderr = new File(folder.getRoot(), "stderr");
  }

  private Process start(String... createOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.add("-Xmx256m");
    command.add("-Djava.io.tmpdir=" + tmp);
    if (System.getProperty("log4j.configuration") != null) {
      command.add("-Dlog4j.configuration=" + System.getProperty("log4j.configuration"));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KvStoreCli.class.getName());
    command.add("create");
    command.add(store.getPath());
    for (String option : createOptions) {
      command.add(option);
    }
    return new ProcessBuilder(command).directory(folder.getRoot())
        .redirectOutput(new File(folder.getRoot(), "stdout")).redirectError(stderr).start();
  }

  private static void await(String what, BooleanSupplier condition, Process process)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue("the child exited before " + what, process.isAlive());
      assertTrue("no " + what + " in " + TIMEOUT_SECONDS + " s", System.nanoTime() < deadline);
      Thread.sleep(20);
    }
  }

  /** Whether {@link #tmp} holds a sorter directory with at least one spilled run. */
  private boolean sortRunsExist() {
    File[] dirs = tmp.listFiles((d, name) -> name.startsWith("kvstore-sort-"));
    if (dirs == null) {
      return false;
    }
    for (File dir : dirs) {
      String[] runs = dir.list((d, name) -> name.startsWith("run-"));
      if (runs != null && runs.length > 0) {
        return true;
      }
    }
    return false;
  }

  /** Sends TERM and checks the exit, the message, and that nothing is left. */
  private void terminateAndCheck(Process process, String message) throws Exception {
    // ProcessHandle.destroy() sends TERM and, unlike Process.destroy(), leaves the child's
    // standard input open, as kill -TERM does.
    assertTrue(process.toHandle().destroy());
    assertTrue("the child did not exit after TERM",
        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    String err = new String(Files.readAllBytes(stderr.toPath()), StandardCharsets.UTF_8);
    assertEquals(err, 128 + 15, process.exitValue());
    assertTrue(err, err.endsWith(message + System.lineSeparator()));
    assertFalse("the incomplete store is left: " + err, store.exists());
    assertArrayEquals("sorted runs are left: " + err, new String[0], tmp.list());
  }

  /** Feeds pairs to the child until it stops reading; keys ascend when {@code sorted}. */
  private static Thread feed(Process process, boolean sorted) {
    Thread feeder = new Thread(() -> {
      Random random = new Random(42);
      try (OutputStream in = process.getOutputStream()) {
        for (long i = 0; ; i++) {
          long key = sorted ? i : random.nextLong() & Long.MAX_VALUE;
          in.write(String.format("key-%019d\tvalue-%d%n", key, i)
              .getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // The child stopped reading: it was terminated.
      }
    }, "feeder");
    feeder.setDaemon(true);
    feeder.start();
    return feeder;
  }

  @Test
  public void termWhileWaitingForInputRemovesTheIncompleteStore() throws Exception {
    Process process = start();
    try {
      process.getOutputStream().write("a\t1\n".getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      // Standard input stays open: the command is blocked reading, as at a terminal.
      // A partition file is opened by the first put: the command then waits for the next line.
      await("first partition", () -> new File(store, "part-00000.kvp").exists(), process);
      terminateAndCheck(process, STOPPED);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  public void termWhileWritingRemovesTheIncompleteStore() throws Exception {
    Process process = start();
    try {
      Thread feeder = feed(process, true);
      await("incomplete store", () -> new File(store, "_kvstore_incomplete").exists()
          && dataBytes(store) > 0, process);
      terminateAndCheck(process, STOPPED);
      feeder.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  public void termWhileSortingRemovesTheSortedRuns() throws Exception {
    Process process = start("--sort", "--sort-memory", "64k", "--tmp-dir", tmp.getPath());
    try {
      Thread feeder = feed(process, false);
      await("sorted runs", this::sortRunsExist, process);
      terminateAndCheck(process, STOPPED + " and the sorted runs");
      feeder.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  public void termWhileSortingWithInputOpenRemovesTheSortedRuns() throws Exception {
    Process process = start("--sort", "--sort-memory", "1k", "--tmp-dir", tmp.getPath());
    try {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        lines.append("key-").append(199 - i).append("\tvalue\n");
      }
      process.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      await("sorted runs", this::sortRunsExist, process);
      terminateAndCheck(process, STOPPED + " and the sorted runs");
    } finally {
      process.destroyForcibly();
    }
  }

  private static long dataBytes(File dir) {
    long total = 0;
    File[] files = dir.listFiles();
    if (files != null) {
      for (File f : files) {
        total += f.isDirectory() ? dataBytes(f) : f.length();
      }
    }
    return total;
  }
}
