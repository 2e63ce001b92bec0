package io.kvstore.benchmarks;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdDictTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU floor of decoding one value as kvstore's zstd codec stores it, measured on zstd-jni
 * alone: frames as kvstore writes them (magicless, no checksum, content size or dictionary id;
 * 16 KiB dictionary trained on the first 256 KiB of values), decoded one by one into a reused
 * array, beside a plain copy of the same value (what an uncompressed scan pays for it) and the
 * decode of a one-byte frame (the fixed cost per value: JNI entry and frame setup). This is why a
 * compressed scan cannot reach half the uncompressed scan's rate: issue 10's scan bar needs a
 * value decoded in about the time of an uncompressed record, ~100 ns.
 *
 * <p>Run: {@code java -cp <benchmarks classpath> io.kvstore.benchmarks.DecodeFloor [values]
 * [length] [levels...]}; prints ns of thread CPU per value, rounds interleaved.
 */
public final class DecodeFloor {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DecodeFloor() {}

  /**
   * Runs the measurement.
   *
   * @param args number of values (default 200,000), value length (default 200), zstd levels
   *     (default -2, kvstore's default, and 1)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int length = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int[] levels = {-2, 1};
    if (args.length > 2) {
      levels = new int[args.length - 2];
      for (int i = 2; i < args.length; i++) {
        levels[i - 2] = Integer.parseInt(args[i]);
      }
    }
    System.out.println("| values | level | compressed bytes | copy ns | 1-byte frame ns | decode ns"
        + " (median of 5 rounds, min-max) |");
    System.out.println("|---|---:|---:|---:|---:|---|");
    for (DataSet.ValueKind kind : new DataSet.ValueKind[] {DataSet.ValueKind.TEXT,
        DataSet.ValueKind.LOGS}) {
      byte[][] values = new byte[n][length];
      for (int i = 0; i < n; i++) {
        ValueText.fill(kind, i * 0x9E3779B97F4A7C15L, values[i], length);
      }
      for (int level : levels) {
        measure(kind, level, values, length);
      }
    }
  }

  private static void measure(DataSet.ValueKind kind, int level, byte[][] values, int length) {
    int n = values.length;
    ZstdDictTrainer trainer = new ZstdDictTrainer(256 * 1024, 16 * 1024);
    for (int i = 0; i < n && trainer.addSample(values[i]); i++) {
      // adds samples until the trainer's buffer is full
    }
    byte[] dictionary = trainer.trainSamples();
    byte[][] frames = new byte[n][];
    long stored = 0;
    try (ZstdDictCompress dc = new ZstdDictCompress(dictionary, level);
        ZstdDictDecompress dd = new ZstdDictDecompress(dictionary);
        ZstdCompressCtx cc = new ZstdCompressCtx().setLevel(level).setMagicless(true)
            .setChecksum(false).setContentSize(false).setDictID(false);
        ZstdDecompressCtx dctx = new ZstdDecompressCtx().setMagicless(true)) {
      cc.loadDict(dc);
      dctx.loadDict(dd);
      for (int i = 0; i < n; i++) {
        frames[i] = cc.compress(values[i]);
        stored += frames[i].length;
      }
      byte[] tiny = cc.compress(new byte[] {'{'});
      byte[] out = new byte[length];
      int rounds = 5;
      double[] decode = new double[rounds];
      double copy = Double.MAX_VALUE;
      double fixed = Double.MAX_VALUE;
      long sink = 0;
      for (int r = 0; r < rounds; r++) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          int k = dctx.decompressByteArray(out, 0, length, frames[i], 0, frames[i].length);
          sink += out[k - 1];
        }
        long t1 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          System.arraycopy(values[i], 0, out, 0, length);
          sink += out[length - 1];
        }
        long t2 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += dctx.decompressByteArray(out, 0, 1, tiny, 0, tiny.length);
        }
        long t3 = THREADS.getCurrentThreadCpuTime();
        decode[r] = (t1 - t0) / (double) n;
        copy = Math.min(copy, (t2 - t1) / (double) n);
        fixed = Math.min(fixed, (t3 - t2) / (double) n);
      }
      java.util.Arrays.sort(decode);
      if (sink == 42) {
        System.out.println(); // keeps the loops' results alive
      }
      System.out.printf("| %s | %d | %.1f | %.0f | %.0f | %.0f (%.0f-%.0f) |%n",
          kind.name().toLowerCase(java.util.Locale.ROOT), level, stored / (double) n, copy, fixed,
          decode[rounds / 2], decode[0], decode[rounds - 1]);
    }
  }
}
