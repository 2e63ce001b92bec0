/**
 * The output committer's protocol in stages (set up, write, commit task, abort task, commit
 * job, abort job), each a class of its own doing its filesystem calls through
 * {@code io.kvstore.fs.FileOperations}: task manifests committed by a rename that refuses to
 * overwrite, a job commit that never lists directories, an owner marker guarding the path.
 *
 * <p>Dependencies: kvstore-core, Hadoop MapReduce. It should not depend on
 * {@code io.kvstore.mapreduce} or {@code io.kvstore.mapred}; today it still names their
 * partitioner and committer classes (a known cycle, being removed separately).
 */
package io.kvstore.mapreduce.commit;
