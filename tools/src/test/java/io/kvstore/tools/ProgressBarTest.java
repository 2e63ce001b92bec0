package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The progress bar's line, with a clock under the test's control. */
public class ProgressBarTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  public void showsBarPercentRateAndEtaForBytes() {
    AtomicLong clock = new AtomicLong(0);
    ProgressBar bar = new ProgressBar(null, "verifying", 4L << 20, ProgressBar.Unit.BYTES,
        clock::get);
    bar.update(1L << 20);
    assertEquals("verifying [########......................]  25%  1.0 MiB  512.0 KiB/s  ETA 0:06",
        bar.render(2 * SECOND));
  }

  @Test
  public void countsPairsWithoutTotal() {
    AtomicLong clock = new AtomicLong(0);
    ProgressBar bar = new ProgressBar(null, "create", -1, ProgressBar.Unit.PAIRS, clock::get);
    bar.update(25_000);
    assertEquals("create   25.0k pairs  12.5k pairs/s", bar.render(2 * SECOND));
  }

  @Test
  public void jobProgressShowsOnlyBarAndEta() {
    AtomicLong clock = new AtomicLong(0);
    ProgressBar bar = new ProgressBar(null, "clone", 1000, ProgressBar.Unit.PERMILLE, clock::get);
    bar.update(500);
    assertEquals("clone [###############...............]  50%  ETA 0:10",
        bar.render(10 * SECOND));
  }

  @Test
  public void drawsInPlaceOnTheStreamAndEndsTheLine() {
    AtomicLong clock = new AtomicLong(0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ProgressBar bar = new ProgressBar(stream, "x", 10, ProgressBar.Unit.PAIRS, clock::get)) {
      clock.set(SECOND);
      bar.update(5);
      clock.set(2 * SECOND);
      bar.update(10);
    }
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(drawn, drawn.startsWith("\rx ["));
    assertTrue(drawn, drawn.endsWith(" 100%  10 pairs  5 pairs/s\n"));
    assertEquals(drawn, 3, drawn.split("\r").length - 1);
  }

  @Test
  public void drawsNothingWithoutAStream() {
    ProgressBar bar = new ProgressBar(null, "x", 10, ProgressBar.Unit.PAIRS, () -> 0L);
    bar.update(3);
    bar.close();
    assertEquals(3, bar.done());
  }
}
