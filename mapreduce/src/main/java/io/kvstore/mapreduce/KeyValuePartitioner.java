package io.kvstore.mapreduce;

import io.kvstore.KeyValueConf;
import io.kvstore.format.BucketFunction;
import io.kvstore.mapreduce.commit.KeyHashPartitioning;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BinaryComparable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Partitioner;

/**
 * Assigns keys to reducers by kvstore's own 64-bit key hash ({@link BucketFunction#KVSTORE_HASH64})
 * under a configurable seed. A job that uses it with {@link KeyValueOutputFormat} gets a store
 * whose manifest records the function, seed and reducer count, so every lookup goes straight to
 * the partitions of one reducer. Spreads keys evenly even when they share long prefixes or
 * differ only in their last bytes.
 *
 * <pre>
 * job.setPartitionerClass(KeyValuePartitioner.class);
 * KeyValuePartitioner.setSeed(job, 42L); // optional
 * </pre>
 *
 * @param <K> the map output key type
 * @param <V> the map output value type
 */
public final class KeyValuePartitioner<K extends BinaryComparable, V> extends Partitioner<K, V>
    implements Configurable, KeyHashPartitioning {
  /** Configuration key of the seed, {@link KeyValueConf#PARTITIONER_SEED}. */
  public static final String SEED_KEY = KeyValueConf.PARTITIONER_SEED.getKey();
  /** Seed used when none is configured. */
  public static final long DEFAULT_SEED =
      ((Number) KeyValueConf.PARTITIONER_SEED.getDefaultValue()).longValue();

  private Configuration conf;
  private long seed = DEFAULT_SEED;

  /** Sets the seed of the job's partitioner. */
  public static void setSeed(Job job, long seed) {
    KeyValueConf.PARTITIONER_SEED.setLong(job.getConfiguration(), seed);
  }

  /** The configured seed. */
  public static long getSeed(Configuration conf) {
    return KeyValueConf.PARTITIONER_SEED.getLong(conf);
  }

  /** The reducer of {@code key}, in {@code [0, numPartitions)}. */
  @Override
  public int getPartition(K key, V value, int numPartitions) {
    return BucketFunction.KVSTORE_HASH64.bucket(key.getBytes(), 0, key.getLength(), seed,
        numPartitions);
  }

  /** Reads the seed from {@code conf}. */
  @Override
  public void setConf(Configuration conf) {
    this.conf = conf;
    this.seed = getSeed(conf);
  }

  /** The configuration given to {@link #setConf}. */
  @Override
  public Configuration getConf() {
    return conf;
  }
}
