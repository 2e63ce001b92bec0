package io.kvstore.tools;

import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/** {@code kvstore du DIR}: bytes on the filesystem of each store in a directory, and in all. */
final class DuCommand implements Command {
  @Override
  public String name() {
    return "du";
  }

  @Override
  public String synopsis() {
    return "PATH";
  }

  @Override
  public String summary() {
    return "bytes used by each store in a directory (or one store), with the total";
  }

  @Override
  public String help() {
    return "Prints, for each entry of PATH (or PATH itself if it is a store), the bytes of all\n"
        + "its files on the filesystem (what 'hadoop fs -du' counts: partitions, manifest,\n"
        + "leftovers of failed writers), exact and readable, its state as 'ls' shows it and its\n"
        + "name; then the total.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path path = context.qualify(context.path(args.positional(1, 1).get(0)));
    FileOperations files = context.ops(path);
    List<StoreListing.Entry> entries = StoreListing.list(files, path);
    long total = 0;
    String format = "%14d %10s  %-11s  %s%n";
    for (StoreListing.Entry e : entries) {
      long bytes = StoreListing.bytesUnder(files, e.status);
      total += bytes;
      context.out().printf(Locale.ROOT, format, bytes, Sizes.bytes(bytes), e.kind.label,
          e.status.getPath().getName());
    }
    context.out().printf(Locale.ROOT, format, total, Sizes.bytes(total), "", "total");
    return 0;
  }
}
