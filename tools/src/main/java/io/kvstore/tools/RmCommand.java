package io.kvstore.tools;

import java.io.IOException;

/** {@code kvstore rm STORE...}: deletes stores. */
final class RmCommand implements Command {
  @Override
  public String name() {
    return "rm";
  }

  @Override
  public String synopsis() {
    return "STORE...";
  }

  @Override
  public String summary() {
    return "delete stores (complete or incomplete)";
  }

  @Override
  public String help() {
    return "Deletes each store with everything in its directory: a complete or incomplete store,\n"
        + "or a directory holding only what a failed kvstore job left (_kvstore_tmp_* staging,\n"
        + "partition files). Refuses a path holding anything else, so a mistyped path cannot\n"
        + "remove other data. Stops at the first failure.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    for (String store : args.positional(1, -1)) {
      context.system().deleteStore(context.path(store));
    }
    return 0;
  }
}
