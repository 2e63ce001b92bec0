package io.kvstore.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the README's first command the way a newcomer does: {@code bin/kvstore runKVTest} from the
 * built tree (tools packaged by this reactor build), in a fresh process with the launcher's own
 * classpath and logging. The launcher is told not to build, so a missing package fails here
 * instead of starting a nested Maven build.
 */
public class LauncherScriptIT {
  private static final long TIMEOUT_MINUTES = 5;

  @Rule
  public TemporaryFolder folder = new TemporaryFolder();

  private static File repositoryRoot() {
    File moduleDir = new File(System.getProperty("basedir", System.getProperty("user.dir")));
    File root = moduleDir.getAbsoluteFile().getParentFile();
    assertTrue("no bin/kvstore under " + root, new File(root, "bin/kvstore").canExecute());
    return root;
  }

  private Outcome launch(String... args) throws IOException, InterruptedException {
    File root = repositoryRoot();
    String[] command = new String[args.length + 1];
    command[0] = new File(root, "bin/kvstore").getPath();
    System.arraycopy(args, 0, command, 1, args.length);
    File out = folder.newFile();
    File err = folder.newFile();
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.getRoot())
        .redirectOutput(out).redirectError(err);
    builder.environment().put("KVSTORE_NO_BUILD", "1");
    builder.environment().remove("HADOOP_CONF_DIR");
    builder.environment().remove("KVSTORE_LOG4J");
    // Temporary files of the self-test go here, so the test can see that none are left.
    builder.environment().put("KVSTORE_OPTS", "-Djava.io.tmpdir=" + folder.getRoot());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/kvstore did not finish in " + TIMEOUT_MINUTES + " minutes");
    }
    return new Outcome(process.exitValue(), Files.readAllLines(out.toPath(), StandardCharsets.UTF_8),
        new String(Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8));
  }

  @Test
  public void runKVTestPassesAndLeavesNothingBehind() throws Exception {
    Outcome o = launch("runKVTest");
    assertEquals(o.toString(), 0, o.status);
    assertEquals(o.toString(), "Passed the test!", o.stdout.get(o.stdout.size() - 1));
    assertTrue(o.toString(), o.stdout.get(0).startsWith("kvstore self-test in file:"));
    assertEquals("quiet logs: " + o, "", o.stderr);
    // Only this test's two capture files may remain in the process's temporary directory.
    String[] left = folder.getRoot().list((dir, name) -> !name.startsWith("junit"));
    assertEquals(o + "\nleft behind: " + String.join(", ", left), 0, left.length);
  }

  @Test
  public void unknownCommandIsAUsageErrorOfOneLine() throws Exception {
    Outcome o = launch("no-such-command");
    assertEquals(o.toString(), 2, o.status);
    assertEquals(o.toString(), "kvstore: unknown command 'no-such-command'; 'kvstore help' lists"
        + " the commands\n", o.stderr);
  }

  private static final class Outcome {
    final int status;
    final List<String> stdout;
    final String stderr;

    Outcome(int status, List<String> stdout, String stderr) {
      this.status = status;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n"
          + stderr;
    }
  }
}
