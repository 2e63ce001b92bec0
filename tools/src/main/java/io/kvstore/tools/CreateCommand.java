package io.kvstore.tools;

import io.kvstore.Bytes;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/** {@code kvstore create STORE [--input FILE|-] [--format tsv|seqfile] [--sort]}: builds a store. */
final class CreateCommand implements Command {
  private static final long DEFAULT_SORT_MEMORY = 64L << 20;

  @Override
  public String name() {
    return "create";
  }

  @Override
  public String synopsis() {
    return "STORE [--input PATH|-] [--format tsv|seqfile] [--raw] [--sort [--sort-memory BYTES]"
        + " [--tmp-dir DIR]]";
  }

  @Override
  public String summary() {
    return "build a store from tab-separated lines or a SequenceFile";
  }

  @Override
  public String help() {
    return "Reads pairs and writes them as a new store at STORE (which must not exist). The store\n"
        + "is published only when all input was read; on any error, and when stopped by\n"
        + "Ctrl-C or kill -TERM, nothing is left behind (neither the store nor sorted runs).\n\n"
        + "  --input PATH|-     a file, directory (its files, recursively; names starting with\n"
        + "                     _ or . skipped) or glob on any Hadoop filesystem, as 'hadoop fs\n"
        + "                     -text' reads them: SequenceFiles recognised by their first bytes,\n"
        + "                     text decompressed by extension (.gz, .bz2, .deflate, ...) or gzip\n"
        + "                     magic; or '-' for stdin (the default, tab-separated text)\n"
        + "  text input         'KEY<TAB>VALUE' lines; the value is everything after the first\n"
        + "                     tab; empty lines are skipped; keys and values decoded as with\n"
        + "                     --hex/--base64, else UTF-8 with \\xHH and \\\\ escapes (any other\n"
        + "                     backslash is an error naming the line): the form scan and export\n"
        + "                     print, and the form 'build' reads\n"
        + "  --raw              take text lines as raw bytes, no escapes (as 'build --raw')\n"
        + "  --format tsv       every file is text, whatever it starts with\n"
        + "  --format seqfile   every file is a SequenceFile with BytesWritable or Text keys and\n"
        + "                     values (without --format, recognised by its first bytes)\n"
        + "  --sort             sort the input first; without it the input must already be in\n"
        + "                     ascending key order, and the first line out of order is refused\n"
        + "  --sort-memory N    bytes of pairs held in memory before a sorted run is spilled to\n"
        + "                     local disk (default 64m; k, m, g suffixes)\n"
        + "  --tmp-dir DIR      local directory for sorted runs (default java.io.tmpdir)\n\n"
        + "Writer settings come from the configuration, e.g.\n"
        + "  kvstore -D kvstore.partition.size.bytes.max=64m create ...\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().valued("--input").valued("--format").flag("--raw").flag("--sort")
        .valued("--sort-memory").valued("--tmp-dir");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path store = context.path(args.positional(1, 1).get(0));
    String formatName = args.value("--format");
    InputPairs.Format format;
    if (formatName == null) {
      format = InputPairs.Format.AUTO;
    } else if (formatName.equals("tsv") || formatName.equals("seqfile")) {
      format = formatName.equals("tsv") ? InputPairs.Format.TSV : InputPairs.Format.SEQFILE;
    } else {
      throw new UsageException("--format must be tsv or seqfile, not '" + formatName + "'");
    }
    String input = args.value("--input") == null ? "-" : args.value("--input");
    if (format == InputPairs.Format.SEQFILE && input.equals("-")) {
      throw new UsageException("--format seqfile needs --input FILE");
    }
    boolean raw = args.has("--raw");
    boolean sort = args.has("--sort");
    if (!sort && (args.has("--sort-memory") || args.has("--tmp-dir"))) {
      throw new UsageException("--sort-memory and --tmp-dir go with --sort");
    }
    long sortMemory = Math.max(1, args.longValue("--sort-memory", DEFAULT_SORT_MEMORY));
    File tmpDir = new File(args.value("--tmp-dir") == null ? System.getProperty("java.io.tmpdir")
        : args.value("--tmp-dir"));

    long inputLength = -1;
    PairSource source;
    java.util.function.Supplier<String> unit;
    if (input.equals("-")) {
      source = new TsvPairSource(context.in(), context.codec(), raw);
      unit = () -> "line";
      if (context.interactive()) {
        // Without it, a person who forgot --input sees a command that seems to hang.
        context.err().println("kvstore create: reading pairs from standard input; end with Ctrl-D");
      }
    } else {
      if (raw && context.codec() != ByteCodec.TEXT) {
        throw new UsageException("--raw excludes --hex and --base64");
      }
      InputPairs files = InputPairs.open(context, input, format, raw);
      inputLength = files.totalBytes();
      unit = files::unit;
      source = files;
    }
    long pairs;
    String stopped = "kvstore create: stopped by a signal; removed the incomplete store"
        + (sort ? " and the sorted runs" : "");
    try (SignalCleanup cleanup = SignalCleanup.install(context.err(), stopped);
        PairSource in = source) {
      pairs = sort ? writeSorted(context, cleanup, store, in, inputLength, sortMemory, tmpDir,
          unit) : write(context, cleanup, store, in, inputLength, "create", false);
    } catch (SignalCleanup.Stopped e) {
      // Everything is removed; the shutdown hook prints the message and the JVM exits.
      return KvStoreCli.EXIT_FAILURE;
    }
    StoreManifest manifest = StoreManifest.read(context.ops(store), store);
    context.out().println("created " + context.qualify(store) + ": " + Sizes.plural(pairs, "pair")
        + ", " + Sizes.plural(manifest.getPartitions().size(), "partition") + ", "
        + Sizes.bytes(manifest.getSizeBytes()));
    if (pairs == 0) {
      // A valid store, but an empty input is more often a mistake (wrong file, empty pipe).
      context.err().println("kvstore create: " + (input.equals("-") ? "standard input" : input)
          + " held no pairs: the store is empty");
    }
    return 0;
  }

