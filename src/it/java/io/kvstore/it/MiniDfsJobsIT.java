package io.kvstore.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.examples.BuildStoreMapReduce;
import io.kvstore.examples.CloneStoreMapReduce;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import io.kvstore.mapreduce.KeyValueInputFormat;
import io.kvstore.mapreduce.KeyValuePartitioner;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapred.JobClient;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RunningJob;
import org.apache.hadoop.mapred.lib.IdentityMapper;
import org.apache.hadoop.mapred.lib.IdentityReducer;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.partition.InputSampler;
import org.apache.hadoop.mapreduce.lib.partition.TotalOrderPartitioner;
import org.apache.hadoop.util.ToolRunner;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MapReduce jobs through KeyValueInputFormat and KeyValueOutputFormat on the local job runner
 * over a MiniDFSCluster of three datanodes with distinct host names and 64 KB blocks, so that
 * partitions span blocks held by different hosts.
 */
public final class MiniDfsJobsIT {
  private static final Logger LOG = LoggerFactory.getLogger(MiniDfsJobsIT.class);
  private static final long BLOCK_SIZE = 64 * 1024;
  private static final String[] HOSTS = {"dn-a.kvstore.test", "dn-b.kvstore.test",
      "dn-c.kvstore.test"};
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static MiniDFSCluster dfs;
  private static DistributedFileSystem fs;
  private static Configuration conf;
  private static KeyValueSystem kvs;

