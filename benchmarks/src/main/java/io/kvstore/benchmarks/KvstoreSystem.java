package io.kvstore.benchmarks;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** This project's store, through its public client API. */
public final class KvstoreSystem implements BenchSystem {
  /** Name in tables. */
  public static final String NAME = "kvstore";

  private final Configuration conf;
  private final String name;
  /** The system of {@link #systemFs}, made once as a service makes it; see {@link #system}. */
  private KeyValueSystem system;
  private FileSystem systemFs;

  /** @param conf kvstore settings (partition size etc.) on top of the filesystem's */
  public KvstoreSystem(Configuration conf) {
    this(conf, NAME);
  }

  /**
   * @param conf kvstore settings (e.g. the compression codec)
   * @param name name in tables
   */
  public KvstoreSystem(Configuration conf, String name) {
    this.conf = conf;
    this.name = name;
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
    byte[] key = new byte[DataSet.KEY_LENGTH];
    byte[] value = new byte[data.valueLength()];
    KeyValueStoreWriter writer = system(fs).createStore(fs.makeQualified(dir));
    boolean done = false;
    try {
      data.forEachPair(key, value, () -> writer.put(key, value));
      writer.close();
      done = true;
    } finally {
      if (!done) {
        writer.cancel();
      }
    }
  }

  @Override
  public Lookup open(FileSystem fs, Path dir) throws IOException {
    return new ReaderLookup(system(fs).openStore(fs.makeQualified(dir)));
  }

  /** Opens the store's reader itself, for scans. */
  public KeyValueStoreReader openReader(FileSystem fs, Path dir) throws IOException {
    return system(fs).openStore(fs.makeQualified(dir));
  }

  /**
   * The system on {@code fs}, made on first use and kept: a service makes its
   * {@link KeyValueSystem} (and the configuration copy it takes) once, so the open times measured
   * here are of {@code openStore} alone.
   */
  private synchronized KeyValueSystem system(FileSystem fs) {
    if (system == null || systemFs != fs) {
      system = KeyValueSystem.Factory.create(withFs(fs));
      systemFs = fs;
    }
    return system;
  }

  private Configuration withFs(FileSystem fs) {
    Configuration c = new Configuration(conf);
    c.set(FileSystem.FS_DEFAULT_NAME_KEY, fs.getUri().toString());
    return c;
  }

  private static final class ReaderLookup implements Lookup {
    private final KeyValueStoreReader reader;

    ReaderLookup(KeyValueStoreReader reader) {
      this.reader = reader;
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
      return reader.get(key);
    }

    @Override
    public byte[][] getAll(byte[][] keys) throws IOException {
      return reader.getAll(keys);
    }

    @Override
    public int getInto(byte[] key, byte[] dest) throws IOException {
      return reader.get(key, dest, 0);
    }

    @Override
    public Lookup forThread() {
      // The reader is thread-safe: every thread shares it, as an application would.
      return this;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
