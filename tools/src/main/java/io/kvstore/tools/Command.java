package io.kvstore.tools;

import java.io.IOException;

/** One subcommand of {@link KvStoreCli}. Implementations are stateless. */
public interface Command {
  /** The name typed on the command line. */
  String name();

  /** Arguments after the name, e.g. {@code "STORE KEY..."}. */
  String synopsis();

  /** One line for the command list. */
  String summary();

  /** Full help: what it does and every option, shown by {@code COMMAND --help}. */
  String help();

  /** The options this command accepts besides the common ones. */
  OptionSpec options();

  /**
   * Runs the command.
   *
   * @return the exit status: 0 success, 1 a negative result (not found, differs, corrupt)
   * @throws UsageException if the arguments are wrong
   * @throws IOException if the work fails; its message is shown to the user
   */
  int run(CommandContext context, Arguments args) throws IOException, InterruptedException;
}
