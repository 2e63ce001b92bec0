package io.kvstore.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The examples jar as users run it: its contents are those of a Hadoop job jar, and
 * {@code bin/hadoop-jar} runs both example tools from it in a separate JVM, through Hadoop's
 * RunJar and the Maven-resolved client classpath, with no kvstore class on that classpath.
 */
public final class JobJarIT {
  private static final File REPO = new File("..").getAbsoluteFile();

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder(new File("target"));

  private static File jobJar;

  @BeforeClass
  public static void findJar() {
    File[] jars = new File(REPO, "examples/target").listFiles((dir, name) ->
        name.startsWith("kvstore-examples-") && name.endsWith(".jar")
            && !name.endsWith("-tests.jar") && !name.endsWith("-sources.jar"));
    assertTrue("no examples job jar in " + REPO + "/examples/target: run mvn package or install"
        + " from the repository root", jars != null && jars.length == 1);
    jobJar = jars[0];
  }

  @Test
  public void jobJarHoldsKvstoreJarsInLibAndNoHadoop() throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile jar = new JarFile(jobJar)) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        names.add(e.nextElement().getName());
      }
    }
    assertTrue(names.toString(), names.contains("io/kvstore/examples/CloneStoreMapReduce.class"));
    assertTrue(names.toString(), names.contains("io/kvstore/examples/BuildStoreMapReduce.class"));
    assertTrue(names.toString(), names.stream().anyMatch(n -> n.matches("lib/kvstore-core-.*\\.jar")));
    assertTrue(names.toString(),
        names.stream().anyMatch(n -> n.matches("lib/kvstore-mapreduce-.*\\.jar")));
    // The codecs of format version 2, which the cluster's Hadoop does not provide.
    assertTrue(names.toString(), names.stream().anyMatch(n -> n.matches("lib/zstd-jni-.*\\.jar")));
    assertTrue(names.toString(), names.stream().anyMatch(n -> n.matches("lib/lz4-java-.*\\.jar")));
    for (String name : names) {
      assertFalse(name, name.startsWith("org/apache/hadoop/"));
      assertFalse(name, name.startsWith("lib/") && !name.equals("lib/")
          && !name.startsWith("lib/kvstore-") && !name.startsWith("lib/zstd-jni-")
          && !name.startsWith("lib/lz4-java-"));
    }
  }

  private void hadoopJar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(new File(REPO, "bin/hadoop-jar").getPath());
    command.addAll(Arrays.asList(args));
    File log = tmp.newFile();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log);
    builder.environment().remove("HADOOP_CONF_DIR");
    builder.environment().remove("HADOOP_CLASSPATH");
    Process process = builder.start();
    assertTrue("bin/hadoop-jar did not finish", process.waitFor(120, TimeUnit.SECONDS));
    String output = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
    assertEquals(output, 0, process.exitValue());
  }

  @Test
  public void binHadoopJarRunsBuildThenCloneFromTheJobJar() throws Exception {
    File text = tmp.newFolder("text");
    Files.write(new File(text, "part-0.tsv").toPath(),
        "apple\tred\nbanana\tyellow\ncherry\tdark red\n".getBytes(StandardCharsets.UTF_8));
    String store = new File(tmp.getRoot(), "store").toURI().toString();
    String copy = new File(tmp.getRoot(), "copy").toURI().toString();

    hadoopJar(jobJar.getPath(), "io.kvstore.examples.BuildStoreMapReduce",
        text.toURI().toString(), store);
    hadoopJar("io.kvstore.examples.CloneStoreMapReduce", "-D", "mapreduce.job.reduces=2",
        store, copy);

    KeyValueSystem kvs = KeyValueSystem.Factory.create(new Configuration());
    try (KeyValueStoreReader reader = kvs.openStore(new Path(copy))) {
      assertEquals(3, reader.size());
      assertEquals(2, reader.partitions().size());
      assertArrayEquals("dark red".getBytes(StandardCharsets.UTF_8),
          reader.get("cherry".getBytes(StandardCharsets.UTF_8)));
    }
  }
}
