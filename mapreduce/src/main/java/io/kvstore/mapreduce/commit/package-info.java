/**
 * The output committer's protocol in stages (set up, write, commit task, abort task, commit
 * job, abort job), each a class of its own doing its filesystem calls through
 * {@code io.kvstore.fs.FileOperations}: task manifests committed by a rename that refuses to
 * overwrite, a job commit that never lists directories, an owner marker guarding the path.
 *
 * <p>Dependencies: kvstore-core, Hadoop MapReduce; never {@code io.kvstore.mapreduce} or
 * {@code io.kvstore.mapred}, which depend on this package. What the stages need to know of them
 * is handed in: the committer's class name by the committer, kvstore's partitioners through the
 * {@link io.kvstore.mapreduce.commit.KeyHashPartitioning} marker they implement.
 */
package io.kvstore.mapreduce.commit;
