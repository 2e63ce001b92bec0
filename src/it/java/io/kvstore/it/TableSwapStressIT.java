package io.kvstore.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.KeyValueConf;
import io.kvstore.KeyValueSystem;
import io.kvstore.TableSwapStress;
import io.kvstore.TableTestSupport;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The table swap stress of the unit suite at full length: 8 threads of gets, scans and
 * ByteBuffer gets for 60 s without publishes, then 60 s while a version is published every
 * 100 ms (seconds from {@code kvstore.table.stress.seconds}, default 60). Every answer from
 * exactly one version, no error; prints the largest latencies of both phases.
 */
public class TableSwapStressIT {
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void eightThreadsForAMinuteWhileVersionsArePublishedEvery100Ms() throws Exception {
    int seconds = Integer.getInteger("kvstore.table.stress.seconds", 60);
    Configuration conf = new Configuration();
    KeyValueConf.TABLE_POLL_INTERVAL_MS.setLong(conf, 20);
    KeyValueConf.TABLE_VERSIONS_RETAINED.setLong(conf, 50);
    KeyValueConf.PARTITION_SIZE_MAX.setLong(conf, 16 * 1024);
    KeyValueSystem system = KeyValueSystem.Factory.create(conf);
    Path table = new Path(tmp.newFolder().toURI().toString() + "/table");
    Path builds = new Path(tmp.newFolder().toURI());
    system.createTable(table);
    system.publishVersion(table, TableTestSupport.writeStore(system, new Path(builds, "s1"), 1,
        TableSwapStress.KEYS));
    TableSwapStress.Result r = TableSwapStress.run(system, table, builds, 8, seconds, 100);
    System.out.printf("Table swap stress, 8 threads:%n  no publishes, %d s: %s%n"
        + "  publishing every 100 ms, %d s (%d versions, %d switches): %s%n",
        Math.min(seconds, TableSwapStress.QUIET_SECONDS_MAX), r.quiet, seconds, r.published,
        r.switches, r.swapping);
    assertEquals(r.errors.toString(), List.of(), r.errors);
    assertTrue(r.published > 0);
    assertTrue(r.switches > 0);
  }
}
