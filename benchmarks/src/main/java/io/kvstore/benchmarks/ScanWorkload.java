package io.kvstore.benchmarks;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.format.PartitionScanner;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.MapFile;

/**
 * Workload 4: a full scan in key order of the kvstore built by {@link BuildWorkload}, through the
 * reader's iterator and through {@link PartitionScanner} (the record reader of the input format),
 * against a raw sequential read of the same partition files; MapFile's own scan for context.
 */
final class ScanWorkload {
  static final String ITERATOR = "reader.iterator()";
  static final String SCANNER = "PartitionScanner";

  private ScanWorkload() {}

  static void run(DataSet data, Configuration conf, FileSystem fs, Path root, int reps,
      Report report) throws Exception {
    KvstoreSystem kv = new KvstoreSystem(conf);
    MapFileSystem mapFile = new MapFileSystem(conf);
    Path kvDir = new Path(root, KvstoreSystem.NAME);
    Path mapDir = new Path(root, MapFileSystem.NAME);
    List<Path> files = new ArrayList<>();
    try (KeyValueStoreReader reader = kv.openReader(fs, kvDir)) {
      for (PartitionInfo p : reader.partitions()) {
        files.add(p.getPath());
      }
    }
    double mb = data.payloadBytes() / 1e6;
    double[] raw = new double[reps];
    double[] iter = new double[reps];
    double[] scanner = new double[reps];
    double[] map = new double[reps];
    // Untimed passes: every file in the page cache and every path compiled before the figures.
    for (int w = 0; w < 2; w++) {
      RawReference.readSequentially(fs, files);
      try (KeyValueStoreReader reader = kv.openReader(fs, kvDir)) {
        expect(data, iterate(reader));
      }
      expect(data, scan(fs, files, conf));
      expect(data, scanMapFile(mapFile, fs, mapDir));
    }
    for (int r = 0; r < reps; r++) {
      raw[r] = mb / Timer.seconds(() -> RawReference.readSequentially(fs, files));
      try (KeyValueStoreReader reader = kv.openReader(fs, kvDir)) {
        // Opening loads the lookup indexes, which a scan does not use: not timed.
        iter[r] = mb / Timer.seconds(() -> expect(data, iterate(reader)));
      }
      scanner[r] = mb / Timer.seconds(() -> expect(data, scan(fs, files, conf)));
      map[r] = mb / Timer.seconds(() -> expect(data, scanMapFile(mapFile, fs, mapDir)));
    }
    String d = data.label();
    report.add(new Measurement(Workload.SCAN, d, ITERATOR, KvstoreSystem.NAME, iter));
    report.add(new Measurement(Workload.SCAN, d, SCANNER, KvstoreSystem.NAME, scanner));
    report.add(new Measurement(Workload.SCAN, d, "", MapFileSystem.NAME, map));
    report.add(new Measurement(Workload.SCAN, d, "", Workload.SCAN.reference(), raw));
  }

  private static void expect(DataSet data, long pairs) {
    if (pairs != data.keyCount()) {
      throw new IllegalStateException("scan saw " + pairs + " pairs, expected "
          + data.keyCount());
    }
  }

  static long iterate(KeyValueStoreReader reader) throws IOException {
    long n = 0;
    long bytes = 0;
    try (KeyValueIterator it = reader.iterator()) {
      while (it.hasNext()) {
        bytes += it.next().getValue().length;
        n++;
      }
    }
    return bytes >= 0 ? n : -1;
  }

  static long scan(FileSystem fs, List<Path> files, Configuration conf) throws IOException {
    long n = 0;
    long bytes = 0;
    for (Path file : files) {
      try (PartitionScanner s = PartitionScanner.open(FileOperations.of(fs), file, conf)) {
        while (s.next()) {
          bytes += s.keyLength() + s.valueLength();
          n++;
        }
      }
    }
    return bytes >= 0 ? n : -1;
  }

  static long scanMapFile(MapFileSystem mapFile, FileSystem fs, Path dir) throws IOException {
    BytesWritable key = new BytesWritable();
    BytesWritable value = new BytesWritable();
    long n = 0;
    try (MapFile.Reader reader = mapFile.openReader(fs, dir)) {
      while (reader.next(key, value)) {
        n++;
      }
    }
    return n;
  }
}
