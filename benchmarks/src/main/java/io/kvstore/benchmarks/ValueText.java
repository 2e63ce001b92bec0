package io.kvstore.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Generates the values of {@link DataSet.ValueKind#RANDOM}, {@link DataSet.ValueKind#TEXT} and
 * {@link DataSet.ValueKind#LOGS} from a per-key seed, straight into the caller's buffer (no
 * String formatting, so the harness's share of a build stays small).
 */
final class ValueText {
  private static final byte[][] COUNTRIES = words("SE", "DE", "US", "GB", "FR", "NL", "BR", "IN",
      "JP", "ES");
  private static final byte[][] CITIES = words("Stockholm", "Berlin", "New York", "London",
      "Paris", "Amsterdam", "Sao Paulo", "Mumbai", "Tokyo", "Madrid", "Gothenburg", "Hamburg");
  private static final byte[][] PLANS = words("free", "premium", "family", "student", "duo");
  private static final byte[][] SEGMENTS = words("sports", "news", "music", "podcasts", "travel",
      "food", "tech", "gaming", "fashion", "finance", "kids", "health");
  private static final byte[][] METHODS = words("GET", "GET", "GET", "POST", "GET", "HEAD");
  private static final byte[][] PATHS = words("/products/", "/api/v2/items/", "/search?q=item",
      "/static/img/", "/cart/add/", "/users/profile/", "/checkout/step/");
  private static final byte[][] STATUS = words("200", "200", "200", "304", "200", "404", "302",
      "200", "500", "200");
  private static final byte[][] AGENTS = words(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/124.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.4 Safari/605.1.15",
      "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Mobile/15E148",
      "curl/8.5.0");
  private static final byte[][] MONTHS = words("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
      "Aug", "Sep", "Oct", "Nov", "Dec");

  private ValueText() {}

  private static byte[][] words(String... w) {
    byte[][] out = new byte[w.length][];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  /** Appends into a fixed buffer, dropping what does not fit (values are cut to length). */
  private static final class Out {
    final byte[] dst;
    final int end;
    int pos;

    Out(byte[] dst, int end) {
      this.dst = dst;
      this.end = end;
    }

    Out s(String text) {
      for (int i = 0; i < text.length() && pos < end; i++) {
        dst[pos++] = (byte) text.charAt(i);
      }
      return this;
    }

    Out w(byte[] word) {
      int n = Math.min(word.length, end - pos);
      System.arraycopy(word, 0, dst, pos, n);
      pos += n;
      return this;
    }

    Out n(long v) {
      if (v < 0) {
        s("-");
        v = -v;
      }
      long div = 1;
      while (v / div >= 10) {
        div *= 10;
      }
      for (; div > 0 && pos < end; div /= 10) {
        dst[pos++] = (byte) ('0' + (v / div) % 10);
      }
      return this;
    }

    /** {@code v} in at least {@code digits} digits, zero-padded. */
    Out z(long v, int digits) {
      long limit = 1;
      for (int i = 1; i < digits; i++) {
        limit *= 10;
        if (v < limit) {
          s("0");
        }
      }
      return n(v);
    }

    void padWithSpaces() {
      while (pos < end) {
        dst[pos++] = ' ';
      }
    }
  }

  /** Fills {@code dst[0, length)} with a value of {@code kind} chosen by {@code keySeed}. */
  static void fill(DataSet.ValueKind kind, long keySeed, byte[] dst, int length) {
    SplittableRandom r = new SplittableRandom(keySeed);
    if (kind == DataSet.ValueKind.RANDOM) {
      for (int i = 0; i < length; i += 8) {
        long x = r.nextLong();
        for (int j = i; j < Math.min(length, i + 8); j++) {
          dst[j] = (byte) x;
          x >>>= 8;
        }
      }
      return;
    }
    Out o = new Out(dst, length);
    if (kind == DataSet.ValueKind.TEXT) {
      long id = r.nextLong(1L << 40);
      o.s("{\"user_id\":").n(id).s(",\"name\":\"user_").z(r.nextInt(10_000_000), 7)
          .s("\",\"country\":\"").w(pick(r, COUNTRIES)).s("\",\"city\":\"").w(pick(r, CITIES))
          .s("\",\"age\":").n(18 + r.nextInt(60)).s(",\"plan\":\"").w(pick(r, PLANS))
          .s("\",\"segments\":[\"").w(pick(r, SEGMENTS)).s("\",\"").w(pick(r, SEGMENTS))
          .s("\"],\"score\":0.").z(r.nextInt(10_000), 4).s(",\"visits\":").n(r.nextInt(5000))
          .s(",\"created\":\"20").z(15 + r.nextInt(10), 2).s("-").z(1 + r.nextInt(12), 2)
          .s("-").z(1 + r.nextInt(28), 2).s("T").z(r.nextInt(24), 2).s(":")
          .z(r.nextInt(60), 2).s(":").z(r.nextInt(60), 2).s("Z\",\"active\":")
          .s(r.nextBoolean() ? "true" : "false").s("}");
    } else {
      o.n(10 + r.nextInt(200)).s(".").n(r.nextInt(256)).s(".").n(r.nextInt(256)).s(".")
          .n(1 + r.nextInt(254)).s(" - - [").z(1 + r.nextInt(28), 2).s("/")
          .w(pick(r, MONTHS)).s("/2024:").z(r.nextInt(24), 2).s(":").z(r.nextInt(60), 2)
          .s(":").z(r.nextInt(60), 2).s(" +0000] \"").w(pick(r, METHODS)).s(" ")
          .w(pick(r, PATHS)).n(r.nextInt(1_000_000)).s(" HTTP/1.1\" ").w(pick(r, STATUS))
          .s(" ").n(200 + r.nextInt(50_000)).s(" \"https://www.example.com")
          .w(pick(r, PATHS)).n(r.nextInt(100_000)).s("\" \"").w(pick(r, AGENTS)).s("\"");
    }
    o.padWithSpaces();
  }

  private static byte[] pick(SplittableRandom r, byte[][] words) {
    return words[r.nextInt(words.length)];
  }
}
