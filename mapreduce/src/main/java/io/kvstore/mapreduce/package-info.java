/**
 * kvstore in MapReduce jobs, new API ({@code org.apache.hadoop.mapreduce}):
 * {@code KeyValueOutputFormat} and its committer write a store from a job,
 * {@code KeyValueInputFormat} reads stores (one split per partition),
 * {@code KeyValuePartitioner} routes keys so that the reader consults one partition per lookup.
 *
 * <p>Dependencies: kvstore-core ({@code io.kvstore}, {@code io.kvstore.format},
 * {@code io.kvstore.fs}), {@code io.kvstore.mapreduce.commit} (the commit protocol), Hadoop
 * MapReduce. Not {@code io.kvstore.mapred} (the old API adapts this package, not the other way
 * round) and not {@code io.kvstore.mapreduce.jobs}.
 */
package io.kvstore.mapreduce;
