package io.kvstore.format;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link BatchLoads}: raw (Unsafe) loads and the ByteBuffer fallback take the same loads. */
public class BatchLoadsTest {
  @Rule
  public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void rawLoadsAreUsedOnThisJdk() {
    // JDK 11-17 have sun.misc.Unsafe and Buffer.address; without them the multi-get overlaps
    // fewer misses (docs/benchmark-results/multiget-overlap-2026-12-03.md).
    assertTrue(new BatchLoads(4).isRaw());
  }

  @Test
  public void bothWaysLoadMapsAndHeapsAcrossManyRoundsAndRefuseOutOfBounds() throws Exception {
    File f = tmp.newFile();
    try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
      raf.setLength(8192);
      MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, 8192);
      long[] heap = new long[100];
      for (boolean raw : new boolean[] {true, false}) {
        BatchLoads loads = new BatchLoads(3, raw);
        assertEquals(raw, loads.isRaw());
        for (int round = 0; round < 100; round++) {
          loads.add(map, 0);
          loads.add(map, 8191);
          loads.add(heap, 99);
          loads.load();
        }
        // A raw load outside its map would crash the JVM: refused when added, as ByteBuffer.get
        // refuses it.
        assertThrows(IndexOutOfBoundsException.class, () -> loads.add(map, 8192));
        assertThrows(IndexOutOfBoundsException.class, () -> loads.add(map, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> loads.add(heap, 100));
        ByteBuffer small = ByteBuffer.allocateDirect(16);
        small.limit(8);
        assertThrows(IndexOutOfBoundsException.class, () -> loads.add(small, 8));
        loads.add(small, 7);
        loads.load();
        assertThrows(IllegalArgumentException.class, () -> loads.add(ByteBuffer.allocate(8), 0));
      }
    }
  }
}
