package io.kvstore.mapreduce;

import static org.hamcrest.CoreMatchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.fail;

import io.kvstore.DuplicateKeyException;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.PartitionInfo;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.commit.CommitStatistics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.lib.partition.HashPartitioner;
import org.apache.hadoop.mapreduce.lib.partition.TotalOrderPartitioner;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Which routing a committed store records, and the refusal of a key written by two tasks.
 */
public class KeyValueRoutingTest {
  private static final int REDUCES = 3;
  private static final int KEYS = 600;

  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  private Path store(String name) {
    return new Path(new Path(tmp.getRoot().toURI()), name);
  }

  private static String key(int i) {
    return String.format("key-%05d", i);
  }

  /** Writes KEYS keys, each to the reducer {@code partitioner} picks, and commits the job. */
  private CommitterHarness runReducers(Path store, Configuration base,
      Partitioner<BytesWritable, BytesWritable> partitioner) throws Exception {
    CommitterHarness h = new CommitterHarness(store, REDUCES, 2, base);
    h.committer().setupJob(h.jobContext());
    List<List<String>> perReducer = new ArrayList<>();
    for (int r = 0; r < REDUCES; r++) {
      perReducer.add(new ArrayList<>());
    }
    for (int i = 0; i < KEYS; i++) {
      perReducer.get(partitioner.getPartition(CommitterHarness.bytes(key(i)), null, REDUCES))
          .add(key(i));
    }
    for (int r = 0; r < REDUCES; r++) {
      h.writeAndCommit(r, 0, "v", perReducer.get(r).toArray(new String[0]));
    }
    h.committer().commitJob(h.jobContext());
    return h;
  }

