package io.kvstore;

import org.apache.hadoop.conf.Configuration;

/**
 * Every kvstore setting: its key, default and meaning, with typed getters and setters. Settings
 * are read from a Hadoop {@link Configuration}, so they can be given in *-site.xml files, with
 * {@code -D key=value} on any Hadoop tool, or through the output format's static helpers.
 */
public enum KeyValueConf {
  /** Partition size limit. */
  PARTITION_SIZE_MAX("kvstore.partition.size.bytes.max", 512L * 1024 * 1024, 1L, 1L << 48,
      "Largest partition file in bytes, counting records, index and footer. A writer starts a new"
          + " partition when the next pair would push the current one past it; a single pair that"
          + " cannot fit in an empty partition is refused. At most 2^48 (256 TiB)."),
  /** Key size limit. */
  KEY_SIZE_MAX("kvstore.key.size.bytes.max", 1024L * 1024, 0L, Integer.MAX_VALUE - 64L,
      "Largest key in bytes. Keys are held in memory by writers, in the manifest and in the"
          + " sparse index, so they are bounded; values are bounded only by the partition size."),
  /** Hash index load factor. */
  INDEX_LOAD_FACTOR("kvstore.index.load.factor", 0.75d, 0.1d, 0.95d,
      "Fraction of hash index slots in use, between 0.1 and 0.95. Lower spends more memory"
          + " (8 bytes a slot) for fewer probes."),
  /** Sparse index interval. */
  INDEX_BLOCK_SIZE("kvstore.index.block.bytes", 64L * 1024, 1L, Long.MAX_VALUE,
      "Bytes of records between two entries of the sparse key index that positions range scans."),
  /** Hash index chunk size. */
  INDEX_CHUNK_BYTES("kvstore.index.chunk.bytes", 256L, 8L, 1L << 27,
      "Bytes of hash index slots covered by one CRC32C, a power of two from 8 to 2^27. A reader"
          + " of a memory-mapped index verifies a chunk the first time a lookup touches it, so"
          + " opening reads none of the index (its chunk checksums are read from the map too)."
          + " Small chunks make those first touches cheap (a first touch reads its whole chunk):"
          + " 256 bytes is four cache lines and costs 1.6% of the index in checksums."),
  /** Hash seed. */
  HASH_SEED("kvstore.hash.seed", 0x6B7673746F726531L,
      "Seed of the 64-bit key hash of the partition index; recorded in every file."),
  /** Writer buffer. */
  WRITE_BUFFER_SIZE("kvstore.write.buffer.bytes", 4L * 1024 * 1024, 1L, (long) Integer.MAX_VALUE,
      "Bytes a partition writer buffers before writing to the filesystem stream; it writes whole"
          + " buffers at multiples of this size. 2 MB or more (a multiple of 2 MB) lets Linux cache"
          + " local partition files in 2 MB pages, on which memory-mapped lookups are faster."),
  /** Scan buffer. */
  READ_BUFFER_SIZE("kvstore.read.buffer.bytes", 1024L * 1024, 1L, (long) Integer.MAX_VALUE,
      "Bytes a sequential scan (iterator, input format) reads from the filesystem at once."),
  /** Lookup read size. */
  LOOKUP_READ_BYTES("kvstore.read.lookup.bytes", 64L * 1024, 1L, (long) Integer.MAX_VALUE,
      "Most bytes a lookup reads in its one positional read on a non-local filesystem; a record"
          + " larger than this, or than the partition's largest record, takes a second read."),
  /** Memory mapping. */
  READ_MMAP("kvstore.read.mmap", true,
      "Read records of partitions on the local filesystem through a memory map."),
  /** Memory-mapped hash index. */
  READ_MMAP_INDEX("kvstore.read.mmap.index", true,
      "When records are memory-mapped, use the hash index of a partition of format version 3"
          + " from the map too, each chunk verified on first touch (opening reads no slot);"
          + " false reads and checks the whole index into heap at open (8 bytes a slot)."),
  /** Memory map chunk size. */
  READ_MMAP_CHUNK_BYTES("kvstore.read.mmap.chunk.bytes", 1L << 30, 1L,
      (long) Integer.MAX_VALUE,
      "Bytes of a partition's data section one memory map covers, between 1 and 2^31 - 1"
          + " (a hash index is mapped in powers of two up to 1 GB within this)."
          + " Consecutive maps overlap by the partition's largest record so that each record lies"
          + " whole in one; a partition whose largest record plus this exceeds 2^31 - 1 is read"
          + " with positional reads. A partition file no larger than this whose hash index is"
          + " mapped too is mapped whole, in one map that records and index share."),
  /** Memory map bound. */
  READ_MMAP_MAX_MAPS("kvstore.read.mmap.max.maps", 8192L, 0L, Long.MAX_VALUE,
      "Most memory maps one open reader holds (a partition takes one if its file fits a chunk,"
          + " else one per chunk of data plus its index's); partitions past"
          + " the bound are read with positional reads. All readers of a JVM together also hold at"
          + " most half of the kernel's vm.max_map_count (65530 by default), so many readers of"
          + " stores with thousands of partitions never exhaust it."),
  /** Open stream bound. */
  READ_OPEN_FILES_MAX("kvstore.read.open.files.max", 128L, 1L, (long) Integer.MAX_VALUE,
      "Most idle streams one open reader keeps for positional reads, shared by all its"
          + " partitions; the least recently used is closed when another is needed. Reads in"
          + " flight each hold one, so more may be open while more reads than this run at once."
          + " Not applied on HDFS, whose streams hold no descriptor between reads and cost a"
          + " NameNode call to reopen: there each partition keeps its stream."),
  /** Parallel record reads of a multi-get. */
  READ_LOOKUP_PARALLELISM("kvstore.read.lookup.parallelism", 16L, 1L, 1024L,
      "Most positional record reads one multi-get (getAll) of a reader runs at once on a"
          + " non-local filesystem such as HDFS, between 1 and 1024; the calling thread is one of"
          + " them and the others come from a pool the reader shares among its callers. 1 reads"
          + " one record after another in the calling thread. Memory-mapped partitions need no"
          + " threads: their records are interleaved in the calling thread."),
  /** Coalesced reads of a multi-get. */
  READ_LOOKUP_COALESCE_BYTES("kvstore.read.lookup.coalesce.bytes", 64L * 1024, 0L,
      (long) Integer.MAX_VALUE,
      "Most bytes one positional read of a multi-get (getAll) may span to fetch several of its"
          + " records that lie close together in one partition file and one filesystem block,"
          + " instead of one read each; 0 reads every record by itself. On HDFS a read's cost is"
          + " mostly per read, not per byte: measured on a MiniDFSCluster, a 64 KB read took"
          + " about the CPU time of a 130-byte one (330 us, client and DataNode)."),
  /** Parallel partition opening. */
  READ_OPEN_PARALLELISM("kvstore.read.open.parallelism", 8L, 1L, 1024L,
      "Most partitions an opening reader loads at once (footer, sparse index, hash index), between"
          + " 1 and 1024; 1 opens them one after another in the calling thread."),
  /** When opening turns parallel. */
  READ_OPEN_PARALLEL_AFTER_MICROS("kvstore.read.open.parallel.after.micros", 2000L, 0L,
      60_000_000L,
      "Microseconds an opening reader opens partitions alone in the calling thread before up to"
          + " kvstore.read.open.parallelism - 1 helper threads join it. Memory-mapped format-3"
          + " partitions open in tens of microseconds, less than starting a thread; heap indexes"
          + " and remote reads take milliseconds each. 0 starts the helpers at once."),
  /** Spark point queries answered on the driver. */
  SPARK_DRIVER_LOOKUP_KEYS("kvstore.spark.driver.lookup.keys", 1000L, 0L, 1_000_000L,
      "Most keys a Spark read of a store filtered only by key = x or key IN (...) looks up on"
          + " the driver, with one multi-get and no Spark job; a query with more keys is looked"
          + " up by executor tasks. 0 always uses tasks."),
  /** How a Spark write distributes its rows. */
  SPARK_WRITE_DISTRIBUTION("kvstore.spark.write.distribution", "hash",
      "How a Spark write of a store distributes rows to its tasks: hash (Spark's hash"
          + " partitioning on the key, recorded as the store's bucket routing, so a lookup reads"
          + " one partition) or range (a range partitioning on the key, which first samples the"
          + " input; partitions hold disjoint key ranges). The write option 'distribution'"
          + " overrides it."),
  /** Checksum verification. */
  VERIFY_CHECKSUMS("kvstore.read.verify.checksums", true,
      "Check every record's CRC32C when it is read by a lookup or a scan."),
  /** Partitioner seed. */
  COMPRESSION_CODEC("kvstore.compression.codec", "zstd",
      "How partition writers compress values: none, lz4, or zstd (with a dictionary trained per"
          + " partition file). Each value is compressed on its own, so a lookup still reads one"
          + " record and decompresses only its value; a value that does not shrink is stored raw."
          + " Readers read every codec whatever this says."),
  COMPRESSION_LEVEL("kvstore.compression.level", -2L, -(1L << 17), 22L,
      "zstd compression level, -131072 (fastest) to 22 (smallest), 0 meaning zstd's default (3);"
          + " lz4 and none ignore it. The"
          + " default -2, one of zstd's fast levels, decodes a 200-byte text value about a fifth"
          + " faster than level 1 for stores about a fifth larger; levels above 1 shrink stores by"
          + " about 1% and slow builds (docs/benchmarks.md, workload 8)."),
  COMPRESSION_DICTIONARY_BYTES("kvstore.compression.dictionary.bytes", 16L * 1024, 0L,
      1L << 24,
      "Most bytes of the zstd dictionary trained for each partition file and stored in it; also"
          + " at most a 16th of kvstore.partition.size.bytes.max. Below 256 (zstd's smallest),"
          + " values are compressed without a dictionary."),
  COMPRESSION_SAMPLE_BYTES("kvstore.compression.dictionary.sample.bytes", 256L * 1024, 1L,
      1L << 30,
      "Bytes of values of a partition's first pairs that a writer holds in memory to train the"
          + " zstd dictionary on before writing them."),
  PARTITIONER_SEED("kvstore.partitioner.seed", 0L,
      "Seed of the key hash by which KeyValuePartitioner (both MapReduce APIs) assigns keys to"
          + " reducers; recorded in the manifest of a store its job builds."),
  /** Degraded reads. */
  READ_DEGRADED("kvstore.read.degraded", false,
      "Open a store even if some partitions cannot be opened (damaged, truncated, missing):"
          + " lookups and scans that could need such a partition throw CorruptStoreException"
          + " naming it, never a null for it; every other key is served. Off by default, so a"
          + " damaged store fails at open."),
  /** Raw tab-separated input. */
  TSV_RAW("kvstore.tsv.raw", false,
      "Take tab-separated input (kvstore create, the build job) as raw bytes: no escapes are"
          + " decoded. By default keys and values are UTF-8 with \\\\ and \\xHH escapes,"
          + " the form scan and export print."),
  /** Job output table. */
  OUTPUT_TABLE("kvstore.output.table", "",
      "Table that a job's output store is published to, as its next current version, at job"
          + " commit (KeyValueOutputFormat.setOutputTable); empty for a plain store."),
  /** Table retention. */
  TABLE_VERSIONS_RETAINED("kvstore.table.versions.retained", 2L, 1L, Long.MAX_VALUE,
      "Versions of a table that deleting old versions keeps: the current version and the newest"
          + " others up to this many in all. The current version is never deleted."),
  /** Table polling. */
  TABLE_POLL_INTERVAL_MS("kvstore.table.poll.interval.ms", 10_000L, 0L, Long.MAX_VALUE,
      "Milliseconds between two checks of a table's pointer by a reader that follows the"
          + " table; 0 checks only when refresh() is called."),
  /** Table verification. */
  TABLE_VERIFY_CHECKSUMS("kvstore.table.verify.checksums", true,
      "Before a table reader switches to a new version, check the CRC32C of every partition"
          + " file against the manifest (a local copy always checks them while copying)."),
  /** Local copy directory. */
  LOCAL_COPY_DIR("kvstore.read.local.dir", "",
      "Local directory where readers copy the partition files of stores on remote filesystems"
          + " (HDFS, object stores) and serve them from memory maps; empty reads them in place."),
  /** Local copies of local stores. */
  LOCAL_COPY_ALL("kvstore.read.local.copy.all", false,
      "Copy stores to the local directory even when they are on the local filesystem (a network"
          + " mount seen as a local path)."),
  /** Local copy disk bound. */
  LOCAL_COPY_MAX_BYTES("kvstore.read.local.max.bytes", 0L, 0L, Long.MAX_VALUE,
      "Most bytes the local copies of one reader may hold at once (a table reader holds two"
          + " versions during a switch); 0 bounds them only by the disk's free space."),
  /** Local copy throughput. */
  LOCAL_COPY_BYTES_PER_SECOND("kvstore.read.local.copy.bytes.per.second", 0L, 0L,
      Long.MAX_VALUE,
      "Most bytes per second a local copy reads from the remote filesystem; 0 for no limit.");

