package io.kvstore.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/**
 * A bar is judged only on figures that were all measured: every case in which a bar used to read
 * MET (or disappear) without them.
 */
public class BarsTest {
  private static final String BUILD = "1. build d: >= 0.8x raw write and ahead of every peer";

  private static void add(Report r, Workload w, String variant, String system, double median) {
    r.add(new Measurement(w, "d", variant, system, new double[] {median}));
  }

  /** Kvstore at 200 MB/s against raw write at 220 and the peers at 100, 150 and 120. */
  private static Report build() {
    Report r = new Report();
    add(r, Workload.BUILD, "", KvstoreSystem.NAME, 200);
    add(r, Workload.BUILD, "", Workload.BUILD.reference(), 220);
    add(r, Workload.BUILD, "", MapFileSystem.NAME, 100);
    add(r, Workload.BUILD, "", PalDbSystem.NAME, 150);
    add(r, Workload.BUILD, "", SparkeySystem.NAME, 120);
    return r;
  }

  private static String bar(Report r, String prefix) {
    String found = null;
    for (String line : Bars.evaluate(r, List.of("d"), "d", "d", "d", "d")) {
      if (line.startsWith("- " + prefix)) {
        assertTrue("two lines for " + prefix, found == null);
        found = line;
      }
    }
    assertTrue("no line for " + prefix, found != null);
    return found;
  }

  @Test
  public void buildBarIsJudgedWhenEveryPeerRan() {
    assertEquals("- " + BUILD + ": **MET** (0.91x raw write, 1.33x best peer)",
        bar(build(), BUILD));
    Report behind = new Report();
    for (Measurement m : build().measurements()) {
      behind.add(m.system().equals(PalDbSystem.NAME)
          ? new Measurement(Workload.BUILD, "d", "", PalDbSystem.NAME, new double[] {250}) : m);
    }
    assertEquals("- " + BUILD + ": **NOT MET** (0.91x raw write, 0.80x best peer)",
        bar(behind, BUILD));
  }

  @Test
  public void buildBarIsNotMeasuredWhenAPeerDidNotRun() {
    Report r = new Report();
    for (Measurement m : build().measurements()) {
      if (!m.system().equals(SparkeySystem.NAME)) {
        r.add(m);
      }
    }
    assertEquals("- " + BUILD + ": **NOT MEASURED** (not measured: Sparkey (build))",
        bar(r, BUILD));
  }

  @Test
  public void infiniteRatioDoesNotPass() {
    Report r = new Report();
    for (Measurement m : build().measurements()) {
      r.add(m.system().equals(Workload.BUILD.reference())
          ? new Measurement(Workload.BUILD, "d", "", m.system(), new double[] {0}) : m);
    }
    assertEquals("- " + BUILD + ": **NOT MEASURED** (not measured: raw write (build))",
        bar(r, BUILD));
  }

  @Test
  public void kvstoreFigureOfAnotherVariantDoesNotMeetTheScanBar() {
    Report r = new Report();
    add(r, Workload.SCAN, "", KvstoreSystem.NAME, 95);
    add(r, Workload.SCAN, "", Workload.SCAN.reference(), 100);
    String line = bar(r, "4. scan d through " + ScanWorkload.ITERATOR);
    assertTrue(line, line.contains("**NOT MEASURED** (not measured: kvstore (scan, "
        + ScanWorkload.ITERATOR + "))"));
    add(r, Workload.SCAN, ScanWorkload.ITERATOR, KvstoreSystem.NAME, 85);
    line = bar(r, "4. scan d through " + ScanWorkload.ITERATOR);
    assertTrue(line, line.contains("**MET** (0.85x raw)"));
  }

  @Test
  public void mapReduceBarReadsNotMeasuredWhenTheJobsDidNotRun() {
    String line = bar(new Report(), "6. CloneStoreMapReduce");
    assertTrue(line, line.contains("**NOT MEASURED**"));
    List<String> none = Bars.evaluate(new Report(), List.of("d"), "d", "d", null, "d");
    assertTrue(none.toString(), none.contains("- 6. CloneStoreMapReduce (not run): <= 1.25x"
        + " identity job: **NOT MEASURED** (not measured: kvstore (mapreduce, 1 reducer),"
        + " identity SequenceFile job (mapreduce, 1 reducer))"));
  }

  @Test
  public void mapReduceBarIsNotMeasuredWithoutTheIdentityJob() {
    Report r = new Report();
    add(r, Workload.MAPREDUCE, MapReduceWorkload.VARIANT, KvstoreSystem.NAME, 10);
    String line = bar(r, "6. CloneStoreMapReduce");
    assertTrue(line, line.contains("**NOT MEASURED** (not measured: identity SequenceFile job"));
    add(r, Workload.MAPREDUCE, MapReduceWorkload.VARIANT, Workload.MAPREDUCE.reference(), 9);
    line = bar(r, "6. CloneStoreMapReduce");
    assertTrue(line, line.contains("**MET** (1.11x identity job)"));
  }

  @Test
  public void lookupBarNeedsBothThreadCountsOfEveryPeer() {
    Report r = new Report();
    for (String t : List.of("1 thread", "2 threads")) {
      double scale = t.startsWith("1") ? 1 : 2;
      add(r, Workload.LOOKUP_PRESENT, t, KvstoreSystem.NAME, 1000 * scale);
      add(r, Workload.LOOKUP_PRESENT, t, PalDbSystem.NAME, 500 * scale);
      add(r, Workload.LOOKUP_PRESENT, t, SparkeySystem.NAME, 400 * scale);
    }
    add(r, Workload.LOOKUP_PRESENT, "1 thread", MapFileSystem.NAME, 10);
    String line = bar(r, "2. present lookups d");
    assertTrue(line, line.contains("**NOT MEASURED** (not measured: MapFile (lookup_present,"
        + " 2 threads))"));
    add(r, Workload.LOOKUP_PRESENT, "2 threads", MapFileSystem.NAME, 20);
    line = bar(r, "2. present lookups d");
    assertTrue(line, line.contains("**MET**"));
  }
}
