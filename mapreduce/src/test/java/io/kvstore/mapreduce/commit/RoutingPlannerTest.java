package io.kvstore.mapreduce.commit;

import static org.junit.Assert.assertEquals;

import io.kvstore.KeyValueConf;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.Test;

/**
 * The candidate routing of a job's configuration, decided without the planner naming the
 * partitioner classes (they implement {@link KeyHashPartitioning}).
 */
public final class RoutingPlannerTest {
  private static Configuration job(String key, String partitioner) {
    Configuration conf = new Configuration(false);
    conf.setInt(MRJobConfig.NUM_REDUCES, 4);
    conf.setClass(MRJobConfig.MAP_OUTPUT_KEY_CLASS, BytesWritable.class, Object.class);
    conf.set(key, partitioner);
    KeyValueConf.PARTITIONER_SEED.setLong(conf, 77L);
    return conf;
  }

  @Test
  public void bothApisKeyValuePartitionersPromiseTheKvstoreHashUnderTheConfiguredSeed() {
    Routing expected = Routing.byBucket(BucketFunction.KVSTORE_HASH64, 77L, 4);
    assertEquals(expected, RoutingPlanner.candidate(job(MRJobConfig.PARTITIONER_CLASS_ATTR,
        io.kvstore.mapreduce.KeyValuePartitioner.class.getName())));
    assertEquals(expected, RoutingPlanner.candidate(job("mapred.partitioner.class",
        io.kvstore.mapred.KeyValuePartitioner.class.getName())));
  }

  /** A partitioner of the application's own that promises kvstore's hash. */
  public static final class OwnKeyHashPartitioner implements KeyHashPartitioning {}

  @Test
  public void anyMarkedPartitionerPromisesTheKvstoreHashAndAnUnknownClassRoutesByRange() {
    assertEquals(Routing.byBucket(BucketFunction.KVSTORE_HASH64, 77L, 4),
        RoutingPlanner.candidate(job(MRJobConfig.PARTITIONER_CLASS_ATTR,
            OwnKeyHashPartitioner.class.getName())));
    assertEquals(Routing.byRange(), RoutingPlanner.candidate(job(
        MRJobConfig.PARTITIONER_CLASS_ATTR, "com.example.NoSuchPartitioner")));
    assertEquals(Routing.byRange(), RoutingPlanner.candidate(job(
        MRJobConfig.PARTITIONER_CLASS_ATTR, String.class.getName())));
  }
}
