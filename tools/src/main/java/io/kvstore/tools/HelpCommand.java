package io.kvstore.tools;

import java.util.List;

/** {@code kvstore help [COMMAND]}: the command list, or one command's help. */
final class HelpCommand implements Command {
  @Override
  public String name() {
    return "help";
  }

  @Override
  public String synopsis() {
    return "[COMMAND]";
  }

  @Override
  public String summary() {
    return "list the commands, or explain one";
  }

  @Override
  public String help() {
    return "Without an argument lists every command; with one, shows that command's help"
        + " (the same as 'kvstore COMMAND --help').\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) {
    List<String> names = args.positional(0, 1);
    if (names.isEmpty()) {
      context.out().print(overview());
      return 0;
    }
    Command command = Commands.find(names.get(0));
    if (command == null) {
      Command guess = Commands.suggest(names.get(0));
      throw new UsageException("unknown command '" + names.get(0) + "'"
          + (guess == null ? "" : "; did you mean " + guess.name() + "?"));
    }
    context.out().print(helpOf(command));
    return 0;
  }

  /** The command list. */
  static String overview() {
    StringBuilder sb = new StringBuilder()
        .append("kvstore: write-once key-value stores on any Hadoop FileSystem\n\n")
        .append("usage: kvstore [GENERIC OPTIONS] COMMAND [ARGS...]\n\ncommands:\n");
    for (Command c : Commands.all()) {
      sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
    }
    return sb.append("\n")
        .append("Stores are Hadoop URIs (hdfs://nn/path, file:///tmp/s) or plain paths on the\n")
        .append("default filesystem (fs.defaultFS, local unless configured).\n\n")
        .append("generic options (before COMMAND): -D key=value, -conf FILE, -fs URI, as for any\n")
        .append("Hadoop tool\n")
        .append("common options:\n")
        .append("  --hex, --base64   keys and values typed and printed in hex or base64 (default:\n")
        .append("                    UTF-8 with \\xHH for other bytes and \\\\ for a backslash)\n")
        .append("  --debug           stack trace on errors\n")
        .append("  --help            the command's help\n\n")
        .append("exit status: 0 success, 1 failure or negative answer, 2 usage error\n")
        .toString();
  }

  /** One command's help. */
  static String helpOf(Command command) {
    return "usage: kvstore " + command.name() + " " + command.synopsis() + "\n\n"
        + command.summary() + ".\n\n" + command.help();
  }
}
