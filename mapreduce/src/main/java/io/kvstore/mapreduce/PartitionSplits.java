package io.kvstore.mapreduce;

import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.format.TableOperations;
import io.kvstore.fs.FileOperations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the input splits of a set of stores for both MapReduce APIs: one split per partition
 * file named by each store's manifest. Directories are never listed, so a stray or half-written
 * file in a store directory can never become input.
 */
public final class PartitionSplits {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionSplits.class);
  private static final String[] NO_HOSTS = new String[0];

  /** One partition file to read: where it is, how long it is and which hosts hold it. */
  static final class Split {
    private final Path path;
    private final long length;
    private final String[] hosts;

    Split(Path path, long length, String[] hosts) {
      this.path = path;
      this.length = length;
      this.hosts = hosts;
    }

    Path path() {
      return path;
    }

    long length() {
      return length;
    }

    String[] hosts() {
      return hosts.clone();
    }
  }

  private PartitionSplits() {}

  /**
   * The splits of every store in {@code stores}, store by store, partitions in manifest order.
   * A store named twice is read once.
   *
   * @throws io.kvstore.StoreNotFoundException if a path does not exist
   * @throws io.kvstore.IncompleteStoreException if a path holds a store still being written
   * @throws io.kvstore.NotAStoreException if a path holds something else
   * @throws io.kvstore.CorruptStoreException if a manifest is damaged
   */
  static List<Split> of(Configuration conf, Path[] stores) throws IOException {
    if (stores.length == 0) {
      throw new IllegalArgumentException("No input store given: call"
          + " FileInputFormat.setInputPaths with at least one store");
    }
    Set<Path> seen = new LinkedHashSet<>();
    List<Split> splits = new ArrayList<>();
    for (Path store : stores) {
      FileOperations ops = FileOperations.forPath(store, conf);
      // A table is read as its current version, fixed here for the whole job.
      Path dir = new TableOperations(ops, conf).storeDir(ops.makeQualified(store));
      if (!seen.add(dir)) {
        continue;
      }
      StoreLayout.requireComplete(ops, dir);
      StoreManifest manifest = StoreManifest.read(ops, dir);
      for (PartitionInfo partition : manifest.getPartitions()) {
        Path file = new Path(dir, partition.getFileName());
        long length = partition.getSizeBytes();
        BlockLocation[] blocks;
        try {
          blocks = ops.getFileBlockLocations(file, 0, length);
        } catch (FileNotFoundException e) {
          throw new CorruptStoreException(file, "partition listed in the manifest of " + dir
              + " is missing", e);
        }
        splits.add(new Split(file, length, hostsHoldingMost(blocks, length)));
      }
      LOG.info("Store {}: {} partitions, {} pairs, {} bytes", dir,
          manifest.getPartitions().size(), manifest.getKeyCount(), manifest.getSizeBytes());
    }
    return splits;
  }

  /**
   * The hosts that hold the most bytes of {@code [0, length)}, most first (ties by name, so the
   * answer is stable), as many as the most replicas any one block has. For a file of one block
   * these are exactly that block's hosts; for a file of many, the hosts a task reads least
   * remotely from. Public for the Spark reader's preferred locations.
   *
   * @param blocks the file's block locations
   * @param length the bytes of the file that are read
   * @return the hosts, most bytes first
   */
  public static String[] hostsHoldingMost(BlockLocation[] blocks, long length) throws IOException {
    if (blocks == null || blocks.length == 0) {
      return NO_HOSTS;
    }
    Map<String, Long> bytesByHost = new HashMap<>();
    int replicas = 0;
    for (BlockLocation block : blocks) {
      long start = Math.max(0, block.getOffset());
      long end = Math.min(length, block.getOffset() + block.getLength());
      long overlap = end - start;
      String[] hosts = block.getHosts();
      if (overlap <= 0 || hosts == null) {
        continue;
      }
      replicas = Math.max(replicas, hosts.length);
      for (String host : hosts) {
        bytesByHost.merge(host, overlap, Long::sum);
      }
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(bytesByHost.entrySet());
    Collections.sort(ranked, (a, b) -> {
      int byBytes = Long.compare(b.getValue(), a.getValue());
      return byBytes != 0 ? byBytes : a.getKey().compareTo(b.getKey());
    });
    int n = Math.min(replicas, ranked.size());
    String[] best = new String[n];
    for (int i = 0; i < n; i++) {
      best[i] = ranked.get(i).getKey();
    }
    return best;
  }
}
