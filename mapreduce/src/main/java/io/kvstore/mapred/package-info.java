/**
 * The same formats for the old MapReduce API ({@code org.apache.hadoop.mapred}, e.g. for
 * streaming and {@code JobConf} jobs): thin adapters over {@code io.kvstore.mapreduce}.
 *
 * <p>Dependencies: {@code io.kvstore.mapreduce} and its {@code commit} package, kvstore-core,
 * Hadoop MapReduce.
 */
package io.kvstore.mapred;
