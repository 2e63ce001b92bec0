package io.kvstore.spark;

import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueSystem;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store readers of one executor JVM: one open reader per store, shared by all the tasks the
 * executor runs (a reader is thread-safe and its open files and index memory are the costly
 * part), closed when the JVM ends. A store is identified by its path and its manifest's
 * creation time and size, so a store replaced at the same path (mode overwrite) gets a new
 * reader instead of the old one's answers.
 */
final class ExecutorStores {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorStores.class);
  private static final Map<String, KeyValueStoreReader> READERS = new ConcurrentHashMap<>();
  /**
   * Store partitions opened by scans in this JVM (range scans open their file; point lookups
   * count one per input partition), so a test can check that pruning opened only what it
   * should. Only ever increases.
   */
  static final AtomicLong PARTITIONS_OPENED = new AtomicLong();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorStores::closeAll,
        "kvstore-executor-stores-close"));
  }

  private ExecutorStores() {}

  /** The identity of the store {@code manifest} describes, as given to {@link #reader}. */
  static String token(StoreManifest manifest) {
    return manifest.getCreatedMillis() + "-" + manifest.getKeyCount() + "-"
        + manifest.getSizeBytes();
  }

  /**
   * The executor's reader of {@code store}, opened on first use.
   *
   * @param token the identity of the store the driver planned against ({@link #token})
   * @throws IOException if the store cannot be opened, or is no longer the one planned against
   */
  static KeyValueStoreReader reader(Configuration conf, String store, String token)
      throws IOException {
    String id = store + "#" + token;
    KeyValueStoreReader reader = READERS.get(id);
    if (reader != null) {
      return reader;
    }
    synchronized (READERS) {
      reader = READERS.get(id);
      if (reader == null) {
        Path path = new Path(store);
        String found = token(StoreManifest.read(FileOperations.forPath(path, conf), path));
        if (!found.equals(token)) {
          throw new IOException("kvstore: the store at " + store + " was replaced after the job"
              + " was planned (manifest " + found + ", planned " + token + "); run the job again");
        }
        reader = KeyValueSystem.Factory.create(conf).openStore(path);
        READERS.put(id, reader);
        LOG.info("Opened store {} for this executor ({} pairs)", store, reader.size());
      }
    }
    return reader;
  }

  private static void closeAll() {
    List<KeyValueStoreReader> open;
    synchronized (READERS) {
      open = new ArrayList<>(READERS.values());
      READERS.clear();
    }
    for (KeyValueStoreReader r : open) {
      try {
        r.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Closing a store reader at executor exit failed", e);
      }
    }
  }
}
