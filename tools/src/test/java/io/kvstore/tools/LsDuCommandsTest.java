package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreLayout;
import java.io.File;
import java.nio.file.Files;
import org.apache.hadoop.fs.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code ls} and {@code du} over a directory of stores and other things. */
public class LsDuCommandsTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;
  private String dir;

  @Before
  public void setUp() throws Exception {
    cli = new CliFixture(folder);
    dir = folder.newFolder("stores").getPath();
    cli.store("stores/alpha", 1200);
    cli.store("stores/beta", 3);
    // A writer still at work: the marker, no manifest.
    KeyValueStoreWriter open = KeyValueSystem.Factory.create()
        .createStore(new Path(dir, "gamma"));
    open.put(CliFixture.bytes("k"), CliFixture.bytes("v"));
    open.cancel();
    new File(dir, "gamma").mkdir();
    Files.write(new File(dir, "gamma/" + StoreLayout.INCOMPLETE_MARKER_NAME).toPath(),
        new byte[0]);
    cli.file("stores/notes.txt", "hello\n");
    new File(dir, "lost").mkdir();
    cli.file("stores/lost/part-00000.kvp", "x");
    cli.file("stores/lost/readme", "y");
  }

  @Test
  public void lsShowsStateAndManifestFacts() throws Exception {
    CliResult r = cli.run("ls", dir);
    assertOk(r);
    String[] lines = r.out.split("\n");
    assertEquals(6, lines.length);
    assertTrue(lines[0], lines[0].matches("name +state +pairs +bytes +created"));
    assertTrue(lines[1], lines[1].matches("alpha +complete +1200 +[0-9.]+ KiB +20[0-9-]+T.*Z"));
    assertTrue(lines[2], lines[2].matches("beta +complete +3 +.*"));
    assertTrue(lines[3], lines[3].matches("gamma +incomplete +- +- +-"));
    assertTrue(lines[4], lines[4].matches("lost +not a store +- +- +-"));
    assertTrue(lines[5], lines[5].matches("notes.txt +not a store +- +- +-"));
  }

  @Test
  public void lsOfAStoreListsItAlone() throws Exception {
    CliResult r = cli.run("ls", dir + "/beta");
    assertOk(r);
    assertEquals(2, r.out.split("\n").length);
    assertTrue(r.out, r.out.contains("beta  complete"));
  }

  @Test
  public void lsShowsADamagedManifest() throws Exception {
    Files.write(new File(dir, "beta/" + StoreLayout.MANIFEST_NAME).toPath(), new byte[] {1, 2});
    CliResult r = cli.run("ls", dir);
    assertOk(r);
    assertTrue(r.out, r.out.matches("(?s).*\nbeta +damaged +- +- +\\S.*"));
  }

  @Test
  public void duAddsUpEveryFile() throws Exception {
    CliResult r = cli.run("du", dir);
    assertOk(r);
    String[] lines = r.out.split("\n");
    assertEquals(6, lines.length);
    long alpha = 0;
    for (File f : new File(dir, "alpha").listFiles()) {
      if (!f.getName().startsWith(".")) {
        alpha += f.length();
      }
    }
    assertTrue(lines[0], lines[0].matches(" *" + alpha + " +[0-9.]+ KiB +complete +alpha"));
    assertTrue(lines[3], lines[3].matches(" *2 +2 B +not a store +lost"));
    assertTrue(lines[5], lines[5].matches(" *[0-9]+ .* total"));
    long sum = 0;
    for (int i = 0; i < 5; i++) {
      sum += Long.parseLong(lines[i].trim().split(" +")[0]);
    }
    assertEquals(sum, Long.parseLong(lines[5].trim().split(" +")[0]));
  }
}
