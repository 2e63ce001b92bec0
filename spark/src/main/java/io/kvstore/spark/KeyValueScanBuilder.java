package io.kvstore.spark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * Plans a scan of a store. Filters on the key are pushed down and evaluated exactly by the scan
 * (Spark does not evaluate them again): {@code key = x} and {@code key IN (...)} become point
 * lookups (on the driver, with no job, for up to
 * {@link io.kvstore.KeyValueConf#SPARK_DRIVER_LOOKUP_KEYS} keys); {@code <, <=, >, >=} and {@code startsWith} (on a string key column) a range scan of
 * only the partitions whose key range meets the range. A {@code count(*)} with no filter is
 * answered from the manifest.
 */
final class KeyValueScanBuilder implements SupportsPushDownFilters, SupportsPushDownAggregates {
  private final Map<String, String> options;
  private final KeyBounds bounds = new KeyBounds();
  private Filter[] pushed = new Filter[0];
  private int countColumns = -1;

  KeyValueScanBuilder(Map<String, String> options) {
    this.options = options;
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    List<Filter> accepted = new ArrayList<>();
    List<Filter> rest = new ArrayList<>();
    for (Filter f : filters) {
      if (handles(f)) {
        apply(f);
        accepted.add(f);
      } else {
        rest.add(f);
      }
    }
    pushed = accepted.toArray(new Filter[0]);
    return rest.toArray(new Filter[0]);
  }

  @Override
  public Filter[] pushedFilters() {
    return pushed.clone();
  }

  /** Whether {@code f} is a filter on the key the scan evaluates exactly. */
  private static boolean handles(Filter f) {
    if (f instanceof And) {
      return handles(((And) f).left()) && handles(((And) f).right());
    }
    String attribute;
    Object value;
    if (f instanceof EqualTo) {
      attribute = ((EqualTo) f).attribute();
      value = ((EqualTo) f).value();
    } else if (f instanceof EqualNullSafe) {
      attribute = ((EqualNullSafe) f).attribute();
      value = ((EqualNullSafe) f).value();
    } else if (f instanceof GreaterThan) {
      attribute = ((GreaterThan) f).attribute();
      value = ((GreaterThan) f).value();
    } else if (f instanceof GreaterThanOrEqual) {
      attribute = ((GreaterThanOrEqual) f).attribute();
      value = ((GreaterThanOrEqual) f).value();
    } else if (f instanceof LessThan) {
      attribute = ((LessThan) f).attribute();
      value = ((LessThan) f).value();
    } else if (f instanceof LessThanOrEqual) {
      attribute = ((LessThanOrEqual) f).attribute();
      value = ((LessThanOrEqual) f).value();
    } else if (f instanceof StringStartsWith) {
      attribute = ((StringStartsWith) f).attribute();
      value = ((StringStartsWith) f).value();
    } else if (f instanceof In) {
      attribute = ((In) f).attribute();
      for (Object v : ((In) f).values()) {
        if (bytes(v) == null) {
          return false;
        }
      }
      value = new byte[0];
    } else {
      return false;
    }
    return StoreOptions.DEFAULT_KEY.equals(attribute) && bytes(value) != null;
  }

  private void apply(Filter f) {
    if (f instanceof And) {
      apply(((And) f).left());
      apply(((And) f).right());
    } else if (f instanceof EqualTo) {
      bounds.restrictTo(List.of(bytes(((EqualTo) f).value())));
    } else if (f instanceof EqualNullSafe) {
      bounds.restrictTo(List.of(bytes(((EqualNullSafe) f).value())));
    } else if (f instanceof GreaterThan) {
      bounds.restrictLower(bytes(((GreaterThan) f).value()), false);
    } else if (f instanceof GreaterThanOrEqual) {
      bounds.restrictLower(bytes(((GreaterThanOrEqual) f).value()), true);
    } else if (f instanceof LessThan) {
      bounds.restrictUpper(bytes(((LessThan) f).value()), false);
    } else if (f instanceof LessThanOrEqual) {
      bounds.restrictUpper(bytes(((LessThanOrEqual) f).value()), true);
    } else if (f instanceof StringStartsWith) {
      bounds.restrictPrefix(bytes(((StringStartsWith) f).value()));
    } else if (f instanceof In) {
      List<byte[]> keys = new ArrayList<>();
      for (Object v : ((In) f).values()) {
        keys.add(bytes(v));
      }
      bounds.restrictTo(keys);
    }
  }

  /** The bytes a filter value stands for, or null for a value the scan cannot compare. */
  private static byte[] bytes(Object value) {
    if (value instanceof byte[]) {
      return (byte[]) value;
    }
    if (value instanceof String) {
      return ((String) value).getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    if (pushed.length > 0 || aggregation.groupByExpressions().length > 0) {
      return false;
    }
    for (AggregateFunc f : aggregation.aggregateExpressions()) {
      boolean countAll = f instanceof CountStar;
      // key and value are never null: counting either counts the pairs.
      boolean countColumn = f instanceof Count && !((Count) f).isDistinct()
          && ((Count) f).column() instanceof NamedReference;
      if (!countAll && !countColumn) {
        return false;
      }
    }
    countColumns = aggregation.aggregateExpressions().length;
    return true;
  }

  @Override
  public boolean supportCompletePushDown(Aggregation aggregation) {
    return pushAggregation(aggregation);
  }

  @Override
  public Scan build() {
    KeyValueScan scan = new KeyValueScan(options, bounds, pushed, countColumns);
    return scan.answersOnDriver() ? new KeyValueScan.OnDriver(scan) : scan;
  }
}
