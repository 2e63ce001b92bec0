package io.kvstore.mapreduce.commit;

import io.kvstore.KeyValueConf;
import io.kvstore.format.BucketFunction;
import io.kvstore.format.Routing;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.MRJobConfig;

/**
 * Which bucket routing a job's partitioner promises: Hadoop's {@code HashPartitioner} over
 * {@link BinaryComparable} map output keys, or a {@link KeyHashPartitioning} one (kvstore's
 * {@code KeyValuePartitioner} of either API) with its seed. Anything else (TotalOrderPartitioner, custom partitioners, map-only
 * jobs, one reducer) routes by key range. The promise is only a candidate: each reducer checks every key it writes
 * against it, and job commit uses it only if every reducer's keys matched.
 */
public final class RoutingPlanner {
  private static final String OLD_API_PARTITIONER = "mapred.partitioner.class";
  private static final String OLD_API_NEW_MAPPER = "mapred.mapper.new-api";

  private RoutingPlanner() {}

  /** The candidate routing of the job configured by {@code conf}. */
  public static Routing candidate(Configuration conf) {
    int reduces = conf.getInt(MRJobConfig.NUM_REDUCES, 1);
    if (reduces <= 1) {
      // With one reducer MapTask bypasses the partitioner; ranges route just as well.
      return Routing.byRange();
    }
    String partitioner = partitionerClassName(conf);
    // A class this process cannot load cannot be kvstore's (which ships with this class).
    Class<?> partitionerClass = conf.getClassByNameOrNull(partitioner);
    if (partitionerClass != null && KeyHashPartitioning.class.isAssignableFrom(partitionerClass)) {
      return Routing.byBucket(BucketFunction.KVSTORE_HASH64,
          KeyValueConf.PARTITIONER_SEED.getLong(conf), reduces);
    }
    boolean hadoopHash =
        org.apache.hadoop.mapreduce.lib.partition.HashPartitioner.class.getName().equals(partitioner)
        || org.apache.hadoop.mapred.lib.HashPartitioner.class.getName().equals(partitioner);
    if (hadoopHash && BinaryComparable.class.isAssignableFrom(mapOutputKeyClass(conf))) {
      return Routing.byBucket(BucketFunction.HADOOP_HASH_PARTITIONER, 0L, reduces);
    }
    return Routing.byRange();
  }

  private static String partitionerClassName(Configuration conf) {
    String newApi = conf.getTrimmed(MRJobConfig.PARTITIONER_CLASS_ATTR);
    String oldApi = conf.getTrimmed(OLD_API_PARTITIONER);
    String useNewMapper = conf.getTrimmed(OLD_API_NEW_MAPPER);
    // MapTask picks the partitioner by the mapper's API (decided at submission); before that,
    // whichever key was set is the one the job will use. Both defaults are HashPartitioner.
    boolean newMapper = useNewMapper != null ? Boolean.parseBoolean(useNewMapper) : oldApi == null;
    if (newMapper) {
      return newApi != null ? newApi
          : org.apache.hadoop.mapreduce.lib.partition.HashPartitioner.class.getName();
    }
    return oldApi != null ? oldApi : org.apache.hadoop.mapred.lib.HashPartitioner.class.getName();
  }

  private static Class<?> mapOutputKeyClass(Configuration conf) {
    Class<?> outputKey = conf.getClass(MRJobConfig.OUTPUT_KEY_CLASS, LongWritable.class);
    return conf.getClass(MRJobConfig.MAP_OUTPUT_KEY_CLASS, outputKey);
  }
}
