package io.kvstore.tools;

import io.kvstore.CorruptStoreException;
import io.kvstore.PartitionInfo;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** {@code kvstore verify STORE}: reads every byte and checks every checksum. */
final class VerifyCommand implements Command {
  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String synopsis() {
    return "STORE";
  }

  @Override
  public String summary() {
    return "read every byte of a store and check every checksum";
  }

  @Override
  public String help() {
    return "Checks the manifest's own checksum, then for every partition: the file exists with\n"
        + "the recorded size, each record's CRC32C, that keys strictly increase, the recorded key\n"
        + "count and first and last keys, every hash index chunk (checksum and offsets) and that\n"
        + "the index holds one entry per key (readers check chunks only as lookups touch them),\n"
        + "the sparse index, and the CRC32C of the whole file. Prints one line per\n"
        + "partition, 'ok' or its first problem, then a summary. Exit status 1 if anything is\n"
        + "wrong.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path store = context.qualify(context.path(args.positional(1, 1).get(0)));
    FileOperations ops = context.ops(store);
    StoreLayout.requireComplete(ops, store);
    StoreManifest manifest;
    try {
      manifest = StoreManifest.read(ops, store);
    } catch (CorruptStoreException e) {
      context.out().println("manifest: " + e.getMessage());
      context.out().println("FAILED: the manifest is damaged; no partition can be checked");
      return KvStoreCli.EXIT_FAILURE;
    }
    List<PartitionInfo> partitions = manifest.getPartitions();
    int bad = 0;
    String[] problems = new String[partitions.size()];
    try (ProgressBar bar = context.progress("verifying", manifest.getSizeBytes(),
        ProgressBar.Unit.BYTES)) {
      PartitionCheck check = new PartitionCheck(ops, context.conf(), context.codec(), bar);
      for (int i = 0; i < partitions.size(); i++) {
        problems[i] = check.check(partitions.get(i).resolvedIn(store));
        if (problems[i] != null) {
          bad++;
        }
      }
    }
    for (int i = 0; i < partitions.size(); i++) {
      PartitionInfo p = partitions.get(i);
      context.out().println(p.getFileName() + ": " + (problems[i] == null ? "ok ("
          + p.getKeyCount() + " pairs, " + Sizes.bytes(p.getSizeBytes()) + ")"
          : "CORRUPT: " + problems[i]));
    }
    if (bad == 0) {
      context.out().println("verified " + store + ": "
          + Sizes.plural(partitions.size(), "partition") + ", "
          + Sizes.plural(manifest.getKeyCount(), "pair") + ", "
          + Sizes.bytes(manifest.getSizeBytes()) + "; every checksum matches");
      return 0;
    }
    context.out().println("FAILED: " + bad + " of " + partitions.size()
        + " partitions have problems");
    return KvStoreCli.EXIT_FAILURE;
  }
}
