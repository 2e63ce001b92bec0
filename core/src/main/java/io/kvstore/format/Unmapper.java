package io.kvstore.format;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;
import org.slf4j.LoggerFactory;

/**
 * Releases a memory map at once instead of when its buffer is collected. Java has no supported
 * unmap; from Java 9 {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported) is the way
 * the JDK's own users and Lucene do it. Where it is missing, maps are left to the garbage
 * collector, and {@link #UNAVAILABLE_REASON} says why. The caller must guarantee that nothing
 * reads the buffer afterwards: a read of an unmapped buffer crashes the JVM.
 */
final class Unmapper {
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;
  /** Why maps cannot be released at once, or null if they can. */
  static final String UNAVAILABLE_REASON;

  static {
    Object unsafe = null;
    Method cleaner = null;
    String reason = null;
    try {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field field = type.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      unsafe = field.get(null);
      cleaner = type.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      reason = "sun.misc.Unsafe.invokeCleaner is not available (" + e + ")";
      unsafe = null;
      cleaner = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = cleaner;
    UNAVAILABLE_REASON = reason;
    if (reason != null) {
      LoggerFactory.getLogger(Unmapper.class).warn("Memory maps of closed readers stay until the"
          + " garbage collector frees them: {}", reason);
    }
  }

  private Unmapper() {}

  /** Initialises this class (finding invokeCleaner) now rather than at the first unmap. */
  static void ensureLoaded() {
    // Calling a static method is enough: the class is initialised before it runs.
  }

  /** Unmaps {@code buffer} (a buffer returned by {@code FileChannel.map}, not a slice). */
  static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Could not unmap a partition's memory map", e);
    }
  }
}
