package io.kvstore.format;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdDictTrainer;
import io.kvstore.KeyValueConf;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.Locale;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.apache.hadoop.conf.Configuration;

/**
 * The value codecs of partition format version 2: each record's value is compressed on its own,
 * so a lookup decompresses only its own value. Pure: no filesystem.
 *
 * <p>zstd frames are written without magic number, checksum, content size or dictionary id (the
 * record holds the uncompressed length and its own CRC32C, the file holds the one dictionary), so
 * a 200-byte value pays only zstd's frame and block headers (about 3 bytes).
 */
public final class Compression {
  /** A codec, by its id in the partition file's compression section. */
  public enum Codec {
    /** Values stored as given. */
    NONE(0),
    /** LZ4 block format, no dictionary: fast, for values with repetition inside themselves. */
    LZ4(1),
    /** zstd with a dictionary trained per partition file on its first records. */
    ZSTD(2);

    /** The id written in the compression section. */
    public final int id;

    Codec(int id) {
      this.id = id;
    }

    /** The codec with file id {@code id}, or null. */
    static Codec ofId(int id) {
      for (Codec c : values()) {
        if (c.id == id) {
          return c;
        }
      }
      return null;
    }

    /** The name used in settings and by the CLI: {@code none}, {@code lz4}, {@code zstd}. */
    public String settingName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a setting value, case-insensitively.
     *
     * @throws IllegalArgumentException naming the known codecs if {@code name} is none of them
     */
    public static Codec parse(String name) {
      for (Codec c : values()) {
        if (c.settingName().equalsIgnoreCase(name.trim())) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown compression codec '" + name
          + "'; known: none, lz4, zstd");
    }
  }

  private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();

  /**
   * LZ4 compression: lz4-java's native implementation where it loads (as Spark's own lz4 codec
   * uses), its Java one otherwise. The Java compressors allocate and zero a 16 KB hash table on
   * every call, which for one value of a few hundred bytes costs more than compressing it:
   * 882 against 343 ns of CPU per 100-byte value, before the garbage collector's share. Both
   * write the same LZ4 block format, which the decoder reads whichever wrote it.
   */
  private static final LZ4Factory LZ4_COMPRESSION = LZ4Factory.fastestInstance();

  /**
   * Per thread, the zstd decompression contexts: one for files without a dictionary, one that
   * references the dictionary last used (referencing a digested dictionary costs no copy), so a
   * lookup allocates nothing but its value.
   */
  private static final ThreadLocal<ZstdContexts> ZSTD_CONTEXTS =
      ThreadLocal.withInitial(ZstdContexts::new);

  private static final class ZstdContexts {
    final ZstdDecompressCtx plain = new ZstdDecompressCtx().setMagicless(true);
    final ZstdDecompressCtx withDict = new ZstdDecompressCtx().setMagicless(true);
    /** Held so the dictionary the context references stays alive. */
    ZstdDictDecompress loaded;
  }

  private Compression() {}

  /**
   * Sets {@link KeyValueConf#COMPRESSION_CODEC} after checking the name. Shared by both MapReduce
   * output formats and the CLI.
   *
   * @param codec {@code none}, {@code lz4} or {@code zstd}, in any case
   * @throws IllegalArgumentException naming the known codecs if {@code codec} is none of them
   */
  public static void setCodec(Configuration conf, String codec) {
    KeyValueConf.COMPRESSION_CODEC.setString(conf, Codec.parse(codec).settingName());
  }

  /** The decoder of one file's values: its codec and digested dictionary. Thread-safe. */
  static final class Decoder {
    /** Files without compression (version 1, or codec none). */
    static final Decoder NONE = new Decoder(Codec.NONE, null, 0);

    final Codec codec;
    final int dictionaryLength;
    private final ZstdDictDecompress dictionary;

    private Decoder(Codec codec, ZstdDictDecompress dictionary, int dictionaryLength) {
      this.codec = codec;
      this.dictionary = dictionary;
      this.dictionaryLength = dictionaryLength;
    }

