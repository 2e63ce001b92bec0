/**
 * {@code hadoop jar} drivers of the two ready-made jobs: {@code BuildStoreMapReduce} and
 * {@code CloneStoreMapReduce}, Hadoop {@code Tool}s with a usage line and a summary. The jobs
 * themselves are {@code io.kvstore.mapreduce.jobs.StoreJobs}.
 *
 * <p>Dependencies: kvstore-core, kvstore-mapreduce (including {@code io.kvstore.mapreduce.jobs}),
 * Hadoop. Nothing depends on this module but the integration tests: it is a leaf.
 */
package io.kvstore.examples;