  private static long writeSorted(CommandContext context, SignalCleanup cleanup, Path store,
      PairSource in,
      long inputLength, long sortMemory, File tmpDir, java.util.function.Supplier<String> unit)
      throws IOException {
    if (!tmpDir.isDirectory()) {
      throw new UsageException("--tmp-dir " + tmpDir + " is not a directory");
    }
    // Fail before sorting if the store cannot be created.
    if (context.ops(store).exists(store)) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(context.qualify(store)
          + " already exists");
    }
    try (ExternalSorter sorter = new ExternalSorter(tmpDir, sortMemory, unit)) {
      cleanup.add(sorter);
      try {
        long count = 0;
        try (ProgressBar bar = context.progress("sorting", inputLength,
            ProgressBar.Unit.BYTES)) {
          while (in.next()) {
            cleanup.check();
            sorter.add(in.key(), in.value(), ++count);
            bar.update(in.bytesRead());
          }
        }
        cleanup.check();
        try (PairSource sorted = sorter.sorted()) {
          return write(context, cleanup, store, sorted, count, "writing", true);
        }
      } finally {
        cleanup.remove(sorter);
      }
    }
  }

  /**
   * Writes every pair of {@code in} to a new store, refusing out-of-order and duplicate keys
   * with their input positions. Cancels the store on any failure.
   */
  private static long write(CommandContext context, SignalCleanup cleanup, Path store,
      PairSource in, long total, String label, boolean countsPairs) throws IOException {
    KeyValueStoreWriter writer = context.system().createStore(store);
    Closeable cancel = writer::cancel;
    cleanup.add(cancel);
    boolean done = false;
    try (ProgressBar bar = context.progress(label, total,
        countsPairs ? ProgressBar.Unit.PAIRS : ProgressBar.Unit.BYTES)) {
      byte[] previous = null;
      String previousPosition = null;
      while (in.next()) {
        cleanup.check();
        byte[] key = in.key();
        if (previous != null) {
          int order = Bytes.compare(key, previous);
          if (order == 0) {
            throw new BadInputException(in.position() + ": duplicate key "
                + context.codec().display(key) + " (first on " + previousPosition + ")");
          }
          if (order < 0) {
            throw new BadInputException(in.position() + ": key " + context.codec().display(key)
                + " sorts before the previous key " + context.codec().display(previous) + " ("
                + previousPosition + "); the input is not sorted (use --sort)");
          }
        }
        try {
          writer.put(key, in.value());
        } catch (IllegalArgumentException e) {
          throw new BadInputException(in.position() + ": " + e.getMessage());
        }
        previous = key;
        previousPosition = in.position();
        bar.update(in.bytesRead());
      }
      // Never publish a store whose input was cut short by the signal (stdin closed with it).
      cleanup.check();
      writer.close();
      done = true;
      return writer.size();
    } finally {
      if (!done) {
        cancelQuietly(writer);
      }
      cleanup.remove(cancel);
    }
  }

  private static void cancelQuietly(KeyValueStoreWriter writer) {
    try {
      writer.cancel();
    } catch (IOException | RuntimeException e) {
      // The original failure is what the user needs; cancel only tidies a store never published.
      org.slf4j.LoggerFactory.getLogger(CreateCommand.class)
          .warn("Could not remove the unfinished store: {}", e.toString());
    }
  }
}
