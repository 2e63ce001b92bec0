package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.Test;

/**
 * Every filesystem call of kvstore goes through {@link FileOperations}, so a test can inject a
 * fault into any of them: the seam has no getter of its {@link FileSystem}, and no main source
 * finds a filesystem, opens a file for mapping or turns a path into a local file on its own.
 */
public class FileSystemSeamTest {
  /** The repository root, seen from the tools module the tests run in. */
  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

  /**
   * Ways around the seam: a filesystem from a path ({@code Path.getFileSystem(conf)}) or from
   * {@code FileSystem.get*}, a getter of one ({@code getFileSystem()}), a memory-map channel or a
   * local file behind a Hadoop path.
   */
  private static final Pattern AROUND_THE_SEAM = Pattern.compile(
      "\\.getFileSystem\\(|\\bFileSystem\\.(get|getLocal|newInstance\\w*)\\(|\\bFileChannel\\.open\\("
      + "|\\.pathToFile\\(");

  /** The modules whose code reads and writes stores. */
  private static final List<String> KVSTORE_SOURCES = List.of("core/src/main/java",
      "mapreduce/src/main/java", "tools/src/main/java", "examples/src/main/java");

  /**
   * What is genuinely allowed: the implementation of the seam, where {@code FileOperations.forPath}
   * finds a path's filesystem and the local filesystem's files are mapped.
   */
  private static final Set<String> ALLOWED_FILES =
      Set.of("core/src/main/java/io/kvstore/fs/HadoopFileOperations.java");

  /**
   * Benchmarks build peers (MapFile, PalDB, Sparkey) on raw filesystems and run a mini HDFS
   * cluster; the one rule for them is that nothing asks a {@code FileOperations} for its
   * filesystem. The mini cluster's own getter is its only no-argument {@code getFileSystem()}.
   */
  private static final Pattern BENCHMARK_GETTER = Pattern.compile("\\.getFileSystem\\(\\)");
  private static final Set<String> ALLOWED_BENCHMARK_LINES =
      Set.of("FileSystem fs = cluster.getFileSystem();");

  /** Lines of code (comments skipped) under {@code dir} matching {@code pattern}. */
  private static List<String> matches(String dir, Pattern pattern, Set<String> allowedFiles)
      throws IOException {
    Path base = ROOT.resolve(dir);
    assertTrue("no sources in " + base, Files.isDirectory(base));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(base)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
    }
    List<String> found = new ArrayList<>();
    for (Path file : files) {
      String name = ROOT.relativize(file).toString();
      if (allowedFiles.contains(name)) {
        continue;
      }
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        String code = line.trim();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
          continue;
        }
        if (pattern.matcher(code).find()) {
          found.add(name + ":" + number + ": " + code);
        }
      }
    }
    return found;
  }

  @Test
  public void thePatternSeesEveryWayAroundTheSeam() {
    for (String code : List.of("FileSystem fs = ops.getFileSystem();",
        "return path.getFileSystem(conf).makeQualified(path);", "FileSystem.get(uri, conf)",
        "FileSystem.getLocal(conf)", "FileSystem.newInstance(conf)",
        "FileChannel.open(local.toPath(), StandardOpenOption.READ)",
        "File f = ((RawLocalFileSystem) fs).pathToFile(path);")) {
      assertTrue(code, AROUND_THE_SEAM.matcher(code).find());
    }
    for (String code : List.of("FileOperations ops = FileOperations.forPath(path, conf);",
        "ops.openForMapping(file)", "ops.makeQualified(dir)", "FileSystem fs = cluster.get()")) {
      assertFalse(code, AROUND_THE_SEAM.matcher(code).find());
    }
  }

  @Test
  public void noStoreCodeReachesAFilesystemAroundFileOperations() throws IOException {
    List<String> found = new ArrayList<>();
    for (String dir : KVSTORE_SOURCES) {
      found.addAll(matches(dir, AROUND_THE_SEAM, ALLOWED_FILES));
    }
    assertEquals("filesystem calls around io.kvstore.fs.FileOperations: add the operation to"
        + " FileOperations instead", List.of(), found);
  }

  @Test
  public void benchmarksAskNoFileOperationsForItsFilesystem() throws IOException {
    List<String> found = matches("benchmarks/src/main/java", BENCHMARK_GETTER, Set.of()).stream()
        .filter(line -> !ALLOWED_BENCHMARK_LINES.contains(line.substring(
            line.indexOf(": ") + 2)))
        .collect(Collectors.toList());
    assertEquals(List.of(), found);
  }

  @Test
  public void fileOperationsHandsOutNoFilesystem() {
    for (Method m : FileOperations.class.getMethods()) {
      assertFalse(m + " hands out the filesystem behind the seam",
          FileSystem.class.isAssignableFrom(m.getReturnType()));
    }
  }
}
