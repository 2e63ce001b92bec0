package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.rules.TemporaryFolder;

/** Runs {@link KvStoreCli} in-process through its ToolRunner entry point, as bin/kvstore does. */
final class CliFixture {
  private final TemporaryFolder folder;

  CliFixture(TemporaryFolder folder) {
    this.folder = folder;
  }

  /** Runs the tool with empty standard input. */
  CliResult run(String... args) throws Exception {
    return runWithInput("", args);
  }

  /** Runs the tool with {@code stdin} as standard input. */
  CliResult runWithInput(String stdin, String... args) throws Exception {
    return run(stdin, false, args);
  }

  /** Runs the tool as a person at a terminal would, with {@code stdin} as standard input. */
  CliResult runOnTerminal(String stdin, String... args) throws Exception {
    return run(stdin, true, args);
  }

  private CliResult run(String stdin, boolean terminal, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    KvStoreCli cli = new KvStoreCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal, System::nanoTime);
    int status = KvStoreCli.runTool(new Configuration(), cli, args);
    return new CliResult(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** A path in the temporary folder that does not exist yet. */
  String path(String name) {
    return new File(folder.getRoot(), name).getAbsolutePath();
  }

  /** Writes a text file in the temporary folder and returns its path. */
  String file(String name, String content) throws IOException {
    File f = new File(folder.getRoot(), name);
    Files.write(f.toPath(), content.getBytes(StandardCharsets.UTF_8));
    return f.getAbsolutePath();
  }

  /** Creates a store of {@code pairs} pairs "k%04d" -> "v%d" through the client API. */
  String store(String name, int pairs) throws IOException {
    return store(name, pairs, new Configuration());
  }

  /** {@link #store(String, int)} with a configuration (e.g. a small partition limit). */
  String store(String name, int pairs, Configuration conf) throws IOException {
    String path = path(name);
    try (KeyValueStoreWriter writer = KeyValueSystem.Factory.create(conf)
        .createStore(new Path(path))) {
      for (int i = 0; i < pairs; i++) {
        writer.put(bytes(String.format("k%04d", i)), bytes("v" + i));
      }
    }
    return path;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Asserts a successful run with nothing on stderr. */
  static void assertOk(CliResult r) {
    assertEquals(r.toString(), 0, r.status);
    assertEquals(r.toString(), "", r.err);
  }

  /**
   * Asserts a run that failed with {@code status}, one line on stderr containing {@code message},
   * and no stack trace.
   */
  static void assertFails(CliResult r, int status, String message) {
    assertEquals(r.toString(), status, r.status);
    assertTrue(r.toString(), r.err.contains(message));
    assertTrue(r.toString(), r.err.endsWith("\n"));
    assertEquals(r.toString(), r.err.length() - 1, r.err.indexOf('\n'));
    assertFalse(r.toString(), r.err.contains("\tat "));
  }
}
