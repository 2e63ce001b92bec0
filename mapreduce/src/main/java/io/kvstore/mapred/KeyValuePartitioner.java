package io.kvstore.mapred;

import io.kvstore.KeyValueConf;
import io.kvstore.format.BucketFunction;
import io.kvstore.mapreduce.commit.KeyHashPartitioning;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.Partitioner;

/**
 * Old-API ({@code org.apache.hadoop.mapred}) counterpart of
 * {@link io.kvstore.mapreduce.KeyValuePartitioner}: the same function and seed, recorded in the
 * store manifest by the committer, so lookups go straight to one reducer's partitions.
 *
 * <pre>
 * conf.setPartitionerClass(io.kvstore.mapred.KeyValuePartitioner.class);
 * </pre>
 *
 * @param <K> the map output key type
 * @param <V> the map output value type
 */
public final class KeyValuePartitioner<K extends BinaryComparable, V>
    implements Partitioner<K, V>, KeyHashPartitioning {
  private long seed = io.kvstore.mapreduce.KeyValuePartitioner.DEFAULT_SEED;

  /** Sets the seed of the job's partitioner. */
  public static void setSeed(JobConf job, long seed) {
    KeyValueConf.PARTITIONER_SEED.setLong(job, seed);
  }

  /** Reads the seed from the job. */
  @Override
  public void configure(JobConf job) {
    seed = KeyValueConf.PARTITIONER_SEED.getLong(job);
  }

  /** The reducer of {@code key}, in {@code [0, numPartitions)}. */
  @Override
  public int getPartition(K key, V value, int numPartitions) {
    return BucketFunction.KVSTORE_HASH64.bucket(key.getBytes(), 0, key.getLength(), seed,
        numPartitions);
  }
}
