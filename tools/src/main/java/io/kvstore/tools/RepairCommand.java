package io.kvstore.tools;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.KeyValueConf;
import io.kvstore.PartitionInfo;
import io.kvstore.fs.FileOperations;
import io.kvstore.format.PartitionReader;
import io.kvstore.format.PartitionScanner;
import io.kvstore.format.ReadContext;
import io.kvstore.format.Routing;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * {@code kvstore repair STORE}: rebuilds the manifest of a store whose manifest was lost, from its
 * partition files, each verified whole (every record's CRC32C, key order, footer, indexes).
 */
final class RepairCommand implements Command {
  /** Manifest property recording that the manifest was rebuilt, and when. */
  static final String REPAIRED_PROPERTY = "repaired.by";

  @Override
  public String name() {
    return "repair";
  }

  @Override
  public String synopsis() {
    return "STORE [--dry-run] [--drop-damaged]";
  }

  @Override
  public String summary() {
    return "rebuild a lost manifest from the store's verified partition files";
  }

  @Override
  public String help() {
    return "For a directory of partition files (*.kvp) with no " + StoreLayout.MANIFEST_NAME
        + ":\nreads every partition whole (each record's CRC32C, strictly increasing keys, the\n"
        + "footer's count, the indexes) and publishes a manifest listing them, routed by key\n"
        + "range (correct for any store; the partitioner's buckets are not recorded in the\n"
        + "files). Prints one line a partition. Refuses, naming them, when a partition is\n"
        + "damaged, and refuses a directory a writer may still be using ("
        + StoreLayout.INCOMPLETE_MARKER_NAME + ").\nA partition file deleted along with the"
        + " manifest cannot be known; gaps in part-NNNNN\nnumbers are reported.\n\n"
        + "  --dry-run        verify and report, publish nothing\n"
        + "  --drop-damaged   publish a manifest without the damaged partitions (their keys\n"
        + "                   are then absent from the store); they are named and kept on disk\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().flag("--dry-run").flag("--drop-damaged");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path store = context.qualify(context.path(args.positional(1, 1).get(0)));
    FileOperations files = context.ops(store);
    FileStatus status = files.getFileStatus(store);
    if (!status.isDirectory()) {
      throw new BadInputException(store + " is not a directory");
    }
    if (files.exists(new Path(store, StoreLayout.MANIFEST_NAME))) {
      StoreManifest.read(files, store); // a damaged manifest fails here, naming the problem
      context.out().println(store + " has a readable manifest: nothing to repair ('kvstore"
          + " verify' checks the data)");
      return 0;
    }
    if (files.exists(new Path(store, StoreLayout.INCOMPLETE_MARKER_NAME))) {
      throw new BadInputException(store + " holds " + StoreLayout.INCOMPLETE_MARKER_NAME
          + ": a writer may still be at work, or failed before publishing (then 'kvstore rm'"
          + " removes it); not repaired");
    }
    List<FileStatus> partitionFiles = new ArrayList<>();
    for (FileStatus entry : files.listStatus(store)) {
      String name = entry.getPath().getName();
      if (entry.isFile() && name.endsWith(StoreLayout.PARTITION_EXTENSION)
          && !name.startsWith(StoreLayout.TEMP_PREFIX)) {
        partitionFiles.add(entry);
      }
    }
    partitionFiles.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    if (partitionFiles.isEmpty()) {
      throw new BadInputException(store + " holds no partition files (*"
          + StoreLayout.PARTITION_EXTENSION + "): nothing to rebuild a manifest from");
    }
    Configuration conf = new Configuration(context.conf());
    KeyValueConf.VERIFY_CHECKSUMS.setBoolean(conf, true);
    List<PartitionInfo> verified = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    long total = 0;
    for (FileStatus f : partitionFiles) {
      total += f.getLen();
    }
    try (ProgressBar bar = context.progress("verifying", total, ProgressBar.Unit.BYTES);
        ReadContext readContext = new ReadContext(files, conf)) {
      for (FileStatus f : partitionFiles) {
        String name = f.getPath().getName();
        long base = bar.done();
        String problem;
        PartitionInfo info = null;
        try {
          info = verify(files, f, conf, context.codec());
          if (info != null) {
            // Opening checks header, footer and indexes against the entry, as a reader will.
            PartitionReader.open(readContext, f.getPath(), info).close();
          }
          problem = null;
        } catch (CorruptStoreException e) {
          problem = e.getProblem();
        } catch (BadInputException e) {
          problem = e.getMessage();
        } catch (IOException e) {
          problem = "read failed: " + ErrorMessages.describe(e);
        }
        bar.update(base + f.getLen());
        if (problem != null) {
          damaged.add(name);
          context.out().println("damaged  " + name + ": " + problem);
        } else if (info == null) {
          context.out().println("empty    " + name + ": no records; left out");
        } else {
          verified.add(info);
          context.out().println("ok       " + name + ": " + Sizes.plural(info.getKeyCount(),
              "pair") + ", " + context.codec().display(info.getFirstKey()) + " .. "
              + context.codec().display(info.getLastKey()));
        }
      }
    }
    reportGaps(context, partitionFiles);
    if (!damaged.isEmpty() && !args.has("--drop-damaged")) {
      context.out().flush();
      context.err().println("kvstore repair: " + Sizes.plural(damaged.size(), "damaged partition")
          + " (" + String.join(", ", damaged) + "); no manifest written. --drop-damaged writes"
          + " one without them, losing their keys");
      return KvStoreCli.EXIT_FAILURE;
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(REPAIRED_PROPERTY, "kvstore repair at " + Instant.now()
        + (damaged.isEmpty() ? "" : "; dropped damaged " + String.join(", ", damaged)));
    StoreManifest manifest = new StoreManifest(Routing.byRange(), verified, properties);
    String summary = Sizes.plural(verified.size(), "partition") + ", "
        + Sizes.plural(manifest.getKeyCount(), "pair");
    if (args.has("--dry-run")) {
      context.out().println("dry run: would write a manifest of " + summary);
      return damaged.isEmpty() ? 0 : KvStoreCli.EXIT_FAILURE;
    }
    manifest.publish(files, store, false);
    context.out().println("repaired " + store + ": manifest of " + summary
        + (damaged.isEmpty() ? "" : "; left out damaged " + String.join(", ", damaged)));
    return 0;
  }

  /**
   * The manifest entry of a partition file read whole, or null if it holds no records.
   *
   * @throws CorruptStoreException if a section or record is damaged
   * @throws BadInputException if the keys are out of order or the footer's count is wrong
   */
  private static PartitionInfo verify(FileOperations files, FileStatus file, Configuration conf,
      ByteCodec codec) throws IOException {
    byte[] first = null;
    byte[] previous = null;
    long records = 0;
    long footerCount;
    try (PartitionScanner scanner = PartitionScanner.open(files, file.getPath(), conf)) {
      footerCount = scanner.keyCount();
      while (scanner.next()) {
        byte[] key = scanner.copyKey();
        records++;
        if (previous != null && Bytes.compare(previous, key) >= 0) {
          throw new BadInputException("record " + records + ": key " + codec.display(key)
              + " does not sort after the previous key " + codec.display(previous));
        }
        if (first == null) {
          first = key;
        }
        previous = key;
      }
    }
    if (records != footerCount) {
      throw new BadInputException("holds " + records + " records, its footer says "
          + footerCount);
    }
    if (records == 0) {
      return null;
    }
    int crc = PartitionCheck.crc32c(files, file.getPath(), read -> { });
    return new PartitionInfo(file.getPath().getName(), records, file.getLen(), first, previous,
        crc, PartitionInfo.NO_BUCKET);
  }

  /** Reports missing numbers among part-NNNNN names: files possibly deleted with the manifest. */
  private static void reportGaps(CommandContext context, List<FileStatus> partitionFiles) {
    List<Integer> numbers = new ArrayList<>();
    for (FileStatus f : partitionFiles) {
      String name = f.getPath().getName();
      String digits = name.replaceAll("^part-(\\d+)\\" + StoreLayout.PARTITION_EXTENSION + "$",
          "$1");
      if (!digits.equals(name)) {
        numbers.add(Integer.parseInt(digits));
      }
    }
    if (numbers.isEmpty()) {
      return;
    }
    int[] sorted = numbers.stream().mapToInt(Integer::intValue).sorted().toArray();
    List<String> missing = new ArrayList<>();
    for (int i = 1; i < sorted.length; i++) {
      for (int n = sorted[i - 1] + 1; n < sorted[i] && missing.size() < 10; n++) {
        missing.add(String.format("part-%05d", n));
      }
    }
    if (sorted[0] != 0) {
      missing.add(0, "part-00000" + (sorted[0] > 1 ? " .. " + String.format("part-%05d",
          sorted[0] - 1) : ""));
    }
    if (!missing.isEmpty()) {
      context.out().println("warning: no file for " + String.join(", ", missing)
          + ": partitions possibly deleted; their keys cannot be recovered");
    }
  }
}
