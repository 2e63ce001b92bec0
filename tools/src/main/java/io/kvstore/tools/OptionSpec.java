package io.kvstore.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options a command accepts: flags, and options taking one value. Immutable once built. */
public final class OptionSpec {
  private final Map<String, Boolean> takesValue = new LinkedHashMap<>();

  /** A spec with no options. */
  public static OptionSpec none() {
    return new OptionSpec();
  }

  /** Adds a flag such as {@code --json}. */
  public OptionSpec flag(String name) {
    takesValue.put(name, false);
    return this;
  }

  /** Adds an option with a value such as {@code --limit N}. */
  public OptionSpec valued(String name) {
    takesValue.put(name, true);
    return this;
  }

  /** Whether {@code name} is known; null if not, else whether it takes a value. */
  Boolean lookup(String name) {
    return takesValue.get(name);
  }
}
