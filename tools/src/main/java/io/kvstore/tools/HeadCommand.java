package io.kvstore.tools;

import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.util.List;

/** {@code kvstore head STORE [N]}: the first pairs in key order. */
final class HeadCommand implements Command {
  private static final long DEFAULT_PAIRS = 10;

  @Override
  public String name() {
    return "head";
  }

  @Override
  public String synopsis() {
    return "STORE [N]";
  }

  @Override
  public String summary() {
    return "print the first N pairs in key order (10 by default)";
  }

  @Override
  public String help() {
    return "Prints the first N (default " + DEFAULT_PAIRS + ") 'KEY<TAB>VALUE' lines of the store in"
        + " key order,\nas 'scan STORE --limit N' does.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> positional = args.positional(1, 2);
    long n = DEFAULT_PAIRS;
    if (positional.size() == 2) {
      n = Arguments.number(positional.get(1), "N");
    }
    try (KeyValueStoreReader reader = context.system().openStore(
        context.path(positional.get(0)))) {
      ScanCommand.print(context, reader, KeyRange.of(context, args), n);
    }
    return 0;
  }
}
