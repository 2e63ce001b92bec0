package io.kvstore.tools;

import static io.kvstore.tools.CliFixture.assertFails;
import static io.kvstore.tools.CliFixture.assertOk;
import static org.junit.Assert.assertEquals;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code kvstore get STORE -} and {@code --keys FILE}: many keys, in input order. */
public class GetBatchTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private CliFixture cli;

  @Before
  public void setUp() {
    cli = new CliFixture(folder);
  }

  @Test
  public void keysFromStandardInputComeOutInInputOrderWithAbsentKeysMarked() throws Exception {
    String store = cli.store("s", 100);
    CliResult r = cli.runWithInput("k0050\nk0003\nnope\nk0099\n", "get", store, "-");
    assertEquals(r.toString(), 1, r.status);
    assertEquals("k0050\tv50\nk0003\tv3\nnope\nk0099\tv99\n", r.out);
    assertEquals("kvstore get: 1 of 4 keys not found (printed without a tab)\n", r.err);
  }

  @Test
  public void keysFromAFileAcrossBatchBoundaries() throws Exception {
    String store = cli.store("s", 5000);
    StringBuilder keys = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    int n = 2 * GetCommand.BATCH + 7;
    for (int i = n - 1; i >= 0; i--) {
      keys.append(String.format("k%04d%n", i));
      expected.append(String.format("k%04d\tv%d%n", i, i));
    }
    CliResult r = cli.run("get", store, "--keys", cli.file("keys.txt", keys.toString()));
    assertOk(r);
    assertEquals(expected.toString(), r.out);
  }

  @Test
  public void keysInHexFromStandardInputAndCrLfLines() throws Exception {
    String store = cli.store("s", 10);
    CliResult r = cli.runWithInput("6B30303031\r\n6B30303032\r\n", "get", store, "-", "--hex");
    assertOk(r);
    assertEquals("6B30303031\t7631\n6B30303032\t7632\n", r.out);
  }

  @Test
  public void anInvalidKeyLineIsNamed() throws Exception {
    String store = cli.store("s", 10);
    assertFails(cli.runWithInput("k0001\nbad\\q\n", "get", store, "-"), 1,
        "standard input line 2: key is not valid text: invalid escape '\\q'");
  }

  @Test
  public void argumentsAndAKeysSourceExcludeEachOther() throws Exception {
    String store = cli.store("s", 10);
    assertFails(cli.run("get", store, "k0001", "--keys", cli.file("k", "k0001\n")), 2,
        "keys come from arguments, '-' or --keys FILE, one of them");
    assertFails(cli.run("get", store, "-", "--keys", cli.file("k2", "k0001\n")), 2,
        "one of them");
  }

  @Test
  public void keysFromATerminalGetAHint() throws Exception {
    String store = cli.store("s", 10);
    CliResult r = cli.runOnTerminal("k0001\n", "get", store, "-");
    assertEquals(r.toString(), 0, r.status);
    assertEquals("k0001\tv1\n", r.out);
    assertEquals("kvstore get: reading keys from standard input, one a line; end with Ctrl-D\n",
        r.err);
  }
}
