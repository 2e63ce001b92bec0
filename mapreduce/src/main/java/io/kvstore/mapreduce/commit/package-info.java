/**
 * The MapReduce adapter of the engine-neutral commit protocol in {@code io.kvstore.commit}:
 * the stages that read MapReduce's types (commit and abort of a task attempt through task
 * manifests committed by a rename that refuses to overwrite, recovery after an application
 * master restart, the task count a job states, the routing its partitioner promises) and job
 * commit, which loads the committed task manifests and hands them to
 * {@code io.kvstore.commit.PublishStage}.
 *
 * <p>Dependencies: kvstore-core, Hadoop MapReduce; never {@code io.kvstore.mapreduce} or
 * {@code io.kvstore.mapred}, which depend on this package. What the stages need to know of them
 * is handed in: the committer's class name by the committer, kvstore's partitioners through the
 * {@link io.kvstore.mapreduce.commit.KeyHashPartitioning} marker they implement.
 */
package io.kvstore.mapreduce.commit;
