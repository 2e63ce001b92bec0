/**
 * Ready-made jobs and how kvstore's own drivers run them: {@code StoreJobs} defines the build
 * job (tab-separated text in, {@code TabSeparatedLineMapper} and {@code UniqueKeyReducer}) and
 * the copy job (a store in, a store out); {@code JobCompletion} is the one way the examples,
 * tools, benchmarks and integration tests wait for a job (a workaround for Hadoop's client,
 * not a supported API).
 *
 * <p>Dependencies: {@code io.kvstore.mapreduce} (the formats), kvstore-core's client API, Hadoop
 * MapReduce and YARN client. Nothing in the library depends on this package; the examples,
 * tools and benchmarks modules do.
 */
package io.kvstore.mapreduce.jobs;
