/**
 * The {@code bin/kvstore} command-line tool: {@code KvStoreCli} parses the command line and runs
 * one {@code Command} (create, get, scan, show, info, verify, compare, rm, mv, merge, clone,
 * build, runKVTest) with a {@code CommandContext}; codecs, progress bars, sorting of unsorted
 * input and the self-test live here too.
 *
 * <p>Dependencies: kvstore-core, kvstore-mapreduce ({@code io.kvstore.mapreduce.jobs} for clone
 * and build), Hadoop. Not the examples module: the jobs it runs are the library's.
 */
package io.kvstore.tools;
