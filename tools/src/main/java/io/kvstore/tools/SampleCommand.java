package io.kvstore.tools;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** {@code kvstore sample STORE N [--seed S]}: N pairs chosen uniformly at random. */
final class SampleCommand implements Command {
  @Override
  public String name() {
    return "sample";
  }

  @Override
  public String synopsis() {
    return "STORE N [--seed S]";
  }

  @Override
  public String summary() {
    return "print N pairs chosen uniformly at random, in key order";
  }

  @Override
  public String help() {
    return "Chooses N distinct pair positions uniformly at random among the store's pairs\n"
        + "(all of them if the store has fewer), then prints those pairs in key order in one\n"
        + "pass over the store.\n\n"
        + "  --seed S   the random seed, so a sample can be repeated (default: a new one)\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().valued("--seed");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> positional = args.positional(2, 2);
    long n = Arguments.number(positional.get(1), "N");
    Random random;
    if (args.has("--seed")) {
      try {
        random = new Random(Long.parseLong(args.value("--seed").trim()));
      } catch (NumberFormatException e) {
        throw new UsageException("--seed needs a whole number, not '" + args.value("--seed")
            + "'");
      }
    } else {
      random = new Random();
    }
    try (KeyValueStoreReader reader = context.system().openStore(
        context.path(positional.get(0)))) {
      long[] chosen = choose(reader.size(), n, random);
      PairPrinter printer = new PairPrinter(context);
      int next = 0;
      long position = 0;
      try (KeyValueIterator it = reader.iterator()) {
        while (next < chosen.length && it.hasNext()) {
          KeyValuePair pair = it.next();
          if (position++ == chosen[next]) {
            next++;
            if (!printer.pair(pair.getKey(), pair.getValue())) {
              break;
            }
          }
        }
      }
    }
    return 0;
  }

  /**
   * {@code min(n, size)} distinct positions in {@code [0, size)}, each set equally likely, in
   * ascending order (Floyd's algorithm: n draws, whatever the size).
   */
  static long[] choose(long size, long n, Random random) {
    if (Math.min(n, size) > Integer.MAX_VALUE - 8) {
      throw new UsageException("N is too large: " + n + " (at most " + (Integer.MAX_VALUE - 8)
          + ")");
    }
    if (n >= size) {
      long[] all = new long[(int) size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    Set<Long> chosen = new HashSet<>();
    for (long j = size - n; j < size; j++) {
      long t = (long) (random.nextDouble() * (j + 1));
      chosen.add(chosen.contains(t) ? j : t);
    }
    long[] sorted = new long[chosen.size()];
    int i = 0;
    for (long p : chosen) {
      sorted[i++] = p;
    }
    Arrays.sort(sorted);
    return sorted;
  }
}
