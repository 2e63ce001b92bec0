package io.kvstore.mapreduce;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.Job;
import org.junit.Test;

/**
 * The static setting helpers of both output formats: the old API ({@code JobConf}) has every
 * helper of the new API ({@code Job}), and each pair sets the same keys to the same values and
 * refuses the same out-of-range values.
 */
public final class OutputFormatSettersTest {
  /** A valid argument for a helper's value parameter. */
  private static Object validValue(Class<?> type) {
    if (type == long.class) {
      return 4096L;
    } else if (type == double.class) {
      return 0.5d;
    } else if (type == String.class) {
      return "lz4";
    } else if (type == Path.class) {
      return new Path("file:/tmp/kvstore-setters-test/store");
    }
    throw new AssertionError("no test value for " + type);
  }

  /** The settings {@code conf} holds, as key and value. */
  private static Map<String, String> settings(Configuration conf) {
    Map<String, String> all = new TreeMap<>();
    for (Map.Entry<String, String> e : conf) {
      all.put(e.getKey(), e.getValue());
    }
    return all;
  }

  /** What {@code setter} adds or changes in an empty configuration. */
  private static Map<String, String> effect(Method setter, boolean oldApi) throws Exception {
    Configuration conf;
    Object target;
    if (oldApi) {
      JobConf job = new JobConf(false);
      conf = job;
      target = job;
    } else {
      Job job = Job.getInstance(new Configuration(false));
      conf = job.getConfiguration();
      target = job;
    }
    Map<String, String> before = settings(conf);
    // A zstd level is at most 22; every other long setting takes 4096.
    setter.invoke(null, target, setter.getName().equals("setCompressionLevel") ? 5L
        : validValue(setter.getParameterTypes()[1]));
    Map<String, String> changed = settings(conf);
    changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
    return changed;
  }

  @Test
  public void theOldApiHasEveryNewApiSetterAndTheySetTheSameKeys() throws Exception {
    int compared = 0;
    for (Method newApi : KeyValueOutputFormat.class.getMethods()) {
      if (!Modifier.isStatic(newApi.getModifiers()) || !newApi.getName().startsWith("set")) {
        continue;
      }
      Class<?>[] params = newApi.getParameterTypes();
      assertEquals(newApi.toString(), Job.class, params[0]);
      Method oldApi;
      try {
        oldApi = io.kvstore.mapred.KeyValueOutputFormat.class.getMethod(newApi.getName(),
            JobConf.class, params[1]);
      } catch (NoSuchMethodException e) {
        throw new AssertionError("io.kvstore.mapred.KeyValueOutputFormat has no "
            + newApi.getName() + "(JobConf, " + params[1].getSimpleName() + ")");
      }
      Map<String, String> byNew = effect(newApi, false);
      Map<String, String> byOld = effect(oldApi, true);
      assertTrue(newApi.getName() + " sets nothing", !byNew.isEmpty());
      // The old API's setOutputPath also installs its committer, which the new API takes from
      // the output format: compare the keys both set.
      byOld.keySet().retainAll(byNew.keySet());
      assertEquals(newApi.getName(), byNew, byOld);
      compared++;
    }
    assertEquals("setOutputPath, setOutputTable and nine settings", 11, compared);
  }

  @Test
  public void bothApisRefuseAnUnknownCodec() {
    for (Runnable call : new Runnable[] {
        () -> {
          try {
            KeyValueOutputFormat.setCompression(Job.getInstance(new Configuration(false)), "gzip");
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
        },
        () -> io.kvstore.mapred.KeyValueOutputFormat.setCompression(new JobConf(false), "gzip")}) {
      try {
        call.run();
        fail("gzip accepted");
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("none, lz4, zstd"));
      }
    }
  }

  @Test
  public void bothApisRefuseTheSameOutOfRangeValues() throws Exception {
    Object[][] bad = {{"setPartitionSizeMax", 0L}, {"setKeySizeMax", -1L},
        {"setIndexLoadFactor", 0.99d}, {"setIndexBlockSize", 0L}, {"setWriteBufferSize", -1L},
        {"setCompressionLevel", 23L}, {"setCompressionDictionaryBytes", -1L}};
    for (Object[] b : bad) {
      String name = (String) b[0];
      Class<?> type = b[1] instanceof Double ? double.class : long.class;
      Object[][] calls = {
          {KeyValueOutputFormat.class.getMethod(name, Job.class, type),
              Job.getInstance(new Configuration(false))},
          {io.kvstore.mapred.KeyValueOutputFormat.class.getMethod(name, JobConf.class, type),
              new JobConf(false)}};
      for (Object[] call : calls) {
        try {
          ((Method) call[0]).invoke(null, call[1], b[1]);
          fail(call[0] + " accepted " + b[1]);
        } catch (InvocationTargetException e) {
          assertTrue(call[0] + ": " + e.getCause(),
              e.getCause() instanceof IllegalArgumentException
                  && e.getCause().getMessage().contains(" = " + b[1] + " must be in ["));
        }
      }
    }
  }
}
