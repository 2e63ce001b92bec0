package io.kvstore.tools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.Test;

/** Line splitting across read chunks, long lines, and the last line without a newline. */
public class TsvPairSourceTest {
  @Test
  public void linesLongerThanAChunkAndAcrossChunkBoundaries() throws Exception {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    byte[] longValue = new byte[200_000];
    Arrays.fill(longValue, (byte) 'v');
    for (int i = 0; i < 10_000; i++) {
      input.write(String.format("key%05d\t", i).getBytes(StandardCharsets.UTF_8));
      if (i == 5000) {
        input.write(longValue);
      } else {
        input.write(("value" + i).getBytes(StandardCharsets.UTF_8));
      }
      input.write('\n');
    }
    input.write("last\tno newline".getBytes(StandardCharsets.UTF_8));
    byte[] all = input.toByteArray();
    try (TsvPairSource source = new TsvPairSource(new ByteArrayInputStream(all), ByteCodec.TEXT, false)) {
      for (int i = 0; i < 10_000; i++) {
        assertTrue(source.next());
        assertEquals("line " + (i + 1), source.position());
        assertArrayEquals(String.format("key%05d", i).getBytes(StandardCharsets.UTF_8),
            source.key());
        if (i == 5000) {
          assertArrayEquals(longValue, source.value());
        } else {
          assertEquals("value" + i, new String(source.value(), StandardCharsets.UTF_8));
        }
      }
      assertTrue(source.next());
      assertEquals("no newline", new String(source.value(), StandardCharsets.UTF_8));
      assertFalse(source.next());
      assertEquals(all.length, source.bytesRead());
    }
  }
}
