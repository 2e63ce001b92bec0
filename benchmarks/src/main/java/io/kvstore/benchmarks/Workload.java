package io.kvstore.benchmarks;

/** The workloads of issue 5, with their unit and whether more is better. */
public enum Workload {
  /** Build from sorted pairs on the local filesystem. */
  BUILD("1. Build from sorted pairs, local FS", "MB/s of pairs", true, "raw write"),
  /** Lookups of present keys, page cache warm. */
  LOOKUP_PRESENT("2. Lookups of present keys, local FS, page cache warm", "lookups per CPU-second", true, null),
  /** Lookups of absent keys. */
  LOOKUP_ABSENT("3. Lookups of absent keys, local FS", "lookups per CPU-second", true, null),
  /** Full scan in key order. */
  SCAN("4. Full scan in key order, local FS", "MB/s of pairs", true, "raw sequential read"),
  /** Lookups on MiniDFSCluster. */
  HDFS_LOOKUP("5. Lookups of present keys on MiniDFSCluster", "lookups/s", true, "raw pread"),
  /** CloneStoreMapReduce against an identity job. */
  MAPREDUCE("6. Copy job, local job runner", "seconds", false, "identity SequenceFile job"),
  /** Heap held by an open reader. */
  MEMORY("7. Heap held by an open reader", "bytes per key", false, null),
  /** Heap per partition. */
  MEMORY_PARTITION("7b. Heap held by an open kvstore reader per partition", "bytes per partition",
      false, null),
  /** Bytes on disk of compressed stores. */
  COMPRESSION_BYTES("8a. Compression: bytes on disk", "MB", false, "pairs"),
  /** Build rate of compressed stores. */
  COMPRESSION_BUILD("8b. Compression: build from sorted pairs, local FS",
      "MB of pairs per CPU-second", true, null),
  /** One-thread lookups of present keys in compressed stores. */
  COMPRESSION_LOOKUP("8c. Compression: lookups of present keys, 1 thread, page cache warm",
      "lookups per CPU-second", true, null),
  /** Scan through the input format's record reader. */
  COMPRESSION_SCAN("8d. Compression: scan through KeyValueInputFormat's reader (PartitionScanner)",
      "MB of pairs per CPU-second", true, null);

  private final String title;
  private final String unit;
  private final boolean higherIsBetter;
  private final String reference;

  Workload(String title, String unit, boolean higherIsBetter, String reference) {
    this.title = title;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
    this.reference = reference;
  }

  /** Heading of the workload's table. */
  public String title() {
    return title;
  }

  /** Unit of the figures. */
  public String unit() {
    return unit;
  }

  /** Whether a larger figure is better. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Name of the physical reference line, or null if the workload has none. */
  public String reference() {
    return reference;
  }
}
