package io.kvstore.tools;

import io.kvstore.TableVersion;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/** {@code kvstore versions TABLE}: lists a table's versions. */
final class VersionsCommand implements Command {
  @Override
  public String name() {
    return "versions";
  }

  @Override
  public String synopsis() {
    return "TABLE";
  }

  @Override
  public String summary() {
    return "list a table's versions";
  }

  @Override
  public String help() {
    return "Lists every kept version of TABLE, oldest first: number, creation time, pairs and\n"
        + "size; '*' marks the current one.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path table = context.path(args.positional(1, 1).get(0));
    List<TableVersion> versions = context.system().listVersions(table);
    if (versions.isEmpty()) {
      context.out().println(context.qualify(table) + " has no version yet");
      return 0;
    }
    context.out().println(String.format(Locale.ROOT, "  %8s  %-24s %12s %10s", "version",
        "created", "pairs", "size"));
    for (TableVersion v : versions) {
      context.out().println(String.format(Locale.ROOT, "%s %8d  %-24s %12d %10s",
          v.isCurrent() ? "*" : " ", v.getVersion(), Instant.ofEpochMilli(v.getCreatedMillis()),
          v.getPairCount(), Sizes.bytes(v.getSizeBytes())));
    }
    return 0;
  }
}
