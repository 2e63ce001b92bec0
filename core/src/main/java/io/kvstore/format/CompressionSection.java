package io.kvstore.format;

import io.kvstore.CorruptStoreException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.PositionedReadable;

/**
 * The compression section of a version-2 partition file, between the header and the first
 * record (docs/format.md 3.2): the codec id, the zstd dictionary and a CRC32C. Its one encoder
 * and decoder.
 */
final class CompressionSection {
  /** Bytes of a section without dictionary: codec, length, CRC32C. */
  static final int EMPTY_SIZE = 12;
  /** Largest dictionary a file may hold. */
  static final int MAX_DICTIONARY = 1 << 24;
  /** Largest section. */
  static final int MAX_SIZE = EMPTY_SIZE + MAX_DICTIONARY;

  private CompressionSection() {}

  /** The section's bytes for {@code codec} and {@code dictionary} (empty for none). */
  static byte[] toBytes(Compression.Codec codec, byte[] dictionary) {
    byte[] b = new byte[EMPTY_SIZE + dictionary.length];
    PartitionFormat.putIntLE(b, 0, codec.id);
    PartitionFormat.putIntLE(b, 4, dictionary.length);
    System.arraycopy(dictionary, 0, b, 8, dictionary.length);
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    PartitionFormat.putIntLE(b, b.length - 4, (int) crc.getValue());
    return b;
  }

  /**
   * Reads and checks the section of a file of format version 2, and digests its dictionary
   * (once per open file). Version-1 files have no section: their decoder is
   * {@link Compression.Decoder#NONE}.
   *
   * @throws CorruptStoreException naming the file if the section fails its checksum, names an
   *     unknown codec, or holds a dictionary zstd cannot load
   */
  static Compression.Decoder read(PositionedReadable in, PartitionFooter footer, Object file)
      throws IOException {
    if (footer.version == 1) {
      return Compression.Decoder.NONE;
    }
    byte[] section = new byte[(int) (footer.dataStart - PartitionFormat.HEADER_SIZE)];
    try {
      in.readFully(PartitionFormat.HEADER_SIZE, section);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "file ends inside its compression section", e);
    }
    return parse(section, file);
  }

  /** Parses a whole section (its bytes from offset 16 to the first record). */
  static Compression.Decoder parse(byte[] section, Object file) throws CorruptStoreException {
    int end = section.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(section, 0, end);
    if ((int) crc.getValue() != PartitionFormat.getIntLE(section, end)) {
      throw new CorruptStoreException(file, "compression section (codec and dictionary)"
          + " checksum mismatch");
    }
    int id = PartitionFormat.getIntLE(section, 0);
    Compression.Codec codec = Compression.Codec.ofId(id);
    if (codec == null) {
      throw new CorruptStoreException(file, "unknown compression codec id " + id);
    }
    int dictionaryLength = PartitionFormat.getIntLE(section, 4);
    if (dictionaryLength != section.length - EMPTY_SIZE) {
      throw new CorruptStoreException(file, "compression dictionary of " + dictionaryLength
          + " bytes does not fill its section of " + section.length + " bytes");
    }
    try {
      return Compression.Decoder.of(codec, Arrays.copyOfRange(section, 8, end));
    } catch (IllegalArgumentException e) {
      throw new CorruptStoreException(file, "compression dictionary cannot be loaded: "
          + e.getMessage(), e);
    }
  }
}
