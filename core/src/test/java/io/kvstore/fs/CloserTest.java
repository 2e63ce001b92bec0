package io.kvstore.fs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.fail;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Closing several resources: every one closed, every error kept, the first thrown. */
public class CloserTest {
  private final List<String> closed = new ArrayList<>();

  private Closeable ok(String name) {
    return () -> closed.add(name);
  }

  private Closeable failing(String name) {
    return () -> {
      closed.add(name);
      throw new IOException(name);
    };
  }

  @Test
  public void everyResourceIsClosedAndTheFirstErrorCarriesTheOthers() {
    Closer closer = new Closer();
    for (Closeable c : new Closeable[] {ok("a"), failing("b"), null, ok("c"), failing("d"),
        failing("e")}) {
      closer.close(c);
    }
    assertEquals(List.of("a", "b", "c", "d", "e"), closed);
    try {
      closer.finish();
      fail("the failures must be thrown");
    } catch (IOException e) {
      assertEquals("b", e.getMessage());
      assertEquals(2, e.getSuppressed().length);
      assertEquals("d", e.getSuppressed()[0].getMessage());
      assertEquals("e", e.getSuppressed()[1].getMessage());
    }
  }

  @Test
  public void nothingIsThrownWhenEveryCloseSucceeds() throws IOException {
    Closer closer = new Closer();
    closer.close(ok("a"));
    closer.close(ok("b"));
    closer.finish();
    assertEquals(List.of("a", "b"), closed);
  }

  @Test
  public void closingAfterAFailureAttachesTheCloseErrorToIt() {
    IllegalStateException failure = new IllegalStateException("use failed");
    Closer.closeAfter(failure, failing("x"));
    Closer.closeAfter(failure, ok("y"));
    Closer.closeAfter(failure, null);
    assertEquals(List.of("x", "y"), closed);
    assertEquals(1, failure.getSuppressed().length);
    assertEquals("x", failure.getSuppressed()[0].getMessage());
  }

  @Test
  public void theSameErrorTwiceIsKeptOnce() {
    IOException shared = new IOException("shared");
    Closer closer = new Closer();
    closer.close(() -> {
      throw shared;
    });
    closer.close(() -> {
      throw shared;
    });
    try {
      closer.finish();
      fail("the failure must be thrown");
    } catch (IOException e) {
      assertSame(shared, e);
      assertArrayEquals(new Throwable[0], e.getSuppressed());
    }
    Closer.closeAfter(shared, () -> {
      throw shared;
    });
    assertArrayEquals(new Throwable[0], shared.getSuppressed());
  }
}
