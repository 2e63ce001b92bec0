package io.kvstore.tools;

import io.kvstore.KeyValueSystem;
import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** What a command runs with: configuration, output streams and the user's common choices. */
public final class CommandContext {
  private final Configuration conf;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;
  private final ByteCodec codec;
  private final LongSupplier clock;
  private KeyValueSystem system;

  /**
   * @param conf Hadoop configuration (generic options applied)
   * @param in standard input
   * @param out where results go
   * @param err where errors and progress go
   * @param interactive whether a person watches a terminal (progress bars are drawn)
   * @param codec how keys and values are typed and printed
   * @param clock nanosecond clock for progress rates
   */
  public CommandContext(Configuration conf, InputStream in, PrintStream out, PrintStream err,
      boolean interactive, ByteCodec codec, LongSupplier clock) {
    this.conf = conf;
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.codec = codec;
    this.clock = clock;
  }

  /** The configuration. */
  public Configuration conf() {
    return conf;
  }

  /** Standard input. */
  public InputStream in() {
    return in;
  }

  /** Standard output. */
  public PrintStream out() {
    return out;
  }

  /** Standard error. */
  public PrintStream err() {
    return err;
  }

  /** How keys and values are typed and printed. */
  public ByteCodec codec() {
    return codec;
  }

  /** The flag of the reading commands that opens stores in degraded mode. */
  static final String DEGRADED = "--degraded";

  /** Its help line. */
  static final String DEGRADED_HELP = "  --degraded       open the store even if a partition is damaged: keys it cannot\n"
      + "                   hold are served; any that it could hold fail, naming it\n";

  /**
   * Applies {@link #DEGRADED} ({@code kvstore.read.degraded}) if given; call before
   * {@link #system()}.
   */
  void readDegradedIf(Arguments args) {
    if (args.has(DEGRADED)) {
      io.kvstore.KeyValueConf.READ_DEGRADED.setBoolean(conf, true);
    }
  }

  /** The key-value system for this configuration, created on first use. */
  public KeyValueSystem system() {
    if (system == null) {
      system = KeyValueSystem.Factory.create(conf);
    }
    return system;
  }

  /** A store or file path as the user typed it, resolved against the default filesystem. */
  public Path path(String text) {
    if (text.isEmpty()) {
      throw new UsageException("empty path");
    }
    try {
      return new Path(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("invalid path '" + text + "': " + e.getMessage());
    }
  }

  /** The operations on the filesystem of {@code path}. */
  public FileOperations ops(Path path) throws IOException {
    return FileOperations.forPath(path, conf);
  }

  /** A fully qualified form of {@code path}, for messages. */
  public Path qualify(Path path) throws IOException {
    return ops(path).makeQualified(path);
  }

  /**
   * A progress bar for {@code total} units ({@code total < 0}: unknown); drawn on standard error
   * only when interactive.
   */
  public ProgressBar progress(String label, long total, ProgressBar.Unit unit) {
    return new ProgressBar(interactive ? err : null, label, total, unit, clock);
  }

  /** Whether a person watches a terminal. */
  public boolean interactive() {
    return interactive;
  }
}
