package io.kvstore.mapreduce;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.StoreNotFoundException;
import io.kvstore.TableVersion;
import io.kvstore.format.StoreLayout;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.JobClient;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.lib.IdentityMapper;
import org.apache.hadoop.mapred.lib.IdentityReducer;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.KeyValueTextInputFormat;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Jobs on the local job runner publishing their output as versions of a table. */
public class TableOutputJobTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private Path root;
  private Path table;
  private KeyValueSystem system;

  @Before
  public void setUp() throws IOException {
    root = new Path(tmp.getRoot().toURI());
    table = new Path(root, "table");
    system = KeyValueSystem.Factory.create(conf());
  }

  private Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    conf.set("hadoop.tmp.dir", new Path(root, "hadoop-tmp").toUri().getPath());
    conf.setInt("mapreduce.client.completion.pollinterval", 100);
    conf.setInt("mapreduce.client.progressmonitor.pollinterval", 100);
    return conf;
  }

  /** "key TAB value" lines for keys 0..n-1, in descending order unless {@code sorted}. */
  private Path input(String name, int n, String tag, boolean sorted) throws IOException {
    Path file = new Path(new Path(root, "input-" + name), name + ".txt");
    FileSystem fs = file.getFileSystem(conf());
    try (Writer w = new OutputStreamWriter(fs.create(file), StandardCharsets.UTF_8)) {
      for (int j = 0; j < n; j++) {
        int i = sorted ? j : n - 1 - j;
        w.write(String.format("k%05d\t%s%d\n", i, tag, i));
      }
    }
    return file;
  }

  private Job job(Path input, int reduces) throws IOException {
    Job job = Job.getInstance(conf(), "kvstore table output test");
    job.setInputFormatClass(KeyValueTextInputFormat.class);
    FileInputFormat.addInputPath(job, input);
    job.setMapperClass(Mapper.class);
    job.setReducerClass(Reducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(Text.class);
    job.setNumReduceTasks(reduces);
    job.setOutputFormatClass(KeyValueOutputFormat.class);
    KeyValueOutputFormat.setOutputTable(job, table);
    return job;
  }

  private void assertCurrent(long version, int n, String tag) throws IOException {
    List<TableVersion> versions = system.listVersions(table);
    assertTrue(versions.toString(), versions.stream()
        .anyMatch(v -> v.isCurrent() && v.getVersion() == version));
    try (KeyValueStoreReader reader = system.openStore(table)) {
      assertEquals(n, reader.size());
      for (int i = 0; i < n; i++) {
        assertArrayEquals((tag + i).getBytes(StandardCharsets.UTF_8),
            reader.get(String.format("k%05d", i).getBytes(StandardCharsets.UTF_8)));
      }
    }
    for (FileStatus entry : table.getFileSystem(conf()).listStatus(table)) {
      assertFalse("left behind: " + entry.getPath(),
          entry.getPath().getName().startsWith(StoreLayout.TEMP_PREFIX));
    }
  }

  @Test
  public void eachJobPublishesTheNextCurrentVersion() throws Exception {
    system.createTable(table);
    assertTrue(job(input("a", 300, "a", false), 2).waitForCompletion(false));
    assertCurrent(1, 300, "a");
    assertTrue(job(input("b", 200, "b", false), 3).waitForCompletion(false));
    assertCurrent(2, 200, "b");
  }

  @Test
  public void aFailedJobLeavesTheTableAsItWas() throws Exception {
    system.createTable(table);
    assertTrue(job(input("a", 100, "a", true), 1).waitForCompletion(false));
    // A map-only job over unsorted input fails in its task; nothing may change.
    assertFalse(job(input("b", 100, "b", false), 0).waitForCompletion(false));
    assertCurrent(1, 100, "a");
    assertEquals(1, system.listVersions(table).size());
  }

  @Test
  public void anOldApiJobPublishesAVersion() throws Exception {
    system.createTable(table);
    JobConf job = new JobConf(conf());
    job.setInputFormat(org.apache.hadoop.mapred.KeyValueTextInputFormat.class);
    org.apache.hadoop.mapred.FileInputFormat.addInputPath(job, input("a", 150, "x", false));
    job.setMapperClass(IdentityMapper.class);
    job.setReducerClass(IdentityReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(Text.class);
    job.setNumReduceTasks(2);
    job.setOutputFormat(io.kvstore.mapred.KeyValueOutputFormat.class);
    io.kvstore.mapred.KeyValueOutputFormat.setOutputTable(job, table);
    assertTrue(JobClient.runJob(job).isSuccessful());
    assertCurrent(1, 150, "x");
  }

  @Test
  public void aJobOntoAMissingTableIsRefusedAtSubmission() throws Exception {
    Job job = job(input("a", 10, "a", false), 1);
    try {
      job.submit();
      fail("a job onto a missing table must be refused before any task");
    } catch (StoreNotFoundException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("it is not a table"));
    }
    assertFalse(table.getFileSystem(conf()).exists(table));
  }
}
