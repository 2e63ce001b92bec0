package io.kvstore.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class ReportTest {

  @Test
  public void medianOfOddAndEvenCounts() {
    assertEquals(2.0, Measurement.median(new double[] {3, 1, 2}), 0);
    assertEquals(2.5, Measurement.median(new double[] {4, 1, 3, 2}), 0);
  }

  @Test
  public void tableHasMediansAndRatios() {
    Report r = new Report();
    r.add(new Measurement(Workload.BUILD, "d", "", KvstoreSystem.NAME, new double[] {200, 210, 190}));
    r.add(new Measurement(Workload.BUILD, "d", "", MapFileSystem.NAME, new double[] {100}));
    r.add(new Measurement(Workload.BUILD, "d", "", "raw write", new double[] {400}));
    String md = r.toMarkdown();
    assertTrue(md, md.contains("| d | - | 200 | 100 | 400 | 2.00x | 0.50x |"));
  }

  @Test
  public void sharedReferenceAppliesToEveryVariant() {
    Report r = new Report();
    r.add(new Measurement(Workload.SCAN, "d", "a", KvstoreSystem.NAME, new double[] {50}));
    r.add(new Measurement(Workload.SCAN, "d", "b", KvstoreSystem.NAME, new double[] {80}));
    r.add(new Measurement(Workload.SCAN, "d", "", "raw sequential read", new double[] {100}));
    assertEquals(100, r.median(Workload.SCAN, "d", "a", "raw sequential read"), 0);
    String md = r.toMarkdown();
    assertTrue(md, md.contains("| d | a | 50.00 | 100 | 0.50x |"));
    assertTrue(md, md.contains("| d | b | 80.00 | 100 | 0.80x |"));
  }

  @Test
  public void kvstoreFigureStandsOnlyForItsOwnVariant() {
    Report r = new Report();
    r.add(new Measurement(Workload.SCAN, "d", "", KvstoreSystem.NAME, new double[] {90}));
    r.add(new Measurement(Workload.SCAN, "d", "", "raw sequential read", new double[] {100}));
    assertEquals(90, r.median(Workload.SCAN, "d", "", KvstoreSystem.NAME), 0);
    assertTrue(Double.isNaN(r.median(Workload.SCAN, "d", ScanWorkload.ITERATOR,
        KvstoreSystem.NAME)));
    assertEquals(100, r.median(Workload.SCAN, "d", ScanWorkload.ITERATOR, "raw sequential read"),
        0);
  }

  @Test
  public void jsonHoldsSamplesAndEscapes() {
    Report r = new Report();
    r.add(new Measurement(Workload.MEMORY, "d\"x", "", KvstoreSystem.NAME, new double[] {1.5}));
    String json = r.toJson(Map.of("cpu", "a\\b"));
    assertTrue(json, json.contains("\"dataset\": \"d\\\"x\""));
    assertTrue(json, json.contains("\"samples\": [1.5]"));
    assertTrue(json, json.contains("\"cpu\": \"a\\\\b\""));
  }

  @Test
  public void barsReportUnmeasuredAsSuch() {
    Report r = new Report();
    r.add(new Measurement(Workload.MEMORY, "d", "", KvstoreSystem.NAME, new double[] {12}));
    String all = String.join("\n", Bars.evaluate(r, java.util.List.of("d"), "d", "d", "d", "d"));
    assertTrue(all, all.contains("heap per key d: <= 16 bytes: **MET**"));
    assertTrue(all, all.contains(
        "build d: >= 0.8x raw write and ahead of every peer: **NOT MEASURED**"));
  }
}
