package io.kvstore.spark;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * kvstore-spark on Spark's own classpath: exactly one Hadoop (Spark's shaded client), and a job
 * jar holding kvstore (core, mapreduce, spark) and a user's job, with neither Spark nor Hadoop,
 * runs through {@code org.apache.spark.deploy.SparkSubmit} in a JVM whose classpath is Spark's
 * alone, as on a cluster.
 */
public class SparkSubmitJobJarTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void oneHadoopOnTheClasspath() throws IOException {
    List<URL> found = Collections.list(getClass().getClassLoader()
        .getResources("org/apache/hadoop/conf/Configuration.class"));
    assertEquals("copies of Hadoop's Configuration: " + found, 1, found.size());
    assertThat(found.get(0).toString(), containsString("hadoop-client-api"));
  }

  @Test
  public void jobJarRunsThroughSparkSubmit() throws Exception {
    File jar = TMP.newFile("job.jar");
    Set<String> kvstoreRoots = new HashSet<>();
    try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar))) {
      Set<String> written = new HashSet<>();
      for (Class<?> c : List.of(io.kvstore.KeyValueConf.class,
          io.kvstore.mapreduce.PartitionSplits.class, KeyValueDataSource.class)) {
        String root = c.getProtectionDomain().getCodeSource().getLocation().getPath();
        kvstoreRoots.add(new File(root).getAbsolutePath());
        add(out, new File(root), written, name -> true);
      }
      String tests = SparkJobJarMain.class.getProtectionDomain().getCodeSource().getLocation()
          .getPath();
      kvstoreRoots.add(new File(tests).getAbsolutePath());
      add(out, new File(tests), written, name -> name.startsWith("io/kvstore/spark/SparkJobJarMain")
          || name.startsWith("io/kvstore/spark/SparkStores"));
    }
    String sparkClasspath = Stream.of(System.getProperty("java.class.path")
        .split(File.pathSeparator))
        .filter(e -> !kvstoreRoots.contains(new File(e).getAbsolutePath()))
        .filter(e -> !new File(e).getName().startsWith("kvstore-"))
        .collect(Collectors.joining(File.pathSeparator));
    String store = new File(TMP.getRoot(), "store").toURI().toString();
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-XX:") || arg.startsWith("-Dio.netty")
          || arg.startsWith("-Djdk.reflect")) {
        command.add(arg);
      }
    }
    // A job of seconds: the C1 compiler alone starts Spark's JVM faster on two cores.
    command.add("-Xmx1g");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(List.of("-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--class", SparkJobJarMain.class.getName(), jar.getAbsolutePath(), store, "2000"));
    File log = TMP.newFile("spark-submit.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log).start();
    assertTrue("spark-submit did not finish in 20 minutes", p.waitFor(20, TimeUnit.MINUTES));
    String output = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
    assertEquals("spark-submit exit code; output:\n" + output, 0, p.exitValue());
    assertThat(output, containsString("wrote, read and looked up 2000 pairs"));
    SparkStores.assertExactStore(new Configuration(),
        new org.apache.hadoop.fs.Path(store), 2000);
  }

  /** Adds the classes and resources under {@code root} (a directory or a jar) once each. */
  private static void add(JarOutputStream out, File root, Set<String> written,
      java.util.function.Predicate<String> include) throws IOException {
    if (root.isDirectory()) {
      Path base = root.toPath();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(base)) {
        files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      }
      for (Path f : files) {
        String name = base.relativize(f).toString().replace(File.separatorChar, '/');
        if (include.test(name) && written.add(name)) {
          out.putNextEntry(new JarEntry(name));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(root)) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        if (e.isDirectory() || e.getName().equals("META-INF/MANIFEST.MF")
            || !include.test(e.getName()) || !written.add(e.getName())) {
          continue;
        }
        out.putNextEntry(new JarEntry(e.getName()));
        try (InputStream in = jar.getInputStream(e)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }
}
