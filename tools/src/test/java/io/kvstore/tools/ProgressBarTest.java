package io.kvstore.tools;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
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

  /**
   * What a terminal shows after {@code drawn}: a carriage return moves to the start of the line
   * and the following characters overwrite what stood there.
   */
  private static String screen(String drawn) {
    StringBuilder lines = new StringBuilder();
    StringBuilder line = new StringBuilder();
    int column = 0;
    for (char c : drawn.toCharArray()) {
      if (c == '\r') {
        column = 0;
      } else if (c == '\n') {
        lines.append(line).append('\n');
        line.setLength(0);
        column = 0;
      } else {
        if (column < line.length()) {
          line.setCharAt(column, c);
        } else {
          line.append(c);
        }
        column++;
      }
    }
    return lines.append(line).toString();
  }

  @Test
  public void terminalShowsTheLineAtEachRedrawAndKeepsTheLast() {
    AtomicLong clock = new AtomicLong(0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(stream, "x", 10, ProgressBar.Unit.PAIRS, clock::get);
    clock.set(SECOND / 10);
    bar.update(1);
    assertEquals("no redraw within 200 ms of the start", "",
        bytes.toString(StandardCharsets.UTF_8));

    clock.set(SECOND);
    bar.update(5);
    String half = "x [###############...............]  50%  5 pairs  5 pairs/s  ETA 0:01";
    assertEquals("\r" + half, bytes.toString(StandardCharsets.UTF_8));

    clock.set(SECOND + SECOND / 10);
    bar.advance(1);
    assertEquals("no redraw within 200 ms of the last", "\r" + half,
        bytes.toString(StandardCharsets.UTF_8));
    assertEquals(6, bar.done());

    clock.set(2 * SECOND);
    bar.advance(4);
    String full = "x [##############################] 100%  10 pairs  5 pairs/s";
    // The shorter line is padded so that no character of the longer one stays on the screen.
    String padding = " ".repeat(half.length() - full.length());
    assertEquals("\r" + half + "\r" + full + padding, bytes.toString(StandardCharsets.UTF_8));
    assertEquals(full + padding, screen(bytes.toString(StandardCharsets.UTF_8)));

    bar.close();
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("\r" + half + "\r" + full + padding + "\r" + full + "\n", drawn);
    assertEquals(full + padding + "\n", screen(drawn));
  }

  @Test
  public void notATerminalShowsNothing() {
    for (boolean interactive : new boolean[] {false, true}) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      AtomicLong clock = new AtomicLong(0);
      CommandContext context = new CommandContext(new Configuration(),
          new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8), interactive, ByteCodec.TEXT,
          clock::get);
      try (ProgressBar bar = context.progress("x", 10, ProgressBar.Unit.PAIRS)) {
        clock.set(SECOND);
        bar.update(5);
        clock.set(2 * SECOND);
        bar.update(10);
        assertEquals(10, bar.done());
      }
      String shown = err.toString(StandardCharsets.UTF_8);
      if (interactive) {
        assertEquals("x [##############################] 100%  10 pairs  5 pairs/s",
            screen(shown).stripTrailing());
        assertEquals('\n', shown.charAt(shown.length() - 1));
      } else {
        assertEquals("", shown);
      }
    }
  }
}
