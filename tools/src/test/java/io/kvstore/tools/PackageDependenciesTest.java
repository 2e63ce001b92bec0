package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The dependency rules the package-info files state, checked on the sources of every module:
 * each rule names the packages whose code must not refer to another package (imports and
 * qualified names in code; comments do not count).
 */
public class PackageDependenciesTest {
  /** The repository root, seen from the tools module the tests run in. */
  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
  private static final Pattern REFERENCE = Pattern.compile("io\\.kvstore((?:\\.[a-z]+)*)\\.[A-Z]");

  /** Java sources below {@code dir} of the repository. */
  private static List<Path> sources(String dir) throws IOException {
    Path base = ROOT.resolve(dir);
    assertTrue("no sources in " + base, Files.isDirectory(base));
    try (Stream<Path> files = Files.walk(base)) {
      return files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
    }
  }

  /** Every place in {@code dir}'s code that refers to package {@code forbidden} or below it. */
  private static List<String> references(String dir, String forbidden) throws IOException {
    return references(dir, forbidden, null);
  }

  /**
   * Every place in {@code dir}'s code that refers to package {@code forbidden} or below it, but
   * not to {@code allowed} (a package below {@code forbidden}, or null) or below it.
   */
  private static List<String> references(String dir, String forbidden, String allowed)
      throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : sources(dir)) {
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        String code = line.trim();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
          continue;
        }
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          String pkg = "io.kvstore" + m.group(1);
          boolean isAllowed = allowed != null
              && (pkg.equals(allowed) || pkg.startsWith(allowed + "."));
          if (!isAllowed && (pkg.equals(forbidden) || pkg.startsWith(forbidden + "."))) {
            found.add(ROOT.relativize(file) + ":" + number + ": " + code);
          }
        }
      }
    }
    return found;
  }

  private static void assertNone(String dir, String forbidden) throws IOException {
    assertEquals(dir + " must not depend on " + forbidden, List.of(),
        references(dir, forbidden));
  }

  @Test
  public void toolsAndBenchmarksDoNotDependOnTheExamples() throws IOException {
    assertNone("tools/src/main/java", "io.kvstore.examples");
    assertNone("benchmarks/src/main/java", "io.kvstore.examples");
  }

  @Test
  public void theLibraryDoesNotDependOnItsReadyMadeJobs() throws IOException {
    assertNone("core/src/main/java", "io.kvstore.mapreduce");
    assertNone("core/src/main/java", "io.kvstore.mapred");
    assertNone("mapreduce/src/main/java/io/kvstore/mapred", "io.kvstore.mapreduce.jobs");
    assertNone("mapreduce/src/main/java/io/kvstore/mapreduce/commit",
        "io.kvstore.mapreduce.jobs");
    for (Path file : sources("mapreduce/src/main/java/io/kvstore/mapreduce")) {
      if (file.getParent().getFileName().toString().equals("mapreduce")) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(file + " refers to io.kvstore.mapreduce.jobs",
            !text.contains("import io.kvstore.mapreduce.jobs."));
      }
    }
  }

  @Test
  public void theCommitProtocolDoesNotDependOnTheFormatsBuiltOnIt() throws IOException {
    String commit = "mapreduce/src/main/java/io/kvstore/mapreduce/commit";
    // Its own package lies below io.kvstore.mapreduce: references to itself are no cycle.
    assertEquals(commit + " must not depend on io.kvstore.mapreduce", List.of(),
        references(commit, "io.kvstore.mapreduce", "io.kvstore.mapreduce.commit"));
    assertNone(commit, "io.kvstore.mapred");
  }

  @Test
  public void formatAndFilesystemSeamStayBelowTheImplementation() throws IOException {
    assertNone("core/src/main/java/io/kvstore/format", "io.kvstore.impl");
    assertEquals(List.of(), references("core/src/main/java/io/kvstore/fs", "io.kvstore").stream()
        .filter(r -> !r.contains("io.kvstore.fs.")).collect(Collectors.toList()));
  }

  @Test
  public void theSharedMergeStaysBelowTheFormatAndTheImplementation() throws IOException {
    assertNone("core/src/main/java/io/kvstore/util", "io.kvstore.format");
    assertNone("core/src/main/java/io/kvstore/util", "io.kvstore.impl");
  }
}
