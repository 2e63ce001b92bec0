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
    return "Deletes each store with everything in its directory. Refuses a path that is not a\n"
        + "store, so a mistyped path cannot remove other data. Stops at the first failure.\n";
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
