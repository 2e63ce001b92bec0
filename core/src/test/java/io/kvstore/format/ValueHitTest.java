package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.nio.ByteBuffer;
import org.junit.Test;

/** What a found value's holder keeps alive. */
public final class ValueHitTest {
  @Test
  public void detachKeepsTheValueButNotTheReadItWasFoundIn() {
    byte[] read = new byte[64 * 1024];
    for (int i = 0; i < read.length; i++) {
      read[i] = (byte) (i * 31);
    }
    ByteBuffer buffer = ByteBuffer.wrap(read);
    ValueHit hit = new ValueHit();
    hit.use(new RecordRange(null, 0, read));
    hit.set(buffer, 1000, 100);
    byte[] expected = new byte[100];
    System.arraycopy(read, 1000, expected, 0, 100);
    hit.detach();
    assertNotSame("the 64 KB read is no longer held", buffer, hit.buf);
    assertNull(hit.range);
    assertEquals(100, hit.length());
    assertArrayEquals(expected, hit.copy());
    // Detaching again, or a value already in the holder's own array, copies nothing.
    ByteBuffer own = hit.buf;
    hit.detach();
    assertSame(own, hit.buf);
    assertArrayEquals(expected, hit.copy());
  }
}
