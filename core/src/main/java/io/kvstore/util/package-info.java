/**
 * Mechanisms shared by the format, the implementation, the committer and the tools, each written
 * once: {@code MergingIterator} is the one k-way merge of sorted sources by unsigned byte order
 * (store scans over overlapping partitions, the duplicate key checks of merge and job commit,
 * the external sort of the command-line tool).
 *
 * <p>Dependencies: {@code io.kvstore} ({@code Bytes}), {@code io.kvstore.fs} ({@code Closer}),
 * the JDK. Not {@code io.kvstore.format} or {@code io.kvstore.impl}: what is merged is handed in
 * as a {@code SortedSource}.
 */
package io.kvstore.util;