  @BeforeClass
  public static void startCluster() throws IOException {
    Configuration dfsConf = new Configuration();
    File base = new File("target/it-dfs-" + MiniDfsJobsIT.class.getSimpleName()).getAbsoluteFile();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    dfsConf.setLong(DFSConfigKeys.DFS_NAMENODE_MIN_BLOCK_SIZE_KEY, 4096);
    dfsConf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, BLOCK_SIZE);
    dfsConf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, 2);
    dfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(HOSTS.length).hosts(HOSTS).build();
    dfs.waitActive();
    fs = dfs.getFileSystem();
    conf = new Configuration(dfs.getConfiguration(0));
    conf.set("fs.defaultFS", fs.getUri().toString());
    conf.set("mapreduce.framework.name", "local");
    conf.setInt("mapreduce.client.completion.pollinterval", 100);
    conf.setInt("mapreduce.client.progressmonitor.pollinterval", 100);
    conf.set("mapreduce.jobtracker.staging.root.dir", "/staging");
    // Small sort buffers and two tasks at a time: many small tasks, two cores.
    conf.setInt("mapreduce.task.io.sort.mb", 16);
    conf.setInt("mapreduce.local.map.tasks.maximum", 2);
    conf.setInt("mapreduce.local.reduce.tasks.maximum", 2);
    conf.set("mapreduce.cluster.local.dir",
        new File(base, "mapred-local").getAbsolutePath());
    kvs = KeyValueSystem.Factory.create(conf);
  }

  @AfterClass
  public static void stopCluster() {
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  private static Path fresh(String name) {
    return fs.makeQualified(new Path("/it/" + name + "-" + NAMES.incrementAndGet()));
  }

  /** Writes an input store whose partitions roll at {@code partitionMax} bytes. */
  private static Path inputStore(String name, TreeMap<byte[], byte[]> pairs, long partitionMax)
      throws IOException {
    return ItStores.write(conf, fresh(name), pairs, partitionMax);
  }

  private static int clone(Path in, Path out, String... options) throws Exception {
    List<String> args = new ArrayList<>(java.util.Arrays.asList(options));
    args.add(in.toString());
    args.add(out.toString());
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int status = ToolRunner.run(new Configuration(conf),
        new CloneStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        args.toArray(new String[0]));
    LOG.info("CloneStoreMapReduce {} on the local runner: status {} in {} ms: {}", args, status,
        (System.nanoTime() - start) / 1_000_000, summary.toString("UTF-8").trim());
    return status;
  }

  private static StoreManifest manifest(Path store) throws IOException {
    return StoreManifest.read(fs, store);
  }

  @Test
  public void cloneOfEmptyStore() throws Exception {
    Path in = inputStore("empty", ItStores.sorted(), 1 << 20);
    Path out = fresh("empty-copy");

    assertEquals(0, clone(in, out));

    ItStores.assertExact(kvs, out, ItStores.sorted(), 1000);
  }

  @Test
  public void cloneOfOnePartitionStore() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(500, 20, 1);
    Path in = inputStore("one", pairs, 1 << 20);
    assertEquals(1, manifest(in).getPartitions().size());
    Path out = fresh("one-copy");

    assertEquals(0, clone(in, out));

    ItStores.assertExact(kvs, out, pairs, 1000);
  }

  @Test
  public void cloneOfManyPartitionStore() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(6000, 50, 2);
    Path in = inputStore("many", pairs, 48 * 1024);
    assertTrue(manifest(in).getPartitions().size() >= 6);
    Path out = fresh("many-copy");

    assertEquals(0, clone(in, out));

    ItStores.assertExact(kvs, out, pairs, 1000);
  }

  @Test
  public void fourReducersWithHashPartitionerFindEveryKey() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(12000, 16, 3);
    Path in = inputStore("hash", pairs, 128 * 1024);
    Path out = fresh("hash-copy");

    assertEquals(0, clone(in, out, "-D", "mapreduce.job.reduces=4"));

    List<PartitionInfo> partitions = manifest(out).getPartitions();
    assertEquals(4, partitions.size());
    assertTrue("hash partitioning gives overlapping key ranges",
        partitions.get(0).overlaps(partitions.get(1)));
    ItStores.assertExact(kvs, out, pairs, 10000);
  }

  @Test
  public void keyValuePartitionerRoutesLookupsByBucket() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(8000, 16, 4);
    Path in = inputStore("bucket", pairs, 64 * 1024);
    Path out = fresh("bucket-copy");
    Job job = CloneStoreMapReduce.createJob(new Configuration(conf), in, out);
    job.setNumReduceTasks(3);
    job.setPartitionerClass(KeyValuePartitioner.class);

    assertTrue(job.waitForCompletion(false));

    StoreManifest manifest = manifest(out);
    assertTrue("routing " + manifest.getRouting(), manifest.getRouting().isByBucket());
    assertEquals(3, manifest.getRouting().bucketCount());
    for (PartitionInfo p : manifest.getPartitions()) {
      byte[] first = p.getFirstKey();
      assertEquals(p.getBucket(), manifest.getRouting().bucketOf(first, 0, first.length));
    }
    ItStores.assertExact(kvs, out, pairs, 1000);
  }

  @Test
  public void totalOrderPartitionerGivesDisjointRanges() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(9000, 16, 5);
    Path in = inputStore("total", pairs, 96 * 1024);
    Path out = fresh("total-copy");
    Job job = CloneStoreMapReduce.createJob(new Configuration(conf), in, out);
    job.setNumReduceTasks(3);
    job.setPartitionerClass(TotalOrderPartitioner.class);
    Path cuts = fs.makeQualified(new Path(fresh("cuts").toString()));
    TotalOrderPartitioner.setPartitionFile(job.getConfiguration(), cuts);
    InputSampler.writePartitionFile(job,
        new InputSampler.RandomSampler<BytesWritable, BytesWritable>(0.5, 2000, 10));

    assertTrue(job.waitForCompletion(false));

    List<PartitionInfo> partitions = manifest(out).getPartitions();
    assertEquals(3, partitions.size());
    for (int i = 0; i < partitions.size(); i++) {
      for (int j = i + 1; j < partitions.size(); j++) {
        assertFalse(partitions.get(i) + " overlaps " + partitions.get(j),
            partitions.get(i).overlaps(partitions.get(j)));
      }
    }
    ItStores.assertExact(kvs, out, pairs, 10000);
  }

  @Test
  public void partitionRollsOverInsideATask() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(5000, 100, 6);
    Path in = inputStore("roll", pairs, 1 << 20);
    Path out = fresh("roll-copy");
    long max = 64 * 1024;

    assertEquals(0, clone(in, out, "-D", "mapreduce.job.reduces=2",
        "-D", KeyValueConf.PARTITION_SIZE_MAX.getKey() + "=" + max));

    List<PartitionInfo> partitions = manifest(out).getPartitions();
    assertTrue("partitions: " + partitions.size(), partitions.size() >= 8);
    for (PartitionInfo p : partitions) {
      assertTrue(p + " larger than " + max, p.getSizeBytes() <= max);
      assertEquals(p.getSizeBytes(), fs.getFileStatus(new Path(out, p.getFileName())).getLen());
    }
    ItStores.assertExact(kvs, out, pairs, 1000);
  }

  @Test
  public void binaryKeysWithHighBytesKeepUnsignedOrder() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.binaryPairs(5000, 7);
    Path in = inputStore("binary", pairs, 32 * 1024);
    Path out = fresh("binary-copy");

    assertEquals(0, clone(in, out, "-D", "mapreduce.job.reduces=3"));

    ItStores.assertExact(kvs, out, pairs, 10000);
    Path single = fresh("binary-single");
    assertEquals(0, clone(in, single));
    List<PartitionInfo> partitions = manifest(single).getPartitions();
    assertEquals(1, partitions.size());
    assertArrayEquals(pairs.firstKey(), partitions.get(0).getFirstKey());
    assertArrayEquals(pairs.lastKey(), partitions.get(0).getLastKey());
  }

  @Test
  public void oldApiJobConfJobClonesAStore() throws Exception {
    TreeMap<byte[], byte[]> pairs = ItStores.textPairs(4000, 30, 8);
    Path in = inputStore("oldapi", pairs, 32 * 1024);
    Path out = fresh("oldapi-copy");
    JobConf job = new JobConf(conf);
    job.setJobName("kvstore clone, old API");
    job.setInputFormat(io.kvstore.mapred.KeyValueInputFormat.class);
    org.apache.hadoop.mapred.FileInputFormat.setInputPaths(job, in);
    job.setMapperClass(IdentityMapper.class);
    job.setReducerClass(IdentityReducer.class);
    job.setNumReduceTasks(2);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormat(io.kvstore.mapred.KeyValueOutputFormat.class);
    io.kvstore.mapred.KeyValueOutputFormat.setOutputPath(job, out);

    RunningJob running = JobClient.runJob(job);

    assertTrue(running.isSuccessful());
    ItStores.assertExact(kvs, out, pairs, 1000);
  }

  @Test
  public void splitLocationsAreTheHostsHoldingMostOfEachPartition() throws Exception {
    // Values of incompressible bytes, partitions of about three and a half blocks.
    Path in = inputStore("locality", ItStores.textPairs(3000, 400, 9), 220 * 1024);
    Job job = Job.getInstance(conf);
    KeyValueInputFormat.setInputPaths(job, in);

    List<InputSplit> splits = new KeyValueInputFormat().getSplits(job);

    assertEquals(manifest(in).getPartitions().size(), splits.size());
    Set<String> allHosts = new HashSet<>(java.util.Arrays.asList(HOSTS));
    for (InputSplit split : splits) {
      Path file = ((FileSplit) split).getPath();
      Map<String, Long> bytesByHost = new HashMap<>();
      List<LocatedBlock> blocks = fs.getClient()
          .getLocatedBlocks(file.toUri().getPath(), 0, split.getLength()).getLocatedBlocks();
      assertTrue(file + " spans " + blocks.size() + " blocks", blocks.size() >= 3);
      for (LocatedBlock block : blocks) {
        for (DatanodeInfo dn : block.getLocations()) {
          bytesByHost.merge(dn.getHostName(), block.getBlockSize(), Long::sum);
        }
      }
      assertTrue("datanode names " + bytesByHost.keySet(), allHosts.containsAll(bytesByHost.keySet()));
      long most = bytesByHost.values().stream().mapToLong(Long::longValue).max().getAsLong();
      String[] locations = split.getLocations();
      assertEquals("replication 2: two hosts named", 2, locations.length);
      assertEquals(file + ": first host holds the most bytes " + bytesByHost, most,
          (long) bytesByHost.get(locations[0]));
      for (String host : locations) {
        assertTrue(host + " holds part of " + file, bytesByHost.containsKey(host));
      }
      for (Map.Entry<String, Long> e : bytesByHost.entrySet()) {
        if (!java.util.Arrays.asList(locations).contains(e.getKey())) {
          assertTrue(e + " holds more than a named host",
              e.getValue() <= bytesByHost.get(locations[locations.length - 1]));
        }
      }
    }
  }

  @Test
  public void buildStoreFromTabSeparatedTextOnHdfs() throws Exception {
    Path text = fresh("text");
    TreeMap<byte[], byte[]> expected = ItStores.sorted();
    for (int f = 0; f < 2; f++) {
      try (FSDataOutputStream out = fs.create(new Path(text, "lines-" + f + ".txt"))) {
        for (int i = f; i < 3000; i += 2) {
          String key = "word" + i;
          String value = "meaning\tof " + i;
          out.write((key + "\t" + value + "\n").getBytes(StandardCharsets.UTF_8));
          expected.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        out.write("\n".getBytes(StandardCharsets.UTF_8));
        out.write(("lonely-key-" + f + "\n").getBytes(StandardCharsets.UTF_8));
        expected.put(("lonely-key-" + f).getBytes(StandardCharsets.UTF_8), new byte[0]);
      }
    }
    Path out = fresh("built");
    ByteArrayOutputStream summary = new ByteArrayOutputStream();

    int status = ToolRunner.run(new Configuration(conf),
        new BuildStoreMapReduce(new PrintStream(summary, true, "UTF-8")),
        new String[] {"-D", "mapreduce.job.reduces=3", text.toString(), out.toString()});

    assertEquals(0, status);
    assertTrue(summary.toString("UTF-8"), summary.toString("UTF-8").contains("stored 3002 pairs"));
    ItStores.assertExact(kvs, out, expected, 1000);
  }

  @Test
  public void buildStoreFailsOnDuplicateKeyAndLeavesNoStore() throws Exception {
    Path text = fresh("dup-text");
    try (FSDataOutputStream out = fs.create(new Path(text, "lines.txt"))) {
      out.write("alpha\t1\nbeta\t2\ngamma\t3\nbeta\t4\n".getBytes(StandardCharsets.UTF_8));
    }
    Path out = fresh("dup-store");
    Job job = BuildStoreMapReduce.createJob(new Configuration(conf), text, out);

    assertFalse(job.waitForCompletion(false));

    assertEquals(StoreLayout.State.ABSENT, StoreLayout.stateOf(FileOperations.of(fs), out));
  }
}
