package io.kvstore;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * The store contract on the local filesystem without memory maps: lookups take the positional
 * read path that HDFS uses, so its thread safety and bounds are tested without a cluster.
 */
public final class LocalPositionalReadContractTest extends AbstractKeyValueStoreContractTest {
  private static final Configuration CONF = new Configuration();

  static {
    KeyValueConf.READ_MMAP.setBoolean(CONF, false);
    // Small lookup reads so that records larger than one read take the second-read path.
    KeyValueConf.LOOKUP_READ_BYTES.setLong(CONF, 64);
  }

  /** Stores of one test, removed afterwards. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  @Override
  protected Configuration baseConf() {
    return CONF;
  }

  @Override
  protected Path newTestDir() throws IOException {
    return new Path(tmp.newFolder().toURI());
  }
}
