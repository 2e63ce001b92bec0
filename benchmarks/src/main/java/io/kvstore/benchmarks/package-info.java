/**
 * The comparison of issue 5 (docs/benchmarks.md): {@code RunAll} runs the workloads (build,
 * lookups through JMH, scans, HDFS lookups, MapReduce, memory) on kvstore and its peers (MapFile,
 * PalDB, Sparkey) behind {@code BenchSystem}, collects medians in a {@code Report} and judges the
 * bars in {@code Bars}, which reads NOT MEASURED unless every figure a bar compares was measured.
 *
 * <p>Dependencies: kvstore-core through its client API, kvstore-mapreduce's ready-made jobs,
 * Hadoop (with its mini HDFS cluster), JMH and the peers' libraries. Nothing depends on it.
 */
package io.kvstore.benchmarks;
