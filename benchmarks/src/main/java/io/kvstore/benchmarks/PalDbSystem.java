package io.kvstore.benchmarks;

import com.linkedin.paldb.api.Configuration;
import com.linkedin.paldb.api.PalDB;
import com.linkedin.paldb.api.StoreReader;
import com.linkedin.paldb.api.StoreWriter;
import java.io.File;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** LinkedIn's PalDB 1.2.0 with its default configuration (memory-mapped data, no cache). */
public final class PalDbSystem implements BenchSystem {
  /** Name in tables. */
  public static final String NAME = "PalDB";
  private static final String FILE = "store.paldb";

  @Override
  public String name() {
    return NAME;
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
    StoreWriter writer = PalDB.createWriter(new File(d, FILE), PalDB.newConfiguration());
    // put(Object, Object) serialises the arrays at once, so the buffers can be reused.
    data.forEachPair(key, value, () -> writer.put((Object) key, (Object) value));
    writer.close();
  }

  @Override
  public Lookup open(FileSystem fs, Path dir) {
    return new PalDbLookup(new File(LocalFiles.toFile(fs, dir), FILE));
  }

  private static final class PalDbLookup implements Lookup {
    private final File file;
    private final StoreReader reader;

    PalDbLookup(File file) {
      this.file = file;
      Configuration c = PalDB.newConfiguration();
      this.reader = PalDB.createReader(file, c);
    }

    @Override
    public byte[] get(byte[] key) {
      return reader.get((Object) key);
    }

    @Override
    public Lookup forThread() {
      // PalDB's reader is not thread-safe: its documentation asks for one per thread.
      return new PalDbLookup(file);
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
