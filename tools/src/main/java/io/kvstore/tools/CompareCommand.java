package io.kvstore.tools;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** {@code kvstore compare STORE_A STORE_B}: whether two stores hold the same pairs. */
final class CompareCommand implements Command {
  @Override
  public String name() {
    return "compare";
  }

  @Override
  public String synopsis() {
    return "STORE_A STORE_B";
  }

  @Override
  public String summary() {
    return "tell whether two stores hold exactly the same pairs";
  }

  @Override
  public String help() {
    return "Walks both stores in key order. Prints 'same: N pairs' and exits 0, or names the first\n"
        + "difference (a key in only one store, or a key whose values differ) and exits 1.\n"
        + "Partitioning does not matter: a store and its clone with other partitions are the same.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> stores = args.positional(2, 2);
    ByteCodec codec = context.codec();
    try (KeyValueStoreReader a = context.system().openStore(context.path(stores.get(0)));
        KeyValueStoreReader b = context.system().openStore(context.path(stores.get(1)));
        KeyValueIterator ia = a.iterator();
        KeyValueIterator ib = b.iterator()) {
      long pairs = 0;
      while (true) {
        boolean hasA = ia.hasNext();
        boolean hasB = ib.hasNext();
        if (!hasA && !hasB) {
          context.out().println("same: " + pairs + " pairs");
          return 0;
        }
        if (!hasA || !hasB) {
          KeyValuePair extra = hasA ? ia.next() : ib.next();
          return differ(context, "key " + codec.display(extra.getKey()) + " is only in "
              + stores.get(hasA ? 0 : 1));
        }
        KeyValuePair pa = ia.next();
        KeyValuePair pb = ib.next();
        int order = io.kvstore.Bytes.compare(pa.getKey(), pb.getKey());
        if (order != 0) {
          KeyValuePair smaller = order < 0 ? pa : pb;
          return differ(context, "key " + codec.display(smaller.getKey()) + " is only in "
              + stores.get(order < 0 ? 0 : 1));
        }
        if (!Arrays.equals(pa.getValue(), pb.getValue())) {
          return differ(context, "values of key " + codec.display(pa.getKey()) + " differ ("
              + pa.getValue().length + " and " + pb.getValue().length + " bytes)");
        }
        pairs++;
      }
    }
  }

  private static int differ(CommandContext context, String why) {
    context.out().println("different: " + why);
    return KvStoreCli.EXIT_FAILURE;
  }
}
