package io.kvstore.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's parsed arguments: {@code --name}, {@code --name value} or {@code --name=value}
 * options anywhere, positional arguments in order, and {@code --} ending the options so that
 * keys starting with a dash can be given.
 *
 * <p>Hand-written rather than commons-cli (which Hadoop ships, 1.9.0 with Hadoop 3.4.3) because
 * that parser, measured on this tool's arguments, refuses a positional {@code -1} or {@code -k}
 * as an unrecognized option, matches option prefixes unless told not to, accepts an option
 * given twice, and words every error differently; keeping this tool's behaviour would take as
 * much glue as this class has code. See {@code ArgumentsTest}.
 */
public final class Arguments {
  private final Map<String, String> options;
  private final List<String> positional;

  private Arguments(Map<String, String> options, List<String> positional) {
    this.options = options;
    this.positional = positional;
  }

  /**
   * Parses {@code args} against {@code spec} plus the {@code common} flags.
   *
   * @throws UsageException for an unknown option or a missing value
   */
  public static Arguments parse(List<String> args, OptionSpec spec, Set<String> common) {
    Map<String, String> options = new HashMap<>();
    List<String> positional = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || !arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Boolean takesValue = common.contains(name) ? Boolean.FALSE : spec.lookup(name);
      if (takesValue == null) {
        throw new UsageException("unknown option " + name);
      }
      String value;
      if (!takesValue) {
        if (eq >= 0) {
          throw new UsageException("option " + name + " takes no value");
        }
        value = "";
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("option " + name + " needs a value");
      }
      if (options.put(name, value) != null) {
        throw new UsageException("option " + name + " given twice");
      }
    }
    return new Arguments(options, Collections.unmodifiableList(positional));
  }

  /** Whether the option or flag was given. */
  public boolean has(String name) {
    return options.containsKey(name);
  }

  /** The option's value, or null if not given. */
  public String value(String name) {
    return options.get(name);
  }

  /** The option's value as a positive long (Hadoop size suffixes k, m, g allowed), or the default. */
  public long longValue(String name, long defaultValue) {
    String text = options.get(name);
    return text == null ? defaultValue : number(text, "option " + name);
  }

  /**
   * {@code text} as a non-negative long, Hadoop size suffixes (k, m, g) allowed.
   *
   * @param what what the text is, for the message ("option --limit", "N")
   * @throws UsageException if it is not such a number
   */
  public static long number(String text, String what) {
    long value;
    try {
      value = org.apache.hadoop.util.StringUtils.TraditionalBinaryPrefix.string2long(text.trim());
    } catch (IllegalArgumentException e) {
      throw new UsageException(what + " needs a number, not '" + text + "'");
    }
    if (value < 0) {
      throw new UsageException(what + " must not be negative: " + text);
    }
    return value;
  }

  /** Positional arguments in order. */
  public List<String> positional() {
    return positional;
  }

  /**
   * The positional arguments, checked to number between {@code min} and {@code max}
   * ({@code max < 0}: no limit).
   *
   * @throws UsageException otherwise
   */
  public List<String> positional(int min, int max) {
    if (positional.size() < min) {
      throw new UsageException("missing argument" + (min - positional.size() > 1 ? "s" : ""));
    }
    if (max >= 0 && positional.size() > max) {
      throw new UsageException("unexpected argument '" + positional.get(max) + "'");
    }
    return positional;
  }
}
