package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kvstore.StoreTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A partition writer hands the stream only whole buffers at multiples of the buffer size (the
 * last write excepted), whatever the record sizes, so that with buffers of 2 MB Linux can cache
 * the file in 2 MB folios; and the bytes written are the same as before.
 */
public final class AlignedWritesTest {
  /** The store written. */
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  /** Records every write call. */
  private static final class RecordingStream extends ByteArrayOutputStream {
    final List<long[]> writes = new ArrayList<>();

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(new long[] {size(), len});
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      writes.add(new long[] {size(), 1});
      super.write(b);
    }
  }

  @Test
  public void everyWriteButTheLastIsAWholeAlignedBuffer() throws IOException {
    int buffer = 4096;
    RecordingStream out = new RecordingStream();
    PartitionWriter writer = new PartitionWriter(out, "part-00000.kvp", 7, 0.75, 1024, 512, buffer,
        Compression.Codec.NONE, 0, 0, 0);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // Small records, records about a buffer long and records of several buffers.
      int length = i % 50 == 7 ? 3 * buffer + 123 : i % 10 == 3 ? buffer - 5 : i % 97;
      byte[] key = StoreTestSupport.b(String.format("a%05d", i));
      byte[] value = StoreTestSupport.value(i, length);
      values.add(value);
      writer.append(key, 0, key.length, value, 0, value.length);
    }
    writer.finish();
    assertTrue(out.writes.size() > 10);
    for (int w = 0; w < out.writes.size(); w++) {
      long at = out.writes.get(w)[0];
      long len = out.writes.get(w)[1];
      assertEquals("write " + w + " starts at a multiple of the buffer", 0, at % buffer);
      if (w < out.writes.size() - 1) {
        assertEquals("write " + w + " is whole buffers", 0, len % buffer);
        assertTrue(len > 0);
      }
    }
    // The file reads back: every value.
    File dir = tmp.newFolder("store");
    Files.write(new File(dir, "part-00000.kvp").toPath(), out.toByteArray());
    PartitionReader reader = PartitionReader.open(
        new ReadContext(io.kvstore.fs.FileOperations.of(
            org.apache.hadoop.fs.FileSystem.getLocal(new Configuration())), new Configuration()),
        new Path(new File(dir, "part-00000.kvp").toURI()), null);
    try {
      for (int i = 0; i < values.size(); i++) {
        byte[] key = StoreTestSupport.b(String.format("a%05d", i));
        assertArrayEquals("key " + i, values.get(i),
            reader.get(key, 0, key.length, KeyHash.hash64(key, 7)));
      }
    } finally {
      reader.close();
    }
  }

  @Test
  public void defaultBufferIsAMultipleOfTwoMegabytes() {
    long bytes = io.kvstore.KeyValueConf.WRITE_BUFFER_SIZE.getLong(new Configuration());
    assertTrue("a write of 2 MB or more, so the page cache can use 2 MB folios: " + bytes,
        bytes >= 2 << 20 && bytes % (2 << 20) == 0);
  }
}
