package io.kvstore.tools;

import io.kvstore.Bytes;
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
    return "STORE|TABLE [--from KEY] [--to KEY] [--prefix PREFIX] [--limit N]";
  }

  @Override
  public String summary() {
    return "print pairs in key order, optionally a range";
  }

  @Override
  public String help() {
    return "Prints 'KEY<TAB>VALUE' lines in ascending unsigned byte order of keys. Of a table,\n"
        + "reads its current version.\n\n"
        + "  --from KEY       start at KEY (inclusive)\n"
        + "  --to KEY         stop before KEY (exclusive)\n"
        + "  --prefix PREFIX  only keys starting with PREFIX (combines with --from/--to)\n"
        + "  --limit N        print at most N pairs\n\n"
        + "An empty range (its start not before its end) is an error: exit status 1.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().valued("--from").valued("--to").valued("--prefix").valued("--limit");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    String store = args.positional(1, 1).get(0);
    ByteCodec codec = context.codec();
    byte[] from = args.has("--from") ? Codecs.decodeArgument(codec, args.value("--from"), "--from")
        : null;
    byte[] to = args.has("--to") ? Codecs.decodeArgument(codec, args.value("--to"), "--to") : null;
    if (args.has("--prefix")) {
      byte[] prefix = Codecs.decodeArgument(codec, args.value("--prefix"), "--prefix");
      if (from == null || Bytes.compare(prefix, from) > 0) {
        from = prefix;
      }
      byte[] prefixEnd = Codecs.prefixEnd(prefix);
      if (prefixEnd != null && (to == null || Bytes.compare(prefixEnd, to) < 0)) {
        to = prefixEnd;
      }
    }
    long limit = args.longValue("--limit", Long.MAX_VALUE);
    try (KeyValueStoreReader reader = context.system().openStore(context.path(store))) {
      if (from != null && to != null && Bytes.compare(from, to) >= 0) {
        // No key can be in it: most likely the bounds are swapped, so say so, as a negative answer.
        context.err().println("kvstore scan: the range is empty: its start " + codec.display(from)
            + " does not sort before its end " + codec.display(to) + " (exclusive)");
        return KvStoreCli.EXIT_FAILURE;
      }
      PairPrinter printer = new PairPrinter(context);
      long printed = 0;
      try (KeyValueIterator it = reader.iterator(from, to)) {
        while (printed < limit && it.hasNext()) {
          KeyValuePair pair = it.next();
          if (!printer.pair(pair.getKey(), pair.getValue())) {
            break;
          }
          printed++;
        }
      }
    }
    return 0;
  }
}