  private static void assertEveryKeyFound(CommitterHarness h) throws Exception {
    try (KeyValueStoreReader reader = KeyValueSystem.Factory.create(h.conf).openStore(h.store)) {
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(key(i), ("v" + key(i)).getBytes(StandardCharsets.UTF_8),
            reader.get(key(i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = KEYS; i < KEYS + 200; i++) {
        assertNull(reader.get(key(i).getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  public void hashPartitionerJobRecordsHadoopBucketRouting() throws Exception {
    CommitterHarness h = runReducers(store("hash"), new Configuration(), new HashPartitioner<>());
    StoreManifest manifest = StoreManifest.read(h.fs, h.store);
    assertEquals(Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0, REDUCES),
        manifest.getRouting());
    for (PartitionInfo p : manifest.getPartitions()) {
      assertEquals(p.getFileName(), Integer.parseInt(p.getFileName().substring(7, 12)),
          p.getBucket());
    }
    assertEquals("0", manifest.getProperties().get(CommitStatistics.PREFIX
        + "duplicate.check.records"));
    assertEveryKeyFound(h);
  }

  @Test
  public void keyValuePartitionerJobRecordsItsFunctionAndSeed() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MRJobConfig.PARTITIONER_CLASS_ATTR, KeyValuePartitioner.class.getName());
    conf.setLong(KeyValuePartitioner.SEED_KEY, 42L);
    KeyValuePartitioner<BytesWritable, BytesWritable> partitioner = new KeyValuePartitioner<>();
    partitioner.setConf(conf);
    CommitterHarness h = runReducers(store("kvhash"), conf, partitioner);
    assertEquals(Routing.byBucket(BucketFunction.KVSTORE_HASH64, 42L, REDUCES),
        StoreManifest.read(h.fs, h.store).getRouting());
    assertEveryKeyFound(h);
  }

  @Test
  public void totalOrderPartitionerJobRoutesByRange() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MRJobConfig.PARTITIONER_CLASS_ATTR, TotalOrderPartitioner.class.getName());
    Partitioner<BytesWritable, BytesWritable> ranges = new Partitioner<BytesWritable,
        BytesWritable>() {
      @Override
      public int getPartition(BytesWritable key, BytesWritable value, int n) {
        return Integer.parseInt(new String(key.copyBytes(), StandardCharsets.UTF_8).substring(4))
            * n / KEYS;
      }
    };
    CommitterHarness h = runReducers(store("total"), conf, ranges);
    StoreManifest manifest = StoreManifest.read(h.fs, h.store);
    assertEquals(Routing.byRange(), manifest.getRouting());
    assertEquals("ranges are disjoint, so no partition is read", "0",
        manifest.getProperties().get(CommitStatistics.PREFIX + "duplicate.check.partitions"));
    assertEveryKeyFound(h);
  }

  @Test
  public void reducerWritingKeysOutsideItsBucketFallsBackToRangeRouting() throws Exception {
    // HashPartitioner configured, but reducers write keys of another bucket (rewritten keys).
    Partitioner<BytesWritable, BytesWritable> wrong = new Partitioner<BytesWritable,
        BytesWritable>() {
      private final HashPartitioner<BytesWritable, BytesWritable> hash = new HashPartitioner<>();

      @Override
      public int getPartition(BytesWritable key, BytesWritable value, int n) {
        return (hash.getPartition(key, value, n) + 1) % n;
      }
    };
    CommitterHarness h = runReducers(store("rewritten"), new Configuration(), wrong);
    StoreManifest manifest = StoreManifest.read(h.fs, h.store);
    assertEquals(Routing.byRange(), manifest.getRouting());
    for (PartitionInfo p : manifest.getPartitions()) {
      assertEquals(PartitionInfo.NO_BUCKET, p.getBucket());
    }
    assertEveryKeyFound(h);
  }

  @Test
  public void mapOnlyJobWithAKeyInTwoTasksIsRefusedAndPublishesNothing() throws Exception {
    CommitterHarness h = new CommitterHarness(store("dup"), 0, 2);
    h.committer().setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a", "c", "m", "x");
    h.writeAndCommit(1, 0, "v", "b", "m", "y");
    try {
      h.committer().commitJob(h.jobContext());
      fail("a key written by two map tasks must be refused");
    } catch (DuplicateKeyException e) {
      assertArrayEquals("m".getBytes(StandardCharsets.UTF_8), e.getKey());
      assertThat(e.getMessage(), containsString("part-m-00000-000.kvp"));
      assertThat(e.getMessage(), containsString("part-m-00001-000.kvp"));
    }
    assertFalse(h.fs.exists(new Path(h.store, StoreLayout.MANIFEST_NAME)));
    h.committer().abortJob(h.jobContext(), JobStatus.State.FAILED);
    assertFalse(h.fs.exists(h.store));
  }

  @Test
  public void mapOnlyJobWithOverlappingDistinctKeysIsCheckedAndPublished() throws Exception {
    CommitterHarness h = new CommitterHarness(store("interleaved"), 0, 3);
    h.committer().setupJob(h.jobContext());
    h.writeAndCommit(0, 0, "v", "a", "d", "g");
    h.writeAndCommit(1, 0, "v", "b", "e", "h");
    h.writeAndCommit(2, 0, "v", "x", "y"); // disjoint from the others: never read
    h.committer().commitJob(h.jobContext());
    StoreManifest manifest = StoreManifest.read(h.fs, h.store);
    assertEquals(Routing.byRange(), manifest.getRouting());
    assertEquals("2", manifest.getProperties().get(CommitStatistics.PREFIX
        + "duplicate.check.partitions"));
    assertEquals(new TreeSet<>(List.of("a", "b", "d", "e", "g", "h", "x", "y")),
        h.readAll().keySet());
    assertEquals(List.of("_SUCCESS", "_kvstore_manifest", "part-m-00000-000.kvp",
        "part-m-00001-000.kvp", "part-m-00002-000.kvp"), h.list(h.store));
  }

  @Test
  public void keyValuePartitionerMatchesTheRecordedBucketFunction() throws Exception {
    org.apache.hadoop.mapreduce.Job job =
        org.apache.hadoop.mapreduce.Job.getInstance(new Configuration());
    KeyValuePartitioner.setSeed(job, 7L);
    KeyValuePartitioner<BytesWritable, BytesWritable> partitioner = new KeyValuePartitioner<>();
    partitioner.setConf(job.getConfiguration());
    assertEquals(7L, KeyValuePartitioner.getSeed(job.getConfiguration()));
    for (int i = 0; i < 1000; i++) {
      byte[] k = key(i).getBytes(StandardCharsets.UTF_8);
      assertEquals(BucketFunction.KVSTORE_HASH64.bucket(k, 0, k.length, 7L, 13),
          partitioner.getPartition(new BytesWritable(k), null, 13));
    }
  }
}
