package io.kvstore.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.PartitionInfo;
import io.kvstore.format.Compression;
import io.kvstore.format.PartitionDetails;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;

/**
 * {@code kvstore stats STORE [--json]}: key and value size distributions, pairs per partition,
 * bytes per pair and compression, read from every pair (as {@code hbase hfile -s} does).
 */
final class StatsCommand implements Command {
  @Override
  public String name() {
    return "stats";
  }

  @Override
  public String synopsis() {
    return "STORE [--json]";
  }

  @Override
  public String summary() {
    return "key and value size distributions, pairs per partition, bytes per pair";
  }

  @Override
  public String help() {
    return "Reads every pair once and prints: pairs, partitions and pairs per partition (min,\n"
        + "median, max), store bytes and bytes per pair (store size over pairs: records,\n"
        + "indexes and footers included; and the key and value bytes alone), the partitions'\n"
        + "value codecs with the ratio of key and value bytes to stored record bytes and the\n"
        + "dictionaries' bytes (from each partition's footer), and the distributions of key and\n"
        + "value sizes:\n"
        + "min, mean, max and a count per power-of-two size range.\n\n"
        + "  --json   one JSON object\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().flag("--json");
  }

  /** Sizes seen: exact min, max and total, and a count per range [2^(i-1), 2^i) (0 alone). */
  static final class Distribution {
    long count;
    long total;
    long min = Long.MAX_VALUE;
    long max;
    final long[] buckets = new long[65];

    void add(long size) {
      count++;
      total += size;
      min = Math.min(min, size);
      max = Math.max(max, size);
      buckets[64 - Long.numberOfLeadingZeros(size)]++;
    }

    double mean() {
      return count == 0 ? 0 : (double) total / count;
    }

    /** The label of bucket {@code i}: "0", "1", "2-3", "4-7", ... */
    static String range(int i) {
      if (i <= 1) {
        return Integer.toString(i);
      }
      long low = 1L << (i - 1);
      return low + "-" + (i == 64 ? Long.MAX_VALUE : (low << 1) - 1);
    }
  }

  /**
   * The codecs of the store's partitions and, when any is compressed, the ratio of the bytes of
   * keys and values to the bytes of records stored and the bytes of dictionaries, read from each
   * partition's footer and compression section (as {@code info} reads them); "none" when no
   * partition is compressed. Partitions of format version 1 count as "none" and, as they do not
   * record their pair bytes, are left out of the ratio.
   */
  static String compression(FileOperations ops, Path store, StoreManifest manifest)
      throws IOException {
    TreeSet<String> codecs = new TreeSet<>();
    long pairBytes = 0;
    long storedBytes = 0;
    long dictionaryBytes = 0;
    for (PartitionInfo p : manifest.getPartitions()) {
      PartitionDetails d = PartitionDetails.read(ops, new Path(store, p.getFileName()));
      codecs.add(d.codec().settingName());
      if (d.pairBytes() >= 0) {
        pairBytes += d.pairBytes();
        storedBytes += d.dataBytes();
        dictionaryBytes += d.dictionaryBytes();
      }
    }
    codecs.remove(Compression.Codec.NONE.settingName());
    if (codecs.isEmpty()) {
      return "none";
    }
    return String.join("+", codecs) + String.format(Locale.ROOT, " (%.2fx: %d bytes of keys and"
        + " values in %d bytes of records; dictionaries %d bytes)",
        storedBytes == 0 ? 1.0 : (double) pairBytes / storedBytes, pairBytes, storedBytes,
        dictionaryBytes);
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path store = context.qualify(context.path(args.positional(1, 1).get(0)));
    Distribution keys = new Distribution();
    Distribution values = new Distribution();
    StoreManifest manifest;
    try (KeyValueStoreReader reader = context.system().openStore(store)) {
      manifest = StoreManifest.read(context.ops(store), store);
      try (ProgressBar bar = context.progress("reading", reader.size(), ProgressBar.Unit.PAIRS);
          KeyValueIterator it = reader.iterator()) {
        while (it.hasNext()) {
          KeyValuePair pair = it.next();
          keys.add(pair.getKey().length);
          values.add(pair.getValue().length);
          bar.advance(1);
        }
      }
    }
    List<PartitionInfo> parts = manifest.getPartitions();
    long[] perPartition = new long[parts.size()];
    for (int i = 0; i < perPartition.length; i++) {
      perPartition[i] = parts.get(i).getKeyCount();
    }
    Arrays.sort(perPartition);
    String compression = compression(context.ops(store), store, manifest);
    if (args.has("--json")) {
      context.out().println(json(store, manifest, perPartition, keys, values, compression));
    } else {
      text(context.out(), store, manifest, perPartition, keys, values, compression);
    }
    return 0;
  }

