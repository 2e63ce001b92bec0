package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One memory map of a whole partition file, {@code [0, fileLength)}, of which the records
 * ({@link MappedRecordSource}) and the hash index ({@link HashIndex}) read views: one mmap(2) per
 * file instead of one per section. Each map's first and last partial 2 MB region is mapped with
 * small pages (page-cache folios of 2 MB are mapped whole only where the map covers them whole),
 * so one map leaves one partial region, the file's tail, where a map per section left a partial
 * region on each side of the records/index boundary too; and the file takes one of the process's
 * {@code vm.max_map_count} maps rather than two.
 *
 * <p>This object is the one owner of the map: the views are slices, which cannot be unmapped
 * ({@code invokeCleaner} refuses them), and their users drop them on close without unmapping.
 * {@link #close()} unmaps it, once, and must come after every user is done (the partition's
 * {@link ReadGuard}): a read of an unmapped buffer crashes the JVM.
 */
final class FileMap implements Closeable {
  static {
    // As in MappedRecordSource: loaded now, not first in an error path.
    Unmapper.ensureLoaded();
  }

  private final Object file;
  /** The map, as {@code FileChannel.map} returned it; null once unmapped. */
  private MappedByteBuffer map;

  private FileMap(Object file, MappedByteBuffer map) {
    this.file = file;
    this.map = map;
  }

  /**
   * Whether a file of {@code fileLength} bytes is mapped whole, in one map, when its records are
   * mapped in chunks of {@code chunkBytes}: when it fits one chunk (and so a Java buffer).
   * Larger files keep a map per chunk of records and per slice of index.
   */
  static boolean fits(long fileLength, long chunkBytes) {
    return fileLength <= chunkBytes && fileLength <= Integer.MAX_VALUE;
  }

  /**
   * Maps the whole file open in {@code channel} (closed by the caller; the map outlives it),
   * which must be {@code footer.fileLength} bytes and {@link #fits} one map.
   *
   * @throws CorruptStoreException if the file's length changed since its footer was read
   */
  static FileMap map(FileChannel channel, PartitionFooter footer, Object file)
      throws IOException {
    long size = channel.size();
    if (size != footer.fileLength) {
      // Mapping past the end would fault (SIGBUS) on the first read of the missing pages.
      throw new CorruptStoreException(file, "file changed while opening: " + size
          + " bytes, expected " + footer.fileLength);
    }
    return new FileMap(file, channel.map(FileChannel.MapMode.READ_ONLY, 0, footer.fileLength));
  }

  /**
   * A view of {@code [position, position + length)} of the file: a slice of the map sharing its
   * memory (a direct buffer whose address is the map's plus {@code position}, as
   * {@link BatchLoads} reads it), with position 0 and big-endian order like a fresh map. The
   * caller sets the order it reads in. Java 11 has no {@code MappedByteBuffer.slice(int, int)}:
   * the slice is cut from a duplicate, so the map's own position and limit are never moved.
   */
  MappedByteBuffer view(long position, long length) {
    MappedByteBuffer whole = map;
    if (whole == null) {
      throw new IllegalStateException("memory map of " + file + " is closed");
    }
    if (position < 0 || length < 0 || position + length > whole.capacity()) {
      throw new IndexOutOfBoundsException("view [" + position + ", " + (position + length)
          + ") of a " + whole.capacity() + "-byte map of " + file);
    }
    ByteBuffer cut = whole.duplicate();
    cut.limit((int) (position + length));
    cut.position((int) position);
    ByteBuffer slice = cut.slice();
    // The slice of a mapped buffer is one of the JDK's direct mapped buffers (DirectByteBufferR);
    // check rather than trust it, since BatchLoads and the VarHandle reads assume it.
    if (!(slice instanceof MappedByteBuffer) || !slice.isDirect()) {
      throw new IllegalStateException("a slice of a memory map is not a direct mapped buffer: "
          + slice.getClass().getName());
    }
    return (MappedByteBuffer) slice;
  }

  /**
   * Unmaps the file at once; later calls do nothing. The caller guarantees that no view is read
   * afterwards (their users are closed, no lookup is in flight).
   */
  @Override
  public void close() {
    MappedByteBuffer whole = map;
    if (whole != null) {
      map = null;
      Unmapper.unmap(whole);
    }
  }
}
