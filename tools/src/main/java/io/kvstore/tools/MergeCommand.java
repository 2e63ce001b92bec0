package io.kvstore.tools;

import java.io.IOException;
import java.util.List;

/** {@code kvstore merge FROM TO}: moves every pair of FROM into TO. */
final class MergeCommand implements Command {
  @Override
  public String name() {
    return "merge";
  }

  @Override
  public String synopsis() {
    return "FROM TO";
  }

  @Override
  public String summary() {
    return "merge store FROM into store TO and remove FROM";
  }

  @Override
  public String help() {
    return "Moves FROM's partition files into TO and publishes TO's new manifest atomically:\n"
        + "readers of TO see the old or the merged store, never a mix. A key present in both\n"
        + "stores is refused, and nothing changes.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> paths = args.positional(2, 2);
    context.system().mergeStore(context.path(paths.get(0)), context.path(paths.get(1)));
    return 0;
  }
}
