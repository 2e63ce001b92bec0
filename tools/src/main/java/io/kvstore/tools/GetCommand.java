package io.kvstore.tools;

import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.util.List;

/** {@code kvstore get STORE KEY...}: looks keys up. */
final class GetCommand implements Command {
  @Override
  public String name() {
    return "get";
  }

  @Override
  public String synopsis() {
    return "STORE|TABLE KEY...";
  }

  @Override
  public String summary() {
    return "look up keys";
  }

  @Override
  public String help() {
    return "Prints 'KEY<TAB>VALUE' for every key found, in the order given. A key that is absent\n"
        + "is reported on stderr and makes the exit status 1. Keys are typed as UTF-8 (\\xHH and \\\\\n"
        + "escapes allowed), or in hex/base64 with --hex/--base64. A key starting with '-' goes\n"
        + "after '--'. Of a table, reads its current version.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> positional = args.positional(2, -1);
    byte[][] keys = new byte[positional.size() - 1][];
    for (int i = 1; i < positional.size(); i++) {
      keys[i - 1] = Codecs.decodeArgument(context.codec(), positional.get(i), "key");
    }
    PairPrinter printer = new PairPrinter(context);
    int missing = 0;
    try (KeyValueStoreReader reader = context.system().openStore(context.path(positional.get(0)))) {
      for (byte[] key : keys) {
        byte[] value = reader.get(key);
        if (value == null) {
          context.out().flush();
          context.err().println("kvstore get: key " + context.codec().display(key) + " not found");
          missing++;
        } else if (!printer.pair(key, value)) {
          break;
        }
      }
    }
    return missing == 0 ? 0 : KvStoreCli.EXIT_FAILURE;
  }
}
