package io.kvstore.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kvstore.PartitionInfo;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** {@code kvstore info STORE [--json]}: what the manifest says about a store. */
final class InfoCommand implements Command {
  @Override
  public String name() {
    return "info";
  }

  @Override
  public String synopsis() {
    return "STORE [--json]";
  }

  @Override
  public String summary() {
    return "show a store's format, routing, partitions and sizes";
  }

  @Override
  public String help() {
    return "Reads only the manifest: format version, creation time, routing (key ranges, or the\n"
        + "partitioner's buckets), properties, and every partition with its key count, size,\n"
        + "CRC32C, bucket, first and last key; then the totals. 'verify' checks the data itself.\n\n"
        + "  --json   one JSON object (keys in the chosen encoding: text, hex or base64)\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().flag("--json");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    Path store = context.qualify(context.path(args.positional(1, 1).get(0)));
    FileOperations ops = context.ops(store);
    StoreLayout.requireComplete(ops, store);
    StoreManifest manifest = StoreManifest.read(ops, store);
    if (args.has("--json")) {
      context.out().println(json(store, manifest, context.codec()));
    } else {
      text(context.out(), store, manifest, context.codec());
    }
    return 0;
  }

  private static void text(PrintStream out, Path store, StoreManifest m, ByteCodec codec) {
    out.println("store:       " + store);
    out.println("format:      kvstore manifest version " + StoreManifest.FORMAT_VERSION);
    out.println("created:     " + Instant.ofEpochMilli(m.getCreatedMillis()));
    out.println("routing:     " + m.getRouting());
    for (Map.Entry<String, String> e : m.getProperties().entrySet()) {
      out.println("property:    " + e.getKey() + " = " + e.getValue());
    }
    out.println("pairs:       " + m.getKeyCount());
    out.println("partitions:  " + m.getPartitions().size());
    out.println("total size:  " + Sizes.bytes(m.getSizeBytes()) + " (" + m.getSizeBytes()
        + " bytes)");
    List<PartitionInfo> parts = m.getPartitions();
    if (parts.isEmpty()) {
      return;
    }
    int nameWidth = "file".length();
    for (PartitionInfo p : parts) {
      nameWidth = Math.max(nameWidth, p.getFileName().length());
    }
    boolean buckets = m.getRouting().isByBucket();
    String header = String.format(Locale.ROOT, "%n%-" + nameWidth + "s %10s %10s  %-8s %s",
        "file", "pairs", "size", "crc32c", buckets ? "bucket  first key .. last key"
            : "first key .. last key");
    out.println(header);
    for (PartitionInfo p : parts) {
      out.println(String.format(Locale.ROOT, "%-" + nameWidth + "s %10d %10s  %08x %s%s .. %s",
          p.getFileName(), p.getKeyCount(), Sizes.bytes(p.getSizeBytes()), p.getChecksum(),
          buckets ? String.format(Locale.ROOT, "%6d  ", p.getBucket()) : "",
          shortKey(codec, p.getFirstKey()), shortKey(codec, p.getLastKey())));
    }
  }

  /** A key for the table, cut so one partition stays on one line. */
  private static String shortKey(ByteCodec codec, byte[] key) {
    String s = codec.display(key);
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** The manifest as one JSON object on one line, written with Jackson (shipped by Hadoop). */
  private static String json(Path store, StoreManifest m, ByteCodec codec) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator w = new JsonFactory().createGenerator(text)) {
      w.writeStartObject();
      w.writeStringField("store", store.toString());
      w.writeNumberField("formatVersion", StoreManifest.FORMAT_VERSION);
      w.writeNumberField("createdMillis", m.getCreatedMillis());
      w.writeObjectFieldStart("routing");
      w.writeStringField("kind", m.getRouting().isByBucket() ? "bucket" : "range");
      if (m.getRouting().isByBucket()) {
        w.writeStringField("function", m.getRouting().function().name());
        w.writeNumberField("seed", m.getRouting().seed());
        w.writeNumberField("buckets", m.getRouting().bucketCount());
      }
      w.writeEndObject();
      w.writeObjectFieldStart("properties");
      for (Map.Entry<String, String> e : m.getProperties().entrySet()) {
        w.writeStringField(e.getKey(), e.getValue());
      }
      w.writeEndObject();
      w.writeStringField("keyEncoding", codec.name().toLowerCase(Locale.ROOT));
      w.writeNumberField("pairs", m.getKeyCount());
      w.writeNumberField("sizeBytes", m.getSizeBytes());
      w.writeArrayFieldStart("partitions");
      for (PartitionInfo p : m.getPartitions()) {
        w.writeStartObject();
        w.writeStringField("file", p.getFileName());
        w.writeNumberField("pairs", p.getKeyCount());
        w.writeNumberField("sizeBytes", p.getSizeBytes());
        w.writeStringField("crc32c", String.format(Locale.ROOT, "%08x", p.getChecksum()));
        w.writeNumberField("bucket", p.getBucket());
        w.writeStringField("firstKey", codec.encode(p.getFirstKey()));
        w.writeStringField("lastKey", codec.encode(p.getLastKey()));
        w.writeEndObject();
      }
      w.writeEndArray();
      w.writeEndObject();
    }
    return text.toString();
  }
}
