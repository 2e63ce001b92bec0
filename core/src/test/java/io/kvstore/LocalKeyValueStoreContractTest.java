package io.kvstore;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/** The store contract on the local filesystem (Hadoop's checksummed LocalFileSystem). */
public final class LocalKeyValueStoreContractTest extends AbstractKeyValueStoreContractTest {
  private static final Configuration CONF = new Configuration();

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
