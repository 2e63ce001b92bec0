/**
 * The on-disk format (docs/format.md): partition files (header, compression section, records,
 * block index, hash index, footer) written by {@code PartitionWriter} and
 * {@code RollingPartitionWriter}, read by {@code PartitionReader} (lookups) and
 * {@code PartitionScanner} (scans), each section validated before use and decoded by one class
 * ({@code PartitionFooter}, {@code CompressionSection}, {@code RecordCodec} over {@code Varint}
 * and {@code Compression}, {@code BlockIndex}), whose decoding takes bytes and makes no
 * filesystem call; the store manifest ({@code StoreManifest}, {@code ManifestCodec}); the key hash
 * and bucket functions that route keys; the store's directory layout; tables of versions
 * ({@code TableLayout}, the pointer {@code TablePointer}, {@code TableOperations}) and the
 * whole-file check and copy of a partition ({@code PartitionTransfer}).
 *
 * <p>Dependencies: {@code io.kvstore} (exceptions, {@code PartitionInfo}, settings) and
 * {@code io.kvstore.fs} (every filesystem call), Hadoop Common, zstd-jni and lz4-java, the JDK.
 * Not {@code io.kvstore.impl}, and nothing of MapReduce.
 */
package io.kvstore.format;
