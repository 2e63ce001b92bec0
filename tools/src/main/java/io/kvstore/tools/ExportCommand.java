package io.kvstore.tools;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.fs.FileOperations;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * {@code kvstore export STORE [--output PATH] [--format tsv|seqfile] [RANGE]}: the inverse of
 * {@code create}, whose input it writes.
 */
final class ExportCommand implements Command {
  @Override
  public String name() {
    return "export";
  }

  @Override
  public String synopsis() {
    return "STORE [--output PATH] [--format tsv|seqfile] [--from KEY] [--to KEY] [--prefix P]";
  }

  @Override
  public String summary() {
    return "write a store's pairs as TSV or a SequenceFile (create reads both back)";
  }

  @Override
  public String help() {
    return "Writes every pair (or a key range) in key order, in a form 'kvstore create' reads\n"
        + "back to the same store.\n\n"
        + "  --output PATH    a new file on any Hadoop filesystem (default: standard output);\n"
        + "                   it must not exist, and is removed if the export fails\n"
        + "  --format tsv     'KEY<TAB>VALUE' lines in the chosen encoding (default; text\n"
        + "                   escapes \\\\, tab, newline and non-UTF-8 bytes as \\\\xHH); compressed\n"
        + "                   when PATH ends in a Hadoop codec's extension (.gz, .bz2, ...)\n"
        + "  --format seqfile a SequenceFile of BytesWritable keys and values (needs --output)\n"
        + KeyRange.help()
        + "\nPrints the count of pairs written on stderr when writing to a file.\n";
  }

  @Override
  public OptionSpec options() {
    return KeyRange.options(OptionSpec.none()).valued("--output").valued("--format");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    String store = args.positional(1, 1).get(0);
    String format = args.value("--format") == null ? "tsv" : args.value("--format");
    if (!format.equals("tsv") && !format.equals("seqfile")) {
      throw new UsageException("--format must be tsv or seqfile, not '" + format + "'");
    }
    String output = args.value("--output");
    if (format.equals("seqfile") && (output == null || output.equals("-"))) {
      throw new UsageException("--format seqfile needs --output PATH");
    }
    KeyRange range = KeyRange.of(context, args);
    try (KeyValueStoreReader reader = context.system().openStore(context.path(store))) {
      if (range.reportIfEmpty(context, name())) {
        return KvStoreCli.EXIT_FAILURE;
      }
      if (output == null || output.equals("-")) {
        ScanCommand.print(context, reader, range, Long.MAX_VALUE);
        return 0;
      }
      Path path = context.qualify(context.path(output));
      FileOperations files = context.ops(path);
      long written;
      boolean done = false;
      FSDataOutputStream stream = files.create(path, false);
      try {
        written = format.equals("tsv") ? writeTsv(context, reader, range, path, stream)
            : writeSequenceFile(context, reader, range, stream);
        done = true;
      } finally {
        if (!done) {
          stream.close();
          files.delete(path, false);
        }
      }
      context.err().println("kvstore export: wrote " + Sizes.plural(written, "pair") + " to "
          + path);
    }
    return 0;
  }

  private static long writeTsv(CommandContext context, KeyValueStoreReader reader,
      KeyRange range, Path path, FSDataOutputStream stream) throws IOException {
    CompressionCodec codec = new CompressionCodecFactory(context.conf()).getCodec(path);
    OutputStream raw = codec == null ? stream : codec.createOutputStream(stream);
    PrintStream out = new PrintStream(new BufferedOutputStream(raw, 1 << 16), false,
        StandardCharsets.UTF_8);
    PairPrinter printer = new PairPrinter(out, context.codec());
    long written = 0;
    try (KeyValueIterator it = reader.iterator(range.from, range.to)) {
      while (it.hasNext()) {
        KeyValuePair pair = it.next();
        if (!printer.pair(pair.getKey(), pair.getValue())) {
          break;
        }
        written++;
      }
    }
    out.close();
    if (out.checkError()) {
      throw new IOException("could not write " + path);
    }
    return written;
  }

  private static long writeSequenceFile(CommandContext context, KeyValueStoreReader reader,
      KeyRange range, FSDataOutputStream stream) throws IOException {
    long written = 0;
    BytesWritable key = new BytesWritable();
    BytesWritable value = new BytesWritable();
    try (SequenceFile.Writer writer = SequenceFile.createWriter(context.conf(),
        SequenceFile.Writer.stream(stream), SequenceFile.Writer.keyClass(BytesWritable.class),
        SequenceFile.Writer.valueClass(BytesWritable.class),
        SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE));
        KeyValueIterator it = reader.iterator(range.from, range.to)) {
      while (it.hasNext()) {
        KeyValuePair pair = it.next();
        key.set(pair.getKey(), 0, pair.getKey().length);
        value.set(pair.getValue(), 0, pair.getValue().length);
        writer.append(key, value);
        written++;
      }
    }
    // The writer does not close a stream it was given.
    stream.close();
    return written;
  }
}
