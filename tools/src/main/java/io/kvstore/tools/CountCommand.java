package io.kvstore.tools;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValueStoreReader;
import java.io.IOException;

/** {@code kvstore count STORE [RANGE]}: how many pairs, in the store or in a key range. */
final class CountCommand implements Command {
  @Override
  public String name() {
    return "count";
  }

  @Override
  public String synopsis() {
    return "STORE [--from KEY] [--to KEY] [--prefix PREFIX]";
  }

  @Override
  public String summary() {
    return "count the pairs of a store or of a key range";
  }

  @Override
  public String help() {
    return "Prints the number of pairs. Without a range it is the manifest's count (no data is\n"
        + "read); with one, the pairs of the range are iterated and counted.\n\n"
        + KeyRange.help();
  }

  @Override
  public OptionSpec options() {
    return KeyRange.options(OptionSpec.none());
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    String store = args.positional(1, 1).get(0);
    KeyRange range = KeyRange.of(context, args);
    long count = 0;
    try (KeyValueStoreReader reader = context.system().openStore(context.path(store))) {
      if (range.reportIfEmpty(context, name())) {
        return KvStoreCli.EXIT_FAILURE;
      }
      if (range.isAll()) {
        count = reader.size();
      } else {
        try (KeyValueIterator it = reader.iterator(range.from, range.to)) {
          while (it.hasNext()) {
            it.next();
            count++;
          }
        }
      }
    }
    context.out().println(count);
    return 0;
  }
}