    /**
     * A decoder for {@code codec} with {@code dictionary} (empty for none).
     *
     * @throws IllegalArgumentException if zstd refuses the dictionary
     */
    static Decoder of(Codec codec, byte[] dictionary) {
      if (dictionary.length == 0) {
        return codec == Codec.NONE ? NONE : new Decoder(codec, null, 0);
      }
      if (codec != Codec.ZSTD) {
        throw new IllegalArgumentException("codec " + codec.settingName()
            + " takes no dictionary");
      }
      try {
        // Digesting checks the dictionary's header and entropy tables.
        return new Decoder(codec, new ZstdDictDecompress(dictionary), dictionary.length);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("zstd refuses the dictionary: " + e.getMessage(), e);
      }
    }

    /**
     * Decompresses {@code srcLength} bytes at {@code srcIndex} of {@code src} into exactly
     * {@code dstLength} bytes at {@code dstOff} of {@code dst}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid encoding of that length
     */
    void decompress(ByteBuffer src, int srcIndex, int srcLength, byte[] dst, int dstOff,
        int dstLength) {
      int n;
      try {
        if (codec == Codec.LZ4) {
          n = src.hasArray()
              ? LZ4.safeDecompressor().decompress(src.array(), src.arrayOffset() + srcIndex,
                  srcLength, dst, dstOff, dstLength)
              : lz4Direct(src, srcIndex, srcLength, dst, dstOff, dstLength);
        } else if (codec == Codec.ZSTD) {
          ZstdContexts contexts = ZSTD_CONTEXTS.get();
          ZstdDecompressCtx ctx = contexts.plain;
          if (dictionary != null) {
            ctx = contexts.withDict;
            if (contexts.loaded != dictionary) {
              ctx.loadDict(dictionary);
              contexts.loaded = dictionary;
            }
          }
          n = src.isDirect()
              ? ctx.decompressDirectByteBufferToByteArray(dst, dstOff, dstLength, src, srcIndex,
                  srcLength)
              : ctx.decompressByteArray(dst, dstOff, dstLength, src.array(),
                  src.arrayOffset() + srcIndex, srcLength);
        } else {
          throw new IllegalArgumentException("values of codec none are never compressed");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      if (n != dstLength) {
        throw new IllegalArgumentException("decompressed to " + n + " bytes instead of "
            + dstLength);
      }
    }

    private static int lz4Direct(ByteBuffer src, int srcIndex, int srcLength, byte[] dst,
        int dstOff, int dstLength) {
      return LZ4.safeDecompressor().decompress(src, srcIndex, srcLength, ByteBuffer.wrap(dst),
          dstOff, dstLength);
    }
  }

  /** Compresses the values of one file being written. Not thread-safe; close when done. */
  static final class Encoder implements Closeable {
    final Codec codec;
    final byte[] dictionary;
    private final ZstdCompressCtx zstd;
    private final ZstdDictCompress zstdDict;
    private final LZ4Compressor lz4;

    Encoder(Codec codec, int level, byte[] dictionary) {
      this.codec = codec;
      this.dictionary = dictionary;
      if (codec == Codec.ZSTD) {
        zstd = new ZstdCompressCtx().setLevel(level).setMagicless(true).setChecksum(false)
            .setContentSize(false).setDictID(false);
        zstdDict = dictionary.length > 0 ? new ZstdDictCompress(dictionary, level) : null;
        if (zstdDict != null) {
          zstd.loadDict(zstdDict);
        }
      } else {
        zstd = null;
        zstdDict = null;
      }
      lz4 = codec == Codec.LZ4 ? LZ4_COMPRESSION.fastCompressor() : null;
    }

    /** Bytes {@link #compress} may need for {@code length} bytes of input. */
    int bound(int length) {
      if (codec == Codec.ZSTD) {
        return (int) Math.min(Integer.MAX_VALUE - 16, zstdBound(length));
      }
      return codec == Codec.LZ4 ? lz4.maxCompressedLength(length) : length;
    }

    /**
     * zstd's ZSTD_COMPRESSBOUND, computed here rather than by a native call per value (the
     * formula is part of zstd's stable API, zstd.h).
     */
    static long zstdBound(long length) {
      long small = 128 * 1024;
      return length + (length >>> 8) + (length < small ? (small - length) >>> 11 : 0);
    }

    /**
     * Compresses {@code src[off, off + len)} into {@code dst} from 0, which holds at least
     * {@link #bound} bytes; returns the compressed length.
     */
    int compress(byte[] src, int off, int len, byte[] dst) {
      if (codec == Codec.ZSTD) {
        return zstd.compressByteArray(dst, 0, dst.length, src, off, len);
      }
      return lz4.compress(src, off, len, dst, 0, dst.length);
    }

    @Override
    public void close() {
      if (zstd != null) {
        zstd.close();
      }
      if (zstdDict != null) {
        zstdDict.close();
      }
    }
  }

  /**
   * Trains a zstd dictionary of at most {@code capacity} bytes on {@code samples} (each a value),
   * or returns an empty array when zstd finds too little to train on.
   */
  static byte[] trainDictionary(Iterable<byte[]> samples, int sampleBytes, int capacity) {
    ZstdDictTrainer trainer = new ZstdDictTrainer(Math.max(1, sampleBytes), capacity);
    int count = 0;
    for (byte[] s : samples) {
      if (s.length > 0 && trainer.addSample(s)) {
        count++;
      }
    }
    // zstd needs several samples; below its minimum it fails or learns nothing useful.
    if (count < MIN_TRAINING_SAMPLES) {
      return new byte[0];
    }
    try {
      byte[] dict = trainer.trainSamples();
      return dict.length <= capacity ? dict : new byte[0];
    } catch (RuntimeException e) {
      // ZDICT gives up on samples with nothing in common (random values): no dictionary.
      return new byte[0];
    }
  }

  /**
   * Whether the values of {@code sample} share enough to be worth compressing: their first
   * {@link #PAYS_PROBE_BYTES} bytes, laid end to end and compressed at zstd level 1 without
   * dictionary, shrink by at least 1 / {@link #MIN_SAVING_DIVISOR}. The values are judged
   * together, not one by one against the dictionary trained on them, which holds some of them
   * verbatim and would make even random values look compressible.
   */
  static boolean pays(Iterable<byte[]> sample) {
    byte[] all = new byte[PAYS_PROBE_BYTES];
    int n = 0;
    for (byte[] v : sample) {
      int take = Math.min(v.length, all.length - n);
      System.arraycopy(v, 0, all, n, take);
      n += take;
      if (n == all.length) {
        break;
      }
    }
    if (n == 0) {
      return false;
    }
    byte[] out = new byte[(int) Encoder.zstdBound(n)];
    try (ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(1)) {
      int compressed = zstd.compressByteArray(out, 0, out.length, all, 0, n);
      return (long) (n - compressed) * MIN_SAVING_DIVISOR >= n;
    }
  }

  /**
   * Whether the values of {@code sample}, each compressed on its own with {@code codec},
   * {@code level} and {@code dictionary} and stored as the writer stores them (raw when they do
   * not shrink), take at least 1 / {@link #MIN_SAVING_DIVISOR} fewer bytes. Values too short
   * for a frame (a few bytes each) fail it even though they compress together. Only meaningful
   * after {@link #pays(Iterable)}: a dictionary trained on the sample holds some of its values
   * verbatim.
   */
  static boolean paysPerValue(Codec codec, int level, byte[] dictionary,
      Iterable<byte[]> sample) {
    long raw = 0;
    long stored = 0;
    try (Encoder encoder = new Encoder(codec, level, dictionary)) {
      byte[] out = new byte[256];
      for (byte[] v : sample) {
        if (v.length == 0) {
          continue;
        }
        int bound = encoder.bound(v.length);
        if (out.length < bound) {
          out = new byte[bound];
        }
        int n = encoder.compress(v, 0, v.length, out);
        raw += v.length;
        stored += Math.min(v.length, n + Varint.size(n));
      }
    }
    return (raw - stored) * MIN_SAVING_DIVISOR >= raw;
  }

  /** Most bytes of a sample {@link #pays} compresses. */
  static final int PAYS_PROBE_BYTES = 256 * 1024;

  /**
   * A partition is compressed only if its sample shrinks by at least 1 / this (1/16, about 6%):
   * below that, the bytes saved do not pay for a decompression on every lookup.
   */
  static final int MIN_SAVING_DIVISOR = 16;

  /** Fewest values a dictionary is trained on. */
  static final int MIN_TRAINING_SAMPLES = 8;
  /** Smallest dictionary zstd trains (ZDICT_DICTSIZE_MIN); a smaller budget trains none. */
  static final int MIN_DICTIONARY_BYTES = 256;
}
