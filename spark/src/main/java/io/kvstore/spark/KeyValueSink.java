package io.kvstore.spark;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The DataSource V2 write of a store, which {@link KeyValueDataSource} runs (as an append into
 * an absent path) once it has applied the save mode: Spark's {@code DataFrameWriter} offers a
 * V2 {@code TableProvider} only the modes append and overwrite, while a store needs
 * {@code errorifexists} and {@code ignore}, so the registered source takes the save through the
 * V1 entry point and hands the rows to this sink. Not meant to be named by users.
 */
public final class KeyValueSink implements TableProvider {
  /** Creates the sink; Spark instantiates it by class name. */
  public KeyValueSink() {}

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    throw new UnsupportedOperationException("kvstore: " + KeyValueSink.class.getName()
        + " only writes; read a store with format(\"kvstore\")");
  }

  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning,
      Map<String, String> properties) {
    return new SinkTable(schema, properties);
  }

  /** The store being written, as a table that accepts one batch write. */
  private static final class SinkTable implements SupportsWrite {
    private final StructType schema;
    private final Map<String, String> properties;

    SinkTable(StructType schema, Map<String, String> properties) {
      this.schema = schema;
      this.properties = properties;
    }

    @Override
    public String name() {
      return "kvstore:" + StoreOptions.path(properties);
    }

    @Override
    @SuppressWarnings("deprecation")
    public StructType schema() {
      return schema;
    }

    @Override
    public Set<TableCapability> capabilities() {
      return EnumSet.of(TableCapability.BATCH_WRITE);
    }

    @Override
    public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
      return new WriteBuilder() {
        @Override
        public org.apache.spark.sql.connector.write.Write build() {
          return new KeyValueWrite(info);
        }
      };
    }
  }
}
