package io.kvstore.format;

import io.kvstore.Bytes;
import io.kvstore.CorruptStoreException;
import io.kvstore.fs.FileOperations;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;

/**
 * The pointer of a table: which version is current. A small file with magic, format version,
 * fields and a CRC32C trailer like the store manifest ({@link ManifestCodec}); replaced by one
 * atomic rename, so a reader finds the old or the new pointer, never none and never a mix.
 * Version 0 means no version is published yet. Immutable. Byte layout: docs/format.md.
 */
public final class TablePointer {
  /** Magic bytes that open every pointer. */
  static final byte[] MAGIC = "KVSTABLE".getBytes(StandardCharsets.US_ASCII);
  /** Pointer format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** magic, version, current version, time, CRC. */
  private static final int LENGTH = 8 + 4 + 8 + 8 + 4;

  private final long current;
  private final long updatedMillis;

  /**
   * @param current the current version, or 0 for none
   * @param updatedMillis when it became current, in epoch milliseconds
   */
  public TablePointer(long current, long updatedMillis) {
    if (current < 0) {
      throw new IllegalArgumentException("Negative table version " + current);
    }
    this.current = current;
    this.updatedMillis = updatedMillis;
  }

  /** The current version, or 0 if none is published. */
  public long current() {
    return current;
  }

  /** When the current version was made current, in epoch milliseconds. */
  public long updatedMillis() {
    return updatedMillis;
  }

  /** The serialized pointer, checksum included. */
  public byte[] toBytes() {
    return ManifestCodec.encode(MAGIC, FORMAT_VERSION, out -> {
      out.writeLong(current);
      out.writeLong(updatedMillis);
    });
  }

  /**
   * Parses a pointer.
   *
   * @param source the file the bytes came from, for messages
   * @throws CorruptStoreException if the bytes are not an intact pointer of a known version
   */
  public static TablePointer parse(byte[] bytes, Object source) throws CorruptStoreException {
    if (bytes.length != LENGTH) {
      throw new CorruptStoreException(source, "table pointer is " + bytes.length
          + " bytes, not " + LENGTH);
    }
    if (!Arrays.equals(MAGIC, Arrays.copyOf(bytes, MAGIC.length))) {
      throw new CorruptStoreException(source, "not a kvstore table pointer (bad magic "
          + Bytes.toPrintable(Arrays.copyOf(bytes, MAGIC.length)) + ")");
    }
    ManifestCodec.verifyChecksum(bytes, "table pointer", source);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
        bytes.length - MAGIC.length))) {
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new CorruptStoreException(source, "table pointer format version " + version
            + " is not supported by this kvstore (it reads version " + FORMAT_VERSION + ")");
      }
      long current = in.readLong();
      long updated = in.readLong();
      if (current < 0) {
        throw new CorruptStoreException(source, "negative current version " + current);
      }
      return new TablePointer(current, updated);
    } catch (CorruptStoreException e) {
      throw e;
    } catch (IOException e) {
      throw new CorruptStoreException(source, "invalid table pointer: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the pointer of the table at {@code table}.
   *
   * @throws java.io.FileNotFoundException if there is none (not a table)
   * @throws CorruptStoreException naming the file if it is damaged
   */
  public static TablePointer read(FileOperations ops, Path table) throws IOException {
    Path file = TableLayout.pointer(table);
    return parse(ManifestCodec.readFile(ops, file, LENGTH, "table pointer"), file);
  }

  /**
   * Makes this pointer the table's: written under a temporary name, then renamed over the old
   * pointer in one atomic step (or, with {@code replace} false, renamed where none may exist).
   */
  public void publish(FileOperations ops, Path table, boolean replace) throws IOException {
    ManifestCodec.publishFile(ops, table, TableLayout.POINTER_NAME, "table", toBytes(), replace);
  }

  @Override
  public String toString() {
    return "TablePointer(current=" + current + ", updated=" + updatedMillis + ")";
  }
}