  private static long median(long[] sorted) {
    return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
  }

  private static void text(PrintStream out, Path store, StoreManifest m, long[] perPartition,
      Distribution keys, Distribution values, String compression) {
    long pairs = keys.count;
    out.println("store:           " + store);
    out.println("pairs:           " + pairs);
    out.print("partitions:      " + perPartition.length);
    if (perPartition.length > 0) {
      out.print(" (pairs per partition: min " + perPartition[0] + ", median "
          + median(perPartition) + ", max " + perPartition[perPartition.length - 1] + ")");
    }
    out.println();
    out.println("store bytes:     " + Sizes.bytes(m.getSizeBytes()) + " (" + m.getSizeBytes()
        + " bytes)");
    if (pairs > 0) {
      out.println(String.format(Locale.ROOT, "bytes per pair:  %.1f stored; %.1f of key and"
          + " value", (double) m.getSizeBytes() / pairs, keys.mean() + values.mean()));
    }
    out.println("compression:     " + compression);
    distribution(out, "key size", keys);
    distribution(out, "value size", values);
  }

  private static void distribution(PrintStream out, String what, Distribution d) {
    out.println();
    if (d.count == 0) {
      out.println(what + ": no pairs");
      return;
    }
    out.println(String.format(Locale.ROOT, "%s (bytes): min %d, mean %.1f, max %d", what, d.min,
        d.mean(), d.max));
    for (int i = 0; i < d.buckets.length; i++) {
      if (d.buckets[i] > 0) {
        out.println(String.format(Locale.ROOT, "  %21s %12d  %5.1f%%", Distribution.range(i),
            d.buckets[i], 100.0 * d.buckets[i] / d.count));
      }
    }
  }

  private static String json(Path store, StoreManifest m, long[] perPartition, Distribution keys,
      Distribution values, String compression) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator w = new JsonFactory().createGenerator(text)) {
      w.writeStartObject();
      w.writeStringField("store", store.toString());
      w.writeNumberField("pairs", keys.count);
      w.writeNumberField("partitions", perPartition.length);
      w.writeObjectFieldStart("pairsPerPartition");
      w.writeNumberField("min", perPartition.length == 0 ? 0 : perPartition[0]);
      w.writeNumberField("median", median(perPartition));
      w.writeNumberField("max", perPartition.length == 0 ? 0
          : perPartition[perPartition.length - 1]);
      w.writeEndObject();
      w.writeNumberField("sizeBytes", m.getSizeBytes());
      w.writeNumberField("bytesPerPair", keys.count == 0 ? 0
          : (double) m.getSizeBytes() / keys.count);
      w.writeStringField("compression", compression);
      jsonDistribution(w, "keySize", keys);
      jsonDistribution(w, "valueSize", values);
      w.writeEndObject();
    }
    return text.toString();
  }

  private static void jsonDistribution(JsonGenerator w, String name, Distribution d)
      throws IOException {
    w.writeObjectFieldStart(name);
    w.writeNumberField("min", d.count == 0 ? 0 : d.min);
    w.writeNumberField("mean", d.mean());
    w.writeNumberField("max", d.max);
    w.writeNumberField("totalBytes", d.total);
    w.writeArrayFieldStart("histogram");
    for (int i = 0; i < d.buckets.length; i++) {
      if (d.buckets[i] > 0) {
        w.writeStartObject();
        w.writeStringField("bytes", Distribution.range(i));
        w.writeNumberField("pairs", d.buckets[i]);
        w.writeEndObject();
      }
    }
    w.writeEndArray();
    w.writeEndObject();
  }
}
