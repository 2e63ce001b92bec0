package io.kvstore.tools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.Test;

/** Encodings of keys and values: escapes, UTF-8, hex and base64, and their round trips. */
public class ByteCodecTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void textKeepsPrintableAsciiAndUtf8() {
    String text = "hello w\u00f6rld \u65e5\u672c";
    assertEquals(text, ByteCodec.TEXT.encode(utf8(text)));
  }

  @Test
  public void textEscapesControlsBackslashAndInvalidUtf8() {
    byte[] bytes = {'a', '\t', '\n', 0, '\\', (byte) 0xFF, (byte) 0xC3, 0x7F};
    assertEquals("a\\x09\\x0A\\x00\\\\\\xFF\\xC3\\x7F", ByteCodec.TEXT.encode(bytes));
  }

  @Test
  public void textEscapesOverlongAndSurrogateEncodings() {
    assertEquals("\\xC0\\x80", ByteCodec.TEXT.encode(new byte[] {(byte) 0xC0, (byte) 0x80}));
    assertEquals("\\xED\\xA0\\x80", ByteCodec.TEXT.encode(
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
  }

  @Test
  public void textEscapesUnicodeControlAndFormatCharacters() {
    assertEquals("\\xC2\\x85\\xE2\\x80\\x8B", ByteCodec.TEXT.encode(utf8("\u0085\u200b")));
  }

  @Test
  public void textDecodesEscapesAndRefusesOtherBackslashes() {
    assertArrayEquals(new byte[] {'a', 0, '\\', 'n', (byte) 0xAB},
        ByteCodec.TEXT.decode("a\\x00\\\\n\\xab"));
    assertInvalidEscape("\\x4", "a\\x4");
    assertInvalidEscape("\\xg1", "\\xg1");
    assertInvalidEscape("\\q", "C:\\q");
    assertInvalidEscape("\\n", "a\\n");
    assertInvalidEscape("\\", "end\\");
  }

  private static void assertInvalidEscape(String escape, String text) {
    try {
      ByteCodec.TEXT.decode(text);
      fail("decoded " + text);
    } catch (IllegalArgumentException e) {
      assertEquals("invalid escape '" + escape + "' (a backslash starts \\\\ or \\xHH)",
          e.getMessage());
    }
  }

  @Test
  public void textRoundTripsRandomBytes() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = new byte[random.nextInt(20)];
      random.nextBytes(bytes);
      assertArrayEquals(bytes, ByteCodec.TEXT.decode(ByteCodec.TEXT.encode(bytes)));
    }
  }

  @Test
  public void hexRoundTripsAndAcceptsLowerCase() {
    assertEquals("00FF10", ByteCodec.HEX.encode(new byte[] {0, (byte) 0xFF, 0x10}));
    assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10}, ByteCodec.HEX.decode("00ff10"));
  }

  @Test(expected = IllegalArgumentException.class)
  public void hexRefusesOddLength() {
    ByteCodec.HEX.decode("abc");
  }

  @Test(expected = IllegalArgumentException.class)
  public void hexRefusesNonDigits() {
    ByteCodec.HEX.decode("zz");
  }

  @Test
  public void base64RoundTrips() {
    assertEquals("AP8Q", ByteCodec.BASE64.encode(new byte[] {0, (byte) 0xFF, 0x10}));
    assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10}, ByteCodec.BASE64.decode("AP8Q"));
  }

  @Test(expected = IllegalArgumentException.class)
  public void base64RefusesInvalidText() {
    ByteCodec.BASE64.decode("***");
  }

  @Test
  public void prefixEndSkipsTrailingAllOnesBytes() {
    assertArrayEquals(new byte[] {1, 3}, Codecs.prefixEnd(new byte[] {1, 2}));
    assertArrayEquals(new byte[] {2}, Codecs.prefixEnd(new byte[] {1, (byte) 0xFF}));
    assertEquals(null, Codecs.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF}));
  }
}
