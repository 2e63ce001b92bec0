/**
 * The implementation behind the client API: {@code HadoopKeyValueSystem} creates readers,
 * writers and merges; {@code HadoopStoreReader} routes lookups over the partitions
 * ({@code PartitionRouter}) and merges their scans; {@code HadoopStoreWriter} and
 * {@code StoreMerger} publish stores through the manifest. Not an API: use
 * {@code io.kvstore.KeyValueSystem}.
 *
 * <p>Dependencies: {@code io.kvstore}, {@code io.kvstore.format}, {@code io.kvstore.fs},
 * {@code io.kvstore.util} (the merge of scans), Hadoop Common, the JDK.
 */
package io.kvstore.impl;
