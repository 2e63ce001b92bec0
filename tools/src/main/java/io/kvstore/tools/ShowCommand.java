package io.kvstore.tools;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.util.List;

/** {@code kvstore show STORE key|value|all}: every key, every value, or every pair. */
final class ShowCommand implements Command {
  @Override
  public String name() {
    return "show";
  }

  @Override
  public String synopsis() {
    return "STORE key|value|all";
  }

  @Override
  public String summary() {
    return "print every key, every value, or every pair";
  }

  @Override
  public String help() {
    return "Prints one line per pair in key order: the key ('key'), the value ('value') or\n"
        + "'KEY<TAB>VALUE' ('all').\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> positional = args.positional(2, 2);
    String what = positional.get(1);
    if (!what.equals("key") && !what.equals("value") && !what.equals("all")) {
      throw new UsageException("second argument must be key, value or all, not '" + what + "'");
    }
    PairPrinter printer = new PairPrinter(context);
    try (KeyValueStoreReader reader = context.system().openStore(context.path(positional.get(0)));
        KeyValueIterator it = reader.iterator()) {
      boolean open = true;
      while (open && it.hasNext()) {
        KeyValuePair pair = it.next();
        if (what.equals("key")) {
          open = printer.single(pair.getKey());
        } else if (what.equals("value")) {
          open = printer.single(pair.getValue());
        } else {
          open = printer.pair(pair.getKey(), pair.getValue());
        }
      }
    }
    return 0;
  }
}
