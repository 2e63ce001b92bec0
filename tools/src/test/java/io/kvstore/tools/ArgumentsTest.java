package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import org.junit.Test;

/** Option parsing of subcommands. */
public class ArgumentsTest {
  private static final OptionSpec SPEC = OptionSpec.none().flag("--json").valued("--limit");

  private static Arguments parse(String... args) {
    return Arguments.parse(Arrays.asList(args), SPEC, Collections.singleton("--hex"));
  }

  @Test
  public void optionsMayComeAnywhere() {
    Arguments a = parse("--json", "s", "--limit", "5", "k", "--hex");
    assertEquals(Arrays.asList("s", "k"), a.positional());
    assertTrue(a.has("--json"));
    assertTrue(a.has("--hex"));
    assertEquals(5, a.longValue("--limit", 0));
  }

  @Test
  public void valueAfterEqualsSign() {
    assertEquals("7", parse("--limit=7").value("--limit"));
  }

  @Test
  public void sizeSuffixes() {
    assertEquals(64 << 20, parse("--limit", "64m").longValue("--limit", 0));
  }

  @Test
  public void doubleDashEndsOptions() {
    Arguments a = parse("s", "--", "--json", "-x");
    assertEquals(Arrays.asList("s", "--json", "-x"), a.positional());
    assertFalse(a.has("--json"));
  }

  /**
   * Keys such as {@code -1} or {@code -k} need no {@code --} before them: only {@code --name}
   * is an option. commons-cli 1.9.0 (Hadoop's) refuses both as unrecognized options, one reason
   * this parser is kept.
   */
  @Test
  public void singleDashArgumentsAreKeys() {
    Arguments a = parse("s", "-1", "-k", "-");
    assertEquals(Arrays.asList("s", "-1", "-k", "-"), a.positional());
  }

  @Test
  public void optionNamesMustBeWhole() {
    try {
      parse("--js");
    } catch (UsageException e) {
      assertEquals("unknown option --js", e.getMessage());
      return;
    }
    throw new AssertionError("no UsageException");
  }

  @Test(expected = UsageException.class)
  public void flagWithValueIsRefused() {
    parse("--json=yes");
  }

  @Test(expected = UsageException.class)
  public void repeatedOptionIsRefused() {
    parse("--limit", "1", "--limit", "2");
  }

  @Test(expected = UsageException.class)
  public void negativeNumberIsRefused() {
    parse("--limit", "-1").longValue("--limit", 0);
  }

  @Test
  public void positionalCountIsChecked() {
    try {
      parse("a", "b").positional(1, 1);
    } catch (UsageException e) {
      assertEquals("unexpected argument 'b'", e.getMessage());
      return;
    }
    throw new AssertionError("no UsageException");
  }
}
