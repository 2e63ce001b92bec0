package io.kvstore.tools;

import java.io.IOException;
import java.util.List;

/** {@code kvstore mv FROM TO}: renames a store. */
final class MvCommand implements Command {
  @Override
  public String name() {
    return "mv";
  }

  @Override
  public String synopsis() {
    return "FROM TO";
  }

  @Override
  public String summary() {
    return "rename a store";
  }

  @Override
  public String help() {
    return "Renames the complete store FROM to TO, which must not exist, on the same filesystem\n"
        + "(one directory rename: atomic on HDFS and local disks).\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> paths = args.positional(2, 2);
    context.system().renameStore(context.path(paths.get(0)), context.path(paths.get(1)));
    return 0;
  }
}
