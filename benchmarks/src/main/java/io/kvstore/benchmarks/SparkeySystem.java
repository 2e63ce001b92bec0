package io.kvstore.benchmarks;

import com.spotify.sparkey.CompressionType;
import com.spotify.sparkey.Sparkey;
import com.spotify.sparkey.SparkeyReader;
import com.spotify.sparkey.SparkeyWriter;
import java.io.File;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Spotify's Sparkey 3.2.5, default hash settings; the log uncompressed, or compressed in blocks
 * (each lookup decompresses its whole block).
 */
public final class SparkeySystem implements BenchSystem {
  /** Name in tables. */
  public static final String NAME = "Sparkey";
  /** Name of Sparkey with Snappy in 4 KB blocks. */
  public static final String SNAPPY_NAME = "Sparkey snappy 4K";
  /** Name of Sparkey with zstd in 4 KB blocks. */
  public static final String ZSTD_NAME = "Sparkey zstd 4K";
  private static final String FILE = "store.spi";

  private final String name;
  private final CompressionType compression;
  private final int blockSize;

  /** Uncompressed. */
  public SparkeySystem() {
    this(NAME, CompressionType.NONE, 0);
  }

  /**
   * @param name name in tables
   * @param compression block codec of the log
   * @param blockSize bytes of a compression block
   */
  public SparkeySystem(String name, CompressionType compression, int blockSize) {
    this.name = name;
    this.compression = compression;
    this.blockSize = blockSize;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean supports(FileSystem fs) {
    return LocalFiles.isLocal(fs);
  }

  @Override
  public void build(DataSet data, FileSystem fs, Path dir) throws IOException {
    File d = LocalFiles.newDirectory(fs, dir);
    byte[] key = new byte[DataSet.KEY_LENGTH];
    byte[] value = new byte[data.valueLength()];
    try (SparkeyWriter writer = Sparkey.createNew(new File(d, FILE), compression,
        blockSize)) {
      // No fsync for any system: every build is measured to the page cache.
      writer.setFsync(false);
      data.forEachPair(key, value, () -> writer.put(key, value));
      writer.writeHash();
    }
  }

  @Override
  public Lookup open(FileSystem fs, Path dir) throws IOException {
    return new SparkeyLookup(Sparkey.open(new File(LocalFiles.toFile(fs, dir), FILE)));
  }

  private static final class SparkeyLookup implements Lookup {
    private final SparkeyReader reader;

    SparkeyLookup(SparkeyReader reader) {
      this.reader = reader;
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
      return reader.getAsByteArray(key);
    }

    @Override
    public Lookup forThread() {
      // A Sparkey reader is single-threaded; duplicate() shares the maps with a new cursor.
      return new SparkeyLookup(reader.duplicate());
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
