package io.kvstore.tools;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * The {@code kvstore} command-line tool. A Hadoop {@link Tool}: generic options ({@code -D k=v},
 * {@code -conf FILE}, {@code -fs URI}) go before the command name. Exit status: 0 success,
 * 1 failure or negative answer (not found, differs, corrupt), 2 usage error.
 */
public final class KvStoreCli extends Configured implements Tool {
  /** Exit status of a usage error. */
  public static final int EXIT_USAGE = 2;
  /** Exit status of a failed command or a negative answer. */
  public static final int EXIT_FAILURE = 1;

  private static final String DEBUG = "--debug";
  private static final String END_OF_OPTIONS = "--";
  /** Stands for "--" while ToolRunner parses, which would otherwise drop it. */
  private static final String PROTECTED_END_OF_OPTIONS = "\u0000--";
  private static final Set<String> COMMON_FLAGS =
      new HashSet<>(Arrays.asList("--hex", "--base64", "--help"));

  /** Hadoop's generic options that take a value (GenericOptionsParser), besides -D. */
  private static final Set<String> GENERIC_OPTIONS_WITH_VALUE = new HashSet<>(Arrays.asList(
      "-conf", "-fs", "-jt", "-files", "-libjars", "-archives", "-tokenCacheFile"));

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;
  private final LongSupplier clock;

  /** A tool writing to the process's standard streams; progress bars when on a terminal. */
  public KvStoreCli() {
    this(System.in,
        new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false, StandardCharsets.UTF_8),
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
        System.console() != null, System::nanoTime);
  }

  /**
   * A tool reading and writing the given streams.
   *
   * @param interactive whether to draw progress bars on {@code err}
   * @param clock nanosecond clock for progress rates
   */
  public KvStoreCli(InputStream in, PrintStream out, PrintStream err, boolean interactive,
      LongSupplier clock) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.clock = clock;
  }

  /** Runs the tool through {@link ToolRunner} and exits with its status. */
  public static void main(String[] args) {
    KvStoreCli cli = new KvStoreCli();
    int status;
    try {
      status = runTool(new Configuration(), cli, args);
    } catch (Exception e) {
      // Only GenericOptionsParser gets here (run() catches everything): a bad generic option.
      cli.err.println("kvstore: " + ErrorMessages.describe(e));
      status = EXIT_USAGE;
    }
    cli.out.flush();
    System.exit(status);
  }

  /**
   * Runs {@code cli} through {@link ToolRunner}, which applies the generic options to
   * {@code conf}. A {@code --} (end of options, before keys that start with a dash) is kept for
   * the command: Hadoop's option parser would drop it.
   *
   * @throws Exception if the generic options are invalid
   */
  public static int runTool(Configuration conf, KvStoreCli cli, String[] args) throws Exception {
    String badDefine = badDefine(args);
    if (badDefine != null) {
      cli.err.println("kvstore: " + badDefine + " (usage: kvstore [-D KEY=VALUE]... COMMAND"
          + " [ARGS])");
      return EXIT_USAGE;
    }
    String[] protectedArgs = args.clone();
    for (int i = 0; i < protectedArgs.length; i++) {
      if (protectedArgs[i].equals(END_OF_OPTIONS)) {
        protectedArgs[i] = PROTECTED_END_OF_OPTIONS;
      }
    }
    return ToolRunner.run(conf, cli, protectedArgs);
  }

  /**
   * What is wrong with a {@code -D} among the generic options (before the command name), or
   * null. Hadoop's parser ignores {@code -Dfoo} without a value, then finds no command, and
   * answers {@code -D} alone with its own usage text: neither names the problem.
   */
  private static String badDefine(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-") || arg.equals(END_OF_OPTIONS)) {
        return null; // the command name: what follows is the command's
      }
      String define;
      if (arg.equals("-D")) {
        if (i + 1 == args.length) {
          return "-D needs KEY=VALUE after it";
        }
        define = args[++i];
      } else if (arg.startsWith("-D")) {
        define = arg.substring(2);
      } else {
        if (GENERIC_OPTIONS_WITH_VALUE.contains(arg)) {
          i++;
        }
        continue;
      }
      if (define.indexOf('=') <= 0) {
        return "-D " + define + ": a setting needs KEY=VALUE";
      }
    }
    return null;
  }

  @Override
  public int run(String[] argv) {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    args.replaceAll(a -> a.equals(PROTECTED_END_OF_OPTIONS) ? END_OF_OPTIONS : a);
    boolean debug = removeDebugFlag(args);
    try {
      return dispatch(args, debug);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int dispatch(List<String> args, boolean debug) {
    if (args.isEmpty()) {
      err.print(HelpCommand.overview());
      return EXIT_USAGE;
    }
    String name = args.get(0);
    if (name.equals("--help") || name.equals("-h")) {
      name = "help";
    }
    Command command = Commands.find(name);
    if (command == null) {
      Command guess = Commands.suggest(name);
      err.println("kvstore: unknown command '" + name + "'"
          + (guess == null ? "" : "; did you mean " + guess.name() + "?")
          + "; 'kvstore help' lists the commands");
      return EXIT_USAGE;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      Arguments parsed = Arguments.parse(rest, command.options(), COMMON_FLAGS);
      if (parsed.has("--help")) {
        out.print(HelpCommand.helpOf(command));
        return 0;
      }
      Configuration conf = getConf() == null ? new Configuration() : getConf();
      CommandContext context = new CommandContext(conf, in, out, err, interactive,
          codecOf(parsed), clock);
      return command.run(context, parsed);
    } catch (UsageException e) {
      err.println("kvstore " + command.name() + ": " + e.getMessage() + " (usage: kvstore "
          + command.name() + " " + command.synopsis() + ")");
      return EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("kvstore " + command.name() + ": interrupted");
      return EXIT_FAILURE;
    } catch (IOException | RuntimeException e) {
      out.flush();
      err.println("kvstore " + command.name() + ": " + ErrorMessages.describe(e)
          + (debug ? "" : ErrorMessages.debugHint(e)));
      if (debug) {
        e.printStackTrace(err);
      }
      return EXIT_FAILURE;
    }
  }

  private static ByteCodec codecOf(Arguments args) {
    if (args.has("--hex") && args.has("--base64")) {
      throw new UsageException("--hex and --base64 exclude each other");
    }
    if (args.has("--hex")) {
      return ByteCodec.HEX;
    }
    return args.has("--base64") ? ByteCodec.BASE64 : ByteCodec.TEXT;
  }

  /** Removes {@code --debug} (anywhere before a {@code --}) and says whether it was there. */
  private static boolean removeDebugFlag(List<String> args) {
    boolean found = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals(END_OF_OPTIONS)) {
        break;
      }
      if (arg.equals(DEBUG)) {
        args.remove(i--);
        found = true;
      }
    }
    return found;
  }
}
