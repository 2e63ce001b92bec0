package io.kvstore.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.PrunedFilteredScan;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.StructType;

/**
 * A store as a V1 relation, for the one path that still asks for one: a catalog table
 * ({@code CREATE TABLE ... USING kvstore}) read by Spark 3.5, whose session catalog does not
 * resolve tables through a V2 {@code TableProvider} (Spark 4 does, and never gets here). It runs
 * the V2 read ({@link KeyValueTable}) with the filters Spark offers applied to it, so they are
 * pushed down there; Spark evaluates them again on the result (V1 contract).
 */
final class KeyValueRelation extends BaseRelation implements PrunedFilteredScan {
  private final SQLContext sqlContext;
  private final Map<String, String> options;

  KeyValueRelation(SQLContext sqlContext, Map<String, String> options) {
    this.sqlContext = sqlContext;
    this.options = options;
  }

  @Override
  public SQLContext sqlContext() {
    return sqlContext;
  }

  @Override
  public StructType schema() {
    return StoreOptions.readSchema(options);
  }

  @Override
  public RDD<Row> buildScan(String[] requiredColumns, Filter[] filters) {
    Dataset<Row> df = sqlContext.sparkSession().read().format(KeyValueDataSource.SHORT_NAME)
        .options(options).load();
    for (Filter f : filters) {
      Column c = column(f);
      if (c != null) {
        df = df.where(c);
      }
    }
    List<Column> columns = new ArrayList<>();
    for (String name : requiredColumns) {
      columns.add(df.col(name));
    }
    return df.select(columns.toArray(new Column[0])).rdd();
  }

  /** The V1 filter as a column expression, or null for one the V2 scan does not push down. */
  private static Column column(Filter f) {
    if (f instanceof And) {
      Column left = column(((And) f).left());
      Column right = column(((And) f).right());
      return left == null ? right : right == null ? left : left.and(right);
    }
    if (f instanceof EqualTo) {
      return functions.col(((EqualTo) f).attribute()).equalTo(functions.lit(((EqualTo) f).value()));
    }
    if (f instanceof EqualNullSafe) {
      return functions.col(((EqualNullSafe) f).attribute())
          .eqNullSafe(functions.lit(((EqualNullSafe) f).value()));
    }
    if (f instanceof GreaterThan) {
      return functions.col(((GreaterThan) f).attribute())
          .gt(functions.lit(((GreaterThan) f).value()));
    }
    if (f instanceof GreaterThanOrEqual) {
      return functions.col(((GreaterThanOrEqual) f).attribute())
          .geq(functions.lit(((GreaterThanOrEqual) f).value()));
    }
    if (f instanceof LessThan) {
      return functions.col(((LessThan) f).attribute()).lt(functions.lit(((LessThan) f).value()));
    }
    if (f instanceof LessThanOrEqual) {
      return functions.col(((LessThanOrEqual) f).attribute())
          .leq(functions.lit(((LessThanOrEqual) f).value()));
    }
    if (f instanceof In) {
      return functions.col(((In) f).attribute()).isin(((In) f).values());
    }
    if (f instanceof StringStartsWith) {
      return functions.col(((StringStartsWith) f).attribute())
          .startsWith(((StringStartsWith) f).value());
    }
    return null;
  }
}
