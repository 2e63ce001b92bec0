package io.kvstore.tools;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Every subcommand, in the order {@code kvstore help} lists them. */
final class Commands {
  private static final List<Command> ALL = Collections.unmodifiableList(Arrays.asList(
      new HelpCommand(),
      new RunKVTestCommand(),
      new CreateCommand(),
      new GetCommand(),
      new ScanCommand(),
      new ShowCommand(),
      new InfoCommand(),
      new VerifyCommand(),
      new CompareCommand(),
      new RmCommand(),
      new MvCommand(),
      new MergeCommand(),
      new CloneCommand(),
      new BuildCommand()));

  private Commands() {}

  /** All commands. */
  static List<Command> all() {
    return ALL;
  }

  /** The command called {@code name}, or null. */
  static Command find(String name) {
    for (Command c : ALL) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
