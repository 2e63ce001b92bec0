package io.kvstore.benchmarks;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.MapFile;
import org.apache.hadoop.io.SequenceFile;

/**
 * Hadoop's MapFile with BytesWritable keys and values, uncompressed (or as given), default index interval
 * (every 128th key): what a Hadoop user gets without further work. BytesWritable keys of one
 * length sort in unsigned byte order, the order of the data set.
 */
public final class MapFileSystem implements BenchSystem {
  /** Name in tables. */
  public static final String NAME = "MapFile";
  /** Name of the MapFile with SequenceFile's default compression (zlib, per record). */
  public static final String ZLIB_NAME = "MapFile zlib";

  private final Configuration conf;
  private final String name;
  private final SequenceFile.CompressionType compression;

  /** @param conf Hadoop settings */
  public MapFileSystem(Configuration conf) {
    this(conf, NAME, SequenceFile.CompressionType.NONE);
  }

  /**
   * @param name name in tables
   * @param compression SequenceFile compression of the data file (the codec is Hadoop's default,
   *     zlib)
   */
  public MapFileSystem(Configuration conf, String name,
      SequenceFile.CompressionType compression) {
    this.conf = conf;
    this.name = name;
    this.compression = compression;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean supports(FileSystem fs) {
    return true;
  }

  @Override
  public void build(DataSet data, FileSystem fs, Path dir) throws IOException {
    BytesWritable key = new BytesWritable(new byte[DataSet.KEY_LENGTH]);
    BytesWritable value = new BytesWritable(new byte[data.valueLength()]);
    Path qualified = fs.makeQualified(dir);
    try (MapFile.Writer writer = new MapFile.Writer(conf, qualified,
        MapFile.Writer.keyClass(BytesWritable.class),
        MapFile.Writer.valueClass(BytesWritable.class),
        MapFile.Writer.compression(compression))) {
      data.forEachPair(key.getBytes(), value.getBytes(), () -> writer.append(key, value));
    }
  }

  @Override
  public Lookup open(FileSystem fs, Path dir) throws IOException {
    return new MapFileLookup(fs.makeQualified(dir), conf);
  }

  /** Opens a reader for a scan. */
  public MapFile.Reader openReader(FileSystem fs, Path dir) throws IOException {
    return new MapFile.Reader(fs.makeQualified(dir), conf);
  }

  private static final class MapFileLookup implements Lookup {
    private final Path dir;
    private final Configuration conf;
    private final MapFile.Reader reader;
    private final BytesWritable key = new BytesWritable();
    private final BytesWritable value = new BytesWritable();

    MapFileLookup(Path dir, Configuration conf) throws IOException {
      this.dir = dir;
      this.conf = conf;
      this.reader = new MapFile.Reader(dir, conf);
    }

    @Override
    public byte[] get(byte[] k) throws IOException {
      key.set(k, 0, k.length);
      if (reader.get(key, value) == null) {
        return null;
      }
      return value.copyBytes();
    }

    @Override
    public Lookup forThread() throws IOException {
      // MapFile.Reader serialises callers on one stream; a reader per thread is the usual fix.
      return new MapFileLookup(dir, conf);
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
