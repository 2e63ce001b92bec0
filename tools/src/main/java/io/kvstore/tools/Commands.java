package io.kvstore.tools;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Every subcommand, in the order {@code kvstore help} lists them. */
final class Commands {
  private static final List<Command> ALL = Collections.unmodifiableList(Arrays.asList(
      new HelpCommand(),
      new RunKVTestCommand(),
      new CreateCommand(),
      new GetCommand(),
      new ScanCommand(),
      new HeadCommand(),
      new SampleCommand(),
      new CountCommand(),
      new ExportCommand(),
      new ShowCommand(),
      new InfoCommand(),
      new StatsCommand(),
      new VerifyCommand(),
      new CompareCommand(),
      new LsCommand(),
      new DuCommand(),
      new RepairCommand(),
      new RmCommand(),
      new MvCommand(),
      new MergeCommand(),
      new CloneCommand(),
      new BuildCommand(),
      new VersionCommand()));

  /** Further than this many edits, a name is not taken for a typo of a command. */
  private static final int MAX_SUGGESTION_DISTANCE = 2;

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

  /**
   * The command a mistyped {@code name} most likely means, or null: the command spelled the same
   * ignoring case, else the closest one at most two edits away (ignoring case).
   */
  static Command suggest(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    Command best = null;
    int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
    for (Command c : ALL) {
      int d = editDistance(lower, c.name().toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
