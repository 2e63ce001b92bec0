package io.kvstore.benchmarks;

import com.spotify.sparkey.CompressionType;
import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionDetails;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.SequenceFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload 8 (issue 10): compressed stores side by side in one run. kvstore with each codec
 * (zstd with a trained dictionary is its default), Sparkey uncompressed and with Snappy and zstd
 * in 4 KB blocks, and MapFile with SequenceFile's default record compression (zlib). For each data
 * set: bytes on disk, build rate, one-thread lookups of present keys (page cache warm) and, for
 * kvstore, the scan through the input format's record reader. Every figure is repeated
 * {@code reps} times, systems taking turns within a repetition. Rates are per CPU-second of the
 * one thread that builds, looks up or scans ({@link CpuRate}; every system here works on the
 * calling thread), so that a shared machine measures the systems and not its scheduler.
 */
final class CompressionWorkload {
  private static final Logger LOG = LoggerFactory.getLogger(CompressionWorkload.class);
  /** kvstore uncompressed. */
  static final String KV_NONE = "kvstore none";
  /** kvstore with lz4. */
  static final String KV_LZ4 = "kvstore lz4";
  /** Sparkey's compression block. */
  static final int SPARKEY_BLOCK = 4096;
  /** Present keys looked up per sequence (a power of two). */
  private static final int SEQUENCE = 1 << 20;

  private CompressionWorkload() {}

  /** The systems compared; kvstore (zstd, its default) first. */
  static List<BenchSystem> systems(Configuration base) {
    List<BenchSystem> out = new ArrayList<>();
    out.add(new KvstoreSystem(codec(base, "zstd"), KvstoreSystem.NAME));
    out.add(new KvstoreSystem(codec(base, "lz4"), KV_LZ4));
    out.add(new KvstoreSystem(codec(base, "none"), KV_NONE));
    out.add(new SparkeySystem());
    out.add(new SparkeySystem(SparkeySystem.SNAPPY_NAME, CompressionType.SNAPPY, SPARKEY_BLOCK));
    out.add(new SparkeySystem(SparkeySystem.ZSTD_NAME, CompressionType.ZSTD, SPARKEY_BLOCK));
    out.add(new MapFileSystem(base, MapFileSystem.ZLIB_NAME, SequenceFile.CompressionType.RECORD));
    return out;
  }

  private static Configuration codec(Configuration base, String codec) {
    Configuration c = new Configuration(base);
    KeyValueConf.COMPRESSION_CODEC.setString(c, codec);
    return c;
  }

