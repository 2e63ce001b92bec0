package io.kvstore.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One unit of a store scan: a range scan of one partition file, point lookups of keys routed to
 * one partition, or the pushed-down count.
 */
final class KeyValueInputPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  /** The kind of work. */
  enum Kind {
    RANGE, POINTS, COUNT
  }

  final Kind kind;
  final String fileName;
  final KeyBounds range;
  final List<byte[]> keys;
  final long count;
  final int countColumns;
  private final String[] hosts;

  private KeyValueInputPartition(Kind kind, String fileName, KeyBounds range, List<byte[]> keys,
      long count, int countColumns, String[] hosts) {
    this.kind = kind;
    this.fileName = fileName;
    this.range = range;
    this.keys = keys;
    this.count = count;
    this.countColumns = countColumns;
    this.hosts = hosts;
  }

  static KeyValueInputPartition range(String fileName, KeyBounds range, String[] hosts) {
    return new KeyValueInputPartition(Kind.RANGE, fileName, range, null, 0, 0, hosts);
  }

  static KeyValueInputPartition points(String fileName, List<byte[]> keys, String[] hosts) {
    return new KeyValueInputPartition(Kind.POINTS, fileName, null, keys, 0, 0, hosts);
  }

  static KeyValueInputPartition count(long count, int columns) {
    return new KeyValueInputPartition(Kind.COUNT, null, null, null, count, columns,
        new String[0]);
  }

  @Override
  public String[] preferredLocations() {
    return hosts.clone();
  }

  @Override
  public String toString() {
    switch (kind) {
      case RANGE:
        return fileName + " " + range;
      case POINTS:
        return fileName + " " + keys.size() + " keys";
      default:
        return "count " + count;
    }
  }
}
