package io.kvstore.impl;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** PLACEHOLDER until the implementation lands (minutes away). */
public final class HadoopKeyValueSystem implements KeyValueSystem {
  private final Configuration conf;

  public HadoopKeyValueSystem(Configuration conf) {
    this.conf = conf;
  }

  @Override public KeyValueStoreWriter createStore(URI uri) throws IOException { return createStore(new Path(uri)); }
  @Override public KeyValueStoreWriter createStore(Path path) throws IOException { throw new IOException("not yet"); }
  @Override public KeyValueStoreReader openStore(URI uri) throws IOException { return openStore(new Path(uri)); }
  @Override public KeyValueStoreReader openStore(Path path) throws IOException { throw new IOException("not yet"); }
  @Override public void deleteStore(URI uri) throws IOException { deleteStore(new Path(uri)); }
  @Override public void deleteStore(Path path) throws IOException { throw new IOException("not yet"); }
  @Override public void renameStore(URI a, URI b) throws IOException { renameStore(new Path(a), new Path(b)); }
  @Override public void renameStore(Path a, Path b) throws IOException { throw new IOException("not yet"); }
  @Override public void mergeStore(URI a, URI b) throws IOException { mergeStore(new Path(a), new Path(b)); }
  @Override public void mergeStore(Path a, Path b) throws IOException { throw new IOException("not yet"); }
}