  static void run(DataSet data, Configuration base, FileSystem fs, Path root, int reps,
      double seconds, Report report) throws Exception {
    List<BenchSystem> systems = systems(base);
    String d = data.label();
    double mb = data.payloadBytes() / 1e6;
    int n = systems.size();
    double[][] build = new double[n][reps];
    for (int r = 0; r < reps; r++) {
      for (int s = 0; s < n; s++) {
        Path dir = new Path(root, systems.get(s).name().replace(' ', '-'));
        fs.delete(dir, true);
        BenchSystem system = systems.get(s);
        build[s][r] = mb / Timer.cpuSeconds(() -> system.build(data, fs, dir));
        LOG.info("compression build {} {}: {} MB per CPU-s", d, system.name(), build[s][r]);
      }
    }
    report.add(new Measurement(Workload.COMPRESSION_BYTES, d, "", "pairs", new double[] {mb}));
    for (int s = 0; s < n; s++) {
      BenchSystem system = systems.get(s);
      Path dir = new Path(root, system.name().replace(' ', '-'));
      Verifier.verify(data, system, fs, dir, 10_000);
      report.add(new Measurement(Workload.COMPRESSION_BUILD, d, "", system.name(), build[s]));
      report.add(new Measurement(Workload.COMPRESSION_BYTES, d, "", system.name(),
          new double[] {bytesOnDisk(fs, dir) / 1e6}));
    }
    logDictionaries(data, base, fs, new Path(root, KvstoreSystem.NAME));

    long[] words = data.lookupOrder(SEQUENCE, data.seed() + 1);
    double[][] lookups = new double[n][reps];
    Lookup[] open = new Lookup[n];
    try {
      for (int s = 0; s < n; s++) {
        open[s] = systems.get(s).open(fs, new Path(root, systems.get(s).name().replace(' ', '-')));
        // Untimed: pages in, code compiled.
        CpuRate.measure(open[s], CpuRate.Method.GET, words, 0, data.valueLength(), seconds);
      }
      for (int r = 0; r < reps; r++) {
        for (int s = 0; s < n; s++) {
          lookups[s][r] = CpuRate.measure(open[s], CpuRate.Method.GET, words,
              (r + 1) * (SEQUENCE / (reps + 1)), data.valueLength(), seconds);
          LOG.info("compression lookups {} {}: {} per CPU-s", d, systems.get(s).name(),
              lookups[s][r]);
        }
      }
    } finally {
      for (Lookup l : open) {
        if (l != null) {
          l.close();
        }
      }
    }
    for (int s = 0; s < n; s++) {
      report.add(new Measurement(Workload.COMPRESSION_LOOKUP, d, "", systems.get(s).name(),
          lookups[s]));
    }

    List<BenchSystem> kvstores = systems.subList(0, 3);
    double[][] scans = new double[kvstores.size()][reps];
    List<List<Path>> files = new ArrayList<>();
    for (BenchSystem s : kvstores) {
      files.add(partitionFiles((KvstoreSystem) s, fs, new Path(root, s.name().replace(' ', '-'))));
      ScanWorkload.scan(fs, files.get(files.size() - 1), base);
    }
    for (int r = 0; r < reps; r++) {
      for (int s = 0; s < kvstores.size(); s++) {
        List<Path> f = files.get(s);
        scans[s][r] = mb / Timer.cpuSeconds(() -> {
          if (ScanWorkload.scan(fs, f, base) != data.keyCount()) {
            throw new IllegalStateException("scan lost pairs");
          }
        });
      }
    }
    for (int s = 0; s < kvstores.size(); s++) {
      report.add(new Measurement(Workload.COMPRESSION_SCAN, d, "", kvstores.get(s).name(),
          scans[s]));
    }
  }

  /** Bytes of a store's files, without Hadoop's .crc side files (checksums of the local FS). */
  static long bytesOnDisk(FileSystem fs, Path dir) throws IOException {
    long total = 0;
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.isFile() && !st.getPath().getName().endsWith(".crc")) {
        total += st.getLen();
      } else if (st.isDirectory()) {
        total += bytesOnDisk(fs, st.getPath());
      }
    }
    return total;
  }

  private static List<Path> partitionFiles(KvstoreSystem kv, FileSystem fs, Path dir)
      throws IOException {
    List<Path> files = new ArrayList<>();
    try (KeyValueStoreReader reader = kv.openReader(fs, dir)) {
      for (PartitionInfo p : reader.partitions()) {
        files.add(p.getPath());
      }
    }
    return files;
  }

  /** Logs the dictionaries kvstore chose (for the README's closing note). */
  private static void logDictionaries(DataSet data, Configuration base, FileSystem fs, Path dir)
      throws IOException {
    for (Path file : partitionFiles(new KvstoreSystem(base), fs, dir)) {
      PartitionDetails p = PartitionDetails.read(FileOperations.of(fs), file);
      LOG.info("{} {}: codec {}, dictionary {} bytes, {} pair bytes in {} record bytes"
          + " (ratio {})", data.label(), file.getName(), p.codec().settingName(),
          p.dictionaryBytes(), p.pairBytes(), p.dataBytes(),
          String.format("%.2f", p.pairBytes() / (double) p.dataBytes()));
    }
  }
}
