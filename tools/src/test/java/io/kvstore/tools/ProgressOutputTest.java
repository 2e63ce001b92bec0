package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import io.kvstore.format.StoreManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Long commands draw a progress bar on stderr only for a person at a terminal; the results on
 * stdout are the same either way.
 */
public class ProgressOutputTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();

  private CliResult run(boolean interactive, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // Each reading of the clock is a second later, so every update is due for a redraw.
    AtomicLong clock = new AtomicLong();
    KvStoreCli cli = new KvStoreCli(new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), interactive,
        () -> clock.addAndGet(1_000_000_000L));
    int status = KvStoreCli.runTool(new Configuration(), cli, args);
    return new CliResult(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private String input() throws Exception {
    StringBuilder tsv = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      tsv.append(String.format("key%05d\tvalue %d%n", i, i));
    }
    return new CliFixture(folder).file("in.tsv", tsv.toString());
  }

  @Test
  public void createAndVerifyDrawProgressOnATerminal() throws Exception {
    String store = new CliFixture(folder).path("s");
    CliResult create = run(true, "create", store, "--input", input());
    assertEquals(create.toString(), 0, create.status);
    assertTrue(create.err, create.err.startsWith("\rcreate ["));
    assertTrue(create.err, create.err.contains("] 100%  "));
    assertTrue(create.err, create.err.contains("/s"));
    assertTrue(create.err, create.err.endsWith("\n"));
    assertTrue(create.out, create.out.startsWith("created "));

    CliResult verify = run(true, "verify", store);
    assertEquals(verify.toString(), 0, verify.status);
    assertTrue(verify.err, verify.err.startsWith("\rverifying ["));
    assertTrue(verify.err, verify.err.contains(" 100%"));
  }

  @Test
  public void verifyProgressCountsEachStoreByteOnce() throws Exception {
    String store = new CliFixture(folder).path("s");
    assertEquals(0, run(false, "create", store, "--input", input()).status);
    long size = StoreManifest.read(FileSystem.getLocal(new Configuration()), new Path(store))
        .getSizeBytes();
    CliResult verify = run(true, "verify", store);
    assertEquals(verify.toString(), 0, verify.status);
    // Each partition is read twice (records, then the file checksum), but the bar ends at the
    // store's size, as the summary line says.
    String last = verify.err.substring(verify.err.lastIndexOf('\r')).trim();
    assertTrue(last, last.contains("] 100%  " + Sizes.bytes(size) + "  "));
    assertTrue(verify.out, verify.out.contains(Sizes.bytes(size) + "; every checksum matches"));
  }

  @Test
  public void pipedOutputHasNoProgress() throws Exception {
    String store = new CliFixture(folder).path("s");
    CliResult create = run(false, "create", store, "--input", input());
    assertEquals(create.toString(), 0, create.status);
    assertEquals("", create.err);
    CliResult verify = run(false, "verify", store);
    assertEquals("", verify.err);
    assertEquals(run(true, "verify", store).out, verify.out);
  }
}
