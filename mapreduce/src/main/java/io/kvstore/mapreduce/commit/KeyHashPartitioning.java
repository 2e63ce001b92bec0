package io.kvstore.mapreduce.commit;

/**
 * Marks a partitioner class that sends each key to reducer
 * {@code BucketFunction.KVSTORE_HASH64.bucket(key, seed, reducers)}, with the seed
 * {@code KeyValueConf.PARTITIONER_SEED} of the job. {@link RoutingPlanner} takes a job whose
 * partitioner implements it as a candidate for bucket routing (each reducer still checks every
 * key it writes). Both MapReduce APIs' {@code KeyValuePartitioner} implement it; the marker lets
 * this package recognise them without depending on the packages that hold them.
 */
public interface KeyHashPartitioning {}
