package io.kvstore.tools;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import java.io.IOException;

/** {@code kvstore scan STORE [--from K] [--to K] [--prefix P] [--limit N]}: a range in key order. */
final class ScanCommand implements Command {
  @Override
  public String name() {
    return "scan";
  }

  @Override
  public String synopsis() {
    return "STORE [--from KEY] [--to KEY] [--prefix PREFIX] [--limit N]";
  }

  @Override
  public String summary() {
    return "print pairs in key order, optionally a range";
  }

  @Override
  public String help() {
    return "Prints 'KEY<TAB>VALUE' lines in ascending unsigned byte order of keys.\n\n"
        + KeyRange.help()
        + "  --limit N        print at most N pairs\n"
        + CommandContext.DEGRADED_HELP + "\n"
        + "An empty range (its start not before its end) is an error: exit status 1.\n";
  }

  @Override
  public OptionSpec options() {
    return KeyRange.options(OptionSpec.none()).valued("--limit").flag(CommandContext.DEGRADED);
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    context.readDegradedIf(args);
    String store = args.positional(1, 1).get(0);
    KeyRange range = KeyRange.of(context, args);
    long limit = args.longValue("--limit", Long.MAX_VALUE);
    try (KeyValueStoreReader reader = context.system().openStore(context.path(store))) {
      if (range.reportIfEmpty(context, name())) {
        return KvStoreCli.EXIT_FAILURE;
      }
      print(context, reader, range, limit);
    }
    return 0;
  }

  /** Prints at most {@code limit} pairs of the range; stops early when output is closed. */
  static void print(CommandContext context, KeyValueStoreReader reader, KeyRange range, long limit)
      throws IOException {
    PairPrinter printer = new PairPrinter(context);
    long printed = 0;
    try (KeyValueIterator it = reader.iterator(range.from, range.to)) {
      while (printed < limit && it.hasNext()) {
        KeyValuePair pair = it.next();
        if (!printer.pair(pair.getKey(), pair.getValue())) {
          break;
        }
        printed++;
      }
    }
  }
}
