package io.kvstore.tools;

import io.kvstore.KeyValueStoreReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;

/** {@code kvstore get STORE KEY...|-|--keys FILE}: looks keys up. */
final class GetCommand implements Command {
  /** Keys looked up at once when they come from a file or standard input. */
  static final int BATCH = 1024;

  @Override
  public String name() {
    return "get";
  }

  @Override
  public String synopsis() {
    return "STORE KEY... | STORE - | STORE --keys FILE";
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
        + "after '--'.\n\n"
        + "  -              read keys from standard input, one a line (typed as KEY arguments)\n"
        + "  --keys FILE    read keys from FILE (any Hadoop path), one a line\n\n"
        + "With - or --keys, keys are looked up in batches of " + BATCH + " and the output keeps\n"
        + "the input order, one line a key: 'KEY<TAB>VALUE' when found, the key alone (no tab)\n"
        + "when absent; a count of absent keys goes to stderr and makes the exit status 1.\n"
        + CommandContext.DEGRADED_HELP;
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().valued("--keys").flag(CommandContext.DEGRADED);
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    context.readDegradedIf(args);
    List<String> positional = args.positional(1, -1);
    boolean stdin = positional.size() == 2 && positional.get(1).equals("-");
    if (args.has("--keys") || stdin) {
      if (positional.size() > (stdin ? 2 : 1) || (stdin && args.has("--keys"))) {
        throw new UsageException("keys come from arguments, '-' or --keys FILE, one of them");
      }
      return runBatches(context, positional.get(0), args.value("--keys"));
    }
    positional = args.positional(2, -1);
    byte[][] keys = new byte[positional.size() - 1][];
    for (int i = 1; i < positional.size(); i++) {
      keys[i - 1] = Codecs.decodeArgument(context.codec(), positional.get(i), "key");
    }
    PairPrinter printer = new PairPrinter(context);
    int missing = 0;
    try (KeyValueStoreReader reader = context.system().openStore(context.path(positional.get(0)))) {
      byte[][] values = lookUp(reader, keys);
      for (int i = 0; i < keys.length; i++) {
        if (values[i] == null) {
          context.out().flush();
          context.err().println("kvstore get: key " + context.codec().display(keys[i])
              + " not found");
          missing++;
        } else if (!printer.pair(keys[i], values[i])) {
          break;
        }
      }
    }
    return missing == 0 ? 0 : KvStoreCli.EXIT_FAILURE;
  }

  /** Keys one a line from standard input ({@code file} null) or a file, in batches. */
  private static int runBatches(CommandContext context, String store, String file)
      throws IOException {
    InputStream in;
    if (file == null) {
      in = context.in();
      if (context.interactive()) {
        // As create does: without it, a forgotten pipe looks like a hang.
        context.err().println("kvstore get: reading keys from standard input, one a line; end"
            + " with Ctrl-D");
      }
    } else {
      Path path = context.path(file);
      in = context.ops(path).open(path);
    }
    PairPrinter printer = new PairPrinter(context);
    long missing = 0;
    long total = 0;
    try (KeyValueStoreReader reader = context.system().openStore(context.path(store));
        LineReader lines = new LineReader(in, 1 << 16)) {
      Text line = new Text();
      List<byte[]> batch = new ArrayList<>(BATCH);
      boolean open = true;
      while (open) {
        boolean more = lines.readLine(line) > 0;
        if (more) {
          total++;
          try {
            batch.add(context.codec().decode(line.getBytes(), 0, line.getLength()));
          } catch (IllegalArgumentException e) {
            throw new BadInputException((file == null ? "standard input" : file) + " line "
                + total + ": key is not valid " + context.codec().name().toLowerCase(
                    java.util.Locale.ROOT) + ": " + e.getMessage());
          }
        }
        if (batch.size() == BATCH || (!more && !batch.isEmpty())) {
          byte[][] keys = batch.toArray(new byte[0][]);
          byte[][] values = lookUp(reader, keys);
          for (int i = 0; i < keys.length && open; i++) {
            if (values[i] == null) {
              missing++;
              open = printer.single(keys[i]);
            } else {
              open = printer.pair(keys[i], values[i]);
            }
          }
          batch.clear();
        }
        open &= more;
      }
    }
    if (missing > 0) {
      context.out().flush();
      context.err().println("kvstore get: " + missing + " of " + Sizes.plural(total, "key")
          + " not found (printed without a tab)");
      return KvStoreCli.EXIT_FAILURE;
    }
    return 0;
  }

  /**
   * The values of {@code keys} (null where absent), in their order: the one place a batch is
   * looked up, so it can become the reader's multi-get.
   */
  static byte[][] lookUp(KeyValueStoreReader reader, byte[][] keys) throws IOException {
    byte[][] values = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      values[i] = reader.get(keys[i]);
    }
    return values;
  }
}