  private final String key;
  private final Object defaultValue;
  private final String description;
  private final Number min;
  private final Number max;

  /** A setting every value of its type is allowed for (booleans, seeds). */
  KeyValueConf(String key, Object defaultValue, String description) {
    this(key, defaultValue, null, null, description);
  }

  /** A numeric setting allowed in {@code [min, max]}, checked when it is read or set. */
  KeyValueConf(String key, Object defaultValue, Number min, Number max, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.description = description;
  }

  /** The configuration key. */
  public String getKey() {
    return key;
  }

  /** The default value. */
  public Object getDefaultValue() {
    return defaultValue;
  }

  /** What the setting does. */
  public String getDescription() {
    return description;
  }

  /** The smallest allowed value, or null if every value of the type is allowed. */
  public Number getMin() {
    return min;
  }

  /** The largest allowed value, or null if every value of the type is allowed. */
  public Number getMax() {
    return max;
  }

  /**
   * The value as a long, accepting Hadoop size suffixes (k, m, g, t).
   *
   * @throws IllegalArgumentException naming the key, value and range if it is out of range
   */
  public long getLong(Configuration conf) {
    return checkLong(conf.getLongBytes(key, ((Number) defaultValue).longValue()));
  }

  /** The value as an int; fails if it does not fit. */
  public int getInt(Configuration conf) {
    long value = getLong(conf);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " = " + value + " does not fit in an int");
    }
    return (int) value;
  }

  /**
   * The value as a double.
   *
   * @throws IllegalArgumentException naming the key, value and range if it is out of range
   */
  public double getDouble(Configuration conf) {
    return checkDouble(conf.getDouble(key, ((Number) defaultValue).doubleValue()));
  }

  /** The value as a boolean. */
  public boolean getBoolean(Configuration conf) {
    return conf.getBoolean(key, (Boolean) defaultValue);
  }

  /** The value as a string. */
  public String getString(Configuration conf) {
    return conf.get(key, String.valueOf(defaultValue));
  }

  /**
   * Sets a long value.
   *
   * @throws IllegalArgumentException if it is out of range (refused when set, not when read)
   */
  public void setLong(Configuration conf, long value) {
    conf.setLong(key, checkLong(value));
  }

  /**
   * Sets a double value.
   *
   * @throws IllegalArgumentException if it is out of range (refused when set, not when read)
   */
  public void setDouble(Configuration conf, double value) {
    conf.setDouble(key, checkDouble(value));
  }

  /** Sets a boolean value. */
  public void setBoolean(Configuration conf, boolean value) {
    conf.setBoolean(key, value);
  }

  /** Sets a string value. */
  public void setString(Configuration conf, String value) {
    conf.set(key, value);
  }

  /**
   * Returns {@code value} if it is in this setting's range.
   *
   * @throws IllegalArgumentException naming the setting and its range otherwise
   */
  public long checkLong(long value) {
    if (min instanceof Double) {
      checkDouble(value);
    } else if (min != null && (value < min.longValue() || value > max.longValue())) {
      throw outOfRange(value);
    }
    return value;
  }

  private double checkDouble(double value) {
    // Written so that NaN is refused as well.
    if (min != null && !(value >= min.doubleValue() && value <= max.doubleValue())) {
      throw outOfRange(value);
    }
    return value;
  }

  private IllegalArgumentException outOfRange(Object value) {
    return new IllegalArgumentException(key + " = " + value + " must be in [" + min + ", " + max
        + "]");
  }
}
