package io.kvstore.tools;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar with rate and ETA, redrawn in place on a terminal at most five times
 * a second. Without a stream it only counts, so piped output stays clean.
 */
public final class ProgressBar implements AutoCloseable {
  /** What the bar counts. */
  public enum Unit {
    /** Bytes: shown with binary prefixes, rate in bytes per second. */
    BYTES,
    /** Pairs: shown as a count, rate in pairs per second. */
    PAIRS,
    /** Thousandths of a job: only the bar, percentage and ETA. */
    PERMILLE
  }

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final PrintStream stream;
  private final String label;
  private final long total;
  private final Unit unit;
  private final LongSupplier clock;
  private final long startNanos;
  private long done;
  private long lastDrawNanos;
  private int lastLineLength;

  /**
   * @param stream where to draw, or null to draw nothing
   * @param label what is progressing
   * @param total units of work, negative if unknown
   * @param unit what is counted
   * @param clock nanosecond clock
   */
  public ProgressBar(PrintStream stream, String label, long total, Unit unit,
      LongSupplier clock) {
    this.stream = stream;
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.lastDrawNanos = startNanos;
  }

  /** Records that {@code units} more are done; redraws if due. */
  public void advance(long units) {
    update(done + units);
  }

  /** Records that {@code units} in all are done; redraws if due. */
  public void update(long units) {
    done = units;
    if (stream == null) {
      return;
    }
    long now = clock.getAsLong();
    if (now - lastDrawNanos >= REDRAW_NANOS) {
      lastDrawNanos = now;
      draw(now);
    }
  }

  /** Units done so far. */
  public long done() {
    return done;
  }

  /** The line as it would be drawn now. */
  String render(long nowNanos) {
    double seconds = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
    double rate = done / seconds;
    StringBuilder sb = new StringBuilder(96).append(label).append(' ');
    if (total > 0) {
      double fraction = Math.min(1.0, (double) done / total);
      int filled = (int) Math.round(fraction * WIDTH);
      sb.append('[');
      for (int i = 0; i < WIDTH; i++) {
        sb.append(i < filled ? '#' : '.');
      }
      sb.append("] ").append(String.format(java.util.Locale.ROOT, "%3.0f%%", fraction * 100));
    }
    if (unit == Unit.BYTES) {
      sb.append("  ").append(Sizes.bytes(done)).append("  ").append(Sizes.bytes(rate)).append("/s");
    } else if (unit == Unit.PAIRS) {
      sb.append("  ").append(Sizes.count(done)).append(" pairs  ").append(Sizes.count(rate))
          .append(" pairs/s");
    }
    if (total > 0 && rate > 0 && done < total) {
      sb.append("  ETA ").append(Sizes.duration((long) Math.ceil((total - done) / rate)));
    }
    return sb.toString();
  }

  private void draw(long now) {
    String line = render(now);
    StringBuilder sb = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastLineLength; i++) {
      sb.append(' ');
    }
    lastLineLength = line.length();
    stream.print(sb);
    stream.flush();
  }

  /** Draws the final state and ends the line. */
  @Override
  public void close() {
    if (stream != null) {
      draw(clock.getAsLong());
      stream.println();
      stream.flush();
    }
  }
}
