package io.kvstore.tools;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/** {@code kvstore ls DIR}: the stores in a directory with their state, pairs, size and age. */
final class LsCommand implements Command {
  @Override
  public String name() {
    return "ls";
  }

  @Override
  public String synopsis() {
    return "PATH";
  }

  @Override
  public String summary() {
    return "list the stores in a directory: state, pairs, bytes, created";
  }

  @Override
  public String help() {
    return "Lists the entries of PATH (or PATH itself if it is a store), one a line: name, state\n"
        + "(complete, incomplete: being written or left by a failed writer, damaged: the\n"
        + "manifest cannot be read, or not a store), and for complete stores the pairs, the\n"
        + "bytes and the creation time from the manifest. Reads manifests only.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path path = context.qualify(context.path(args.positional(1, 1).get(0)));
    List<StoreListing.Entry> entries = StoreListing.list(context.ops(path), path);
    int width = "name".length();
    for (StoreListing.Entry e : entries) {
      width = Math.max(width, e.status.getPath().getName().length());
    }
    String format = "%-" + width + "s  %-11s %12s %10s  %s%n";
    context.out().printf(Locale.ROOT, format, "name", "state", "pairs", "bytes", "created");
    for (StoreListing.Entry e : entries) {
      String name = e.status.getPath().getName();
      if (e.manifest != null) {
        context.out().printf(Locale.ROOT, format, name, e.kind.label, e.manifest.getKeyCount(),
            Sizes.bytes(e.manifest.getSizeBytes()),
            Instant.ofEpochMilli(e.manifest.getCreatedMillis()));
      } else {
        context.out().printf(Locale.ROOT, format, name, e.kind.label, "-", "-",
            e.problem == null ? "-" : e.problem);
      }
    }
    return 0;
  }
}
