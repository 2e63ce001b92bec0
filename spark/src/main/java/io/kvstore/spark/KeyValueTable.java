package io.kvstore.spark;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A store as a readable table of {@code key} and {@code value}. */
final class KeyValueTable implements SupportsRead {
  private final Map<String, String> properties;

  KeyValueTable(Map<String, String> properties) {
    this.properties = new HashMap<>(properties);
  }

  @Override
  public String name() {
    return "kvstore:" + StoreOptions.path(properties);
  }

  @Override
  @SuppressWarnings("deprecation")
  public StructType schema() {
    return StoreOptions.readSchema(properties);
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    Map<String, String> all = new HashMap<>(properties);
    all.putAll(options.asCaseSensitiveMap());
    return new KeyValueScanBuilder(all);
  }
}
