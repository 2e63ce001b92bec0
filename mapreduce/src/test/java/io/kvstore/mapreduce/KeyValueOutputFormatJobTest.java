package io.kvstore.mapreduce;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
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
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.KeyValueTextInputFormat;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Whole jobs on the local job runner writing stores through the output formats. */
public class KeyValueOutputFormatJobTest {
  private static final int KEYS = 5000;

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private Path root() {
    return new Path(tmp.getRoot().toURI());
  }

  private Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    conf.set("hadoop.tmp.dir", new Path(root(), "hadoop-tmp").toUri().getPath());
    conf.setInt("mapreduce.client.completion.pollinterval", 100);
    conf.setInt("mapreduce.client.progressmonitor.pollinterval", 100);
    return conf;
  }

  private static String key(int i) {
    return String.format("key-%06d", i);
  }

  private static String value(int i) {
    return "value of " + i;
  }

  /** Writes "key TAB value" lines; shuffled unless {@code sorted}. */
  private Path writeInput(String name, List<Integer> ids, boolean sorted) throws IOException {
    List<Integer> order = new ArrayList<>(ids);
    if (sorted) {
      Collections.sort(order);
    } else {
      Collections.shuffle(order, new Random(7));
    }
    Path file = new Path(new Path(root(), "input-" + name), name + ".txt");
    FileSystem fs = file.getFileSystem(new Configuration());
    try (Writer w = new OutputStreamWriter(fs.create(file), StandardCharsets.UTF_8)) {
      for (int i : order) {
        w.write(key(i) + "\t" + value(i) + "\n");
      }
    }
    return file;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add(i);
    }
    return ids;
  }

  private Job newApiJob(Path store, int reduces, Path... inputs) throws IOException {
    Job job = Job.getInstance(conf(), "kvstore output test");
    job.setInputFormatClass(KeyValueTextInputFormat.class);
    for (Path input : inputs) {
      FileInputFormat.addInputPath(job, input);
    }
    job.setMapperClass(Mapper.class);
    job.setReducerClass(Reducer.class);
    job.setMapOutputKeyClass(Text.class);
    job.setMapOutputValueClass(Text.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(Text.class);
    job.setNumReduceTasks(reduces);
    job.setOutputFormatClass(KeyValueOutputFormat.class);
    KeyValueOutputFormat.setOutputPath(job, store);
    return job;
  }

  private static void assertStoreHoldsExactly(Configuration conf, Path store, int keys)
      throws IOException {
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(conf).openStore(store)) {
      assertEquals(keys, reader.size());
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(key(i), value(i).getBytes(StandardCharsets.UTF_8),
            reader.get(key(i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = keys; i < keys + 1000; i++) {
        assertNull(reader.get(key(i).getBytes(StandardCharsets.UTF_8)));
      }
      // About one read per present key and almost none per absent key, whatever the routing.
      long reads = reader.statistics().getRecordReads();
      assertTrue(reader.statistics().toString(), reads >= keys && reads <= keys + keys / 100 + 10);
    }
    FileSystem fs = store.getFileSystem(conf);
    for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(store)) {
      String name = s.getPath().getName();
      assertTrue("unexpected file in the store: " + name, name.endsWith(".kvp")
          || name.equals(StoreLayout.MANIFEST_NAME) || name.equals("_SUCCESS"));
    }
  }

  private static long mapOutputRecords(Job job) throws IOException {
    return job.getCounters().findCounter(TaskCounter.MAP_OUTPUT_RECORDS).getValue();
  }

  @Test
  public void threeReducersWithHashPartitionerGiveAStoreWhereEveryKeyIsFound() throws Exception {
    Path store = new Path(root(), "hash-store");
    Job job = newApiJob(store, 3, writeInput("a", range(0, KEYS / 2), false),
        writeInput("b", range(KEYS / 2, KEYS), false));
    assertTrue(job.waitForCompletion(false));
    StoreManifest manifest = StoreManifest.read(store.getFileSystem(conf()), store);
    assertEquals(Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0, 3),
        manifest.getRouting());
    assertEquals(3, manifest.getPartitions().size());
    assertEquals(job.getJobID().toString(), manifest.getProperties().get("kvstore.job.id"));
    assertStoreHoldsExactly(conf(), store, KEYS);
  }

  /** The committer writes through the same raw local filesystem as the partition writers. */
  @Test
  public void jobOutputOnTheLocalFilesystemHasNoCrcSideFiles() throws Exception {
    Path store = new Path(root(), "no-crc-store");
    Job job = newApiJob(store, 2, writeInput("a", range(0, KEYS / 5), false));
    assertTrue(job.waitForCompletion(false));
    String[] names = new java.io.File(store.toUri()).list();
    assertTrue(java.util.Arrays.toString(names), names.length >= 3);
    for (String name : names) {
      assertFalse("checksum side file in the store: " + name, name.endsWith(".crc"));
    }
    assertStoreHoldsExactly(conf(), store, KEYS / 5);
  }

  @Test
  public void keyValuePartitionerJobRoutesByItsRecordedHash() throws Exception {
    Path store = new Path(root(), "kv-store");
    Job job = newApiJob(store, 4, writeInput("a", range(0, KEYS), false));
    job.setPartitionerClass(KeyValuePartitioner.class);
    KeyValuePartitioner.setSeed(job, 1234L);
    assertTrue(job.waitForCompletion(false));
    assertEquals(Routing.byBucket(BucketFunction.KVSTORE_HASH64, 1234L, 4),
        StoreManifest.read(store.getFileSystem(conf()), store).getRouting());
    assertStoreHoldsExactly(conf(), store, KEYS);
  }

  @Test
  public void oldApiJobConfJobWritesAStore() throws Exception {
    Path store = new Path(root(), "old-store");
    JobConf job = oldApiJob(store);
    assertTrue(JobClient.runJob(job).isSuccessful());
    assertEquals(Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0, 2),
        StoreManifest.read(store.getFileSystem(job), store).getRouting());
    assertStoreHoldsExactly(job, store, KEYS);
  }

  @Test
  public void oldApiJobWithTheOldApiKeyValuePartitionerRecordsIt() throws Exception {
    Path store = new Path(root(), "old-kv-store");
    JobConf job = oldApiJob(store);
    job.setPartitionerClass(io.kvstore.mapred.KeyValuePartitioner.class);
    io.kvstore.mapred.KeyValuePartitioner.setSeed(job, 99L);
    assertTrue(JobClient.runJob(job).isSuccessful());
    assertEquals(Routing.byBucket(BucketFunction.KVSTORE_HASH64, 99L, 2),
        StoreManifest.read(store.getFileSystem(job), store).getRouting());
    assertStoreHoldsExactly(job, store, KEYS);
  }

  private JobConf oldApiJob(Path store) throws IOException {
    JobConf job = new JobConf(conf());
    job.setJobName("kvstore old-API output test");
    job.setInputFormat(org.apache.hadoop.mapred.KeyValueTextInputFormat.class);
    org.apache.hadoop.mapred.FileInputFormat.addInputPath(job,
        writeInput("a", range(0, KEYS), false));
    job.setMapperClass(IdentityMapper.class);
    job.setReducerClass(IdentityReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(Text.class);
    job.setNumReduceTasks(2);
    job.setOutputFormat(io.kvstore.mapred.KeyValueOutputFormat.class);
    io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(job, store);
    return job;
  }

  @Test
  public void mapOnlyJobOverSortedInputsWritesAStore() throws Exception {
    Path store = new Path(root(), "map-only-store");
    Job job = newApiJob(store, 0, writeInput("a", range(0, KEYS / 2), true),
        writeInput("b", range(KEYS / 2, KEYS), true));
    assertTrue(job.waitForCompletion(false));
    assertEquals(Routing.byRange(),
        StoreManifest.read(store.getFileSystem(conf()), store).getRouting());
    assertStoreHoldsExactly(conf(), store, KEYS);
  }

  @Test
  public void mapOnlyJobWritingOneKeyFromTwoTasksFailsAndLeavesNoStore() throws Exception {
    Path store = new Path(root(), "dup-store");
    List<Integer> first = range(0, 100);
    List<Integer> second = range(99, 200); // key 99 in both
    Job job = newApiJob(store, 0, writeInput("a", first, true), writeInput("b", second, true));
    assertFalse(job.waitForCompletion(false));
    // Both map tasks wrote all their records: the job failed at commit, refusing key 99.
    assertEquals(201, mapOutputRecords(job));
    assertFalse(store.getFileSystem(conf()).exists(store));
  }

  @Test
  public void mapOnlyJobOverUnsortedInputFailsAndLeavesNoStore() throws Exception {
    Path store = new Path(root(), "unsorted-store");
    Job job = newApiJob(store, 0, writeInput("a", range(0, 100), false));
    assertFalse(job.waitForCompletion(false));
    // The only map task failed at the first key out of order.
    assertEquals(0, mapOutputRecords(job));
    assertFalse(store.getFileSystem(conf()).exists(store));
  }

  @Test
  public void jobOntoAnExistingStoreIsRefusedAtSubmission() throws Exception {
    Path store = new Path(root(), "existing-store");
    assertTrue(newApiJob(store, 1, writeInput("a", range(0, 10), false)).waitForCompletion(false));
    Job again = newApiJob(store, 1, new Path(root(), "input-a"));
    try {
      again.submit();
      fail("a job onto an existing store must be refused before any task");
    } catch (FileAlreadyExistsException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("already holds a complete key-value"));
    }
    assertStoreHoldsExactly(conf(), store, 10);
  }
}
