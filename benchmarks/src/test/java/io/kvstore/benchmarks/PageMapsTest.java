package io.kvstore.benchmarks;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The figures LookupBars reports about page sizes and faults come from this process's own maps:
 * a file mapped and read shows up resident under its directory, and nothing shows up for a
 * directory with no maps.
 */
public class PageMapsTest {
  private static final int BYTES = 4 << 20;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aMappedAndReadFileIsResidentUnderItsDirectoryAndFaultsAreCounted() throws Exception {
    assumeTrue("needs Linux's /proc", new File("/proc/self/smaps").exists());
    File dir = tmp.newFolder("mapped");
    File other = tmp.newFolder("other");
    File file = new File(dir, "data");
    Files.write(file.toPath(), new byte[BYTES]);
    long before = PageMaps.minorFaults();
    assertTrue(before > 0);
    try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
      MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, BYTES);
      long sum = 0;
      for (int i = 0; i < BYTES; i += 4096) {
        sum += map.get(i);
      }
      assertEquals(0, sum);
      long[] kb = PageMaps.residentAndPmdKb(dir.getAbsolutePath());
      // Every page was read through the map: all 4 MB resident, whatever the page size.
      assertEquals(BYTES / 1024, kb[0]);
      assertTrue("pmd " + kb[1], kb[1] >= 0 && kb[1] <= kb[0]);
      assertTrue("a first touch of a new map faults", PageMaps.minorFaults() > before);
      // A directory whose name the mapped one's starts with is not counted with it.
      assertArrayEquals(new long[] {0, 0}, PageMaps.residentAndPmdKb(dir.getAbsolutePath()
          .substring(0, dir.getAbsolutePath().length() - 1)));
      assertArrayEquals(new long[] {0, 0}, PageMaps.residentAndPmdKb(other.getAbsolutePath()));
    }
  }
}
