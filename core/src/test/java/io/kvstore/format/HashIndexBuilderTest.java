package io.kvstore.format;

import static org.junit.Assert.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * The hash index written slot by slot from sorted entries equals the documented table: record
 * order insertion with linear probing, wrap-around included.
 */
public class HashIndexBuilderTest {
  /** The documented table, built the obvious way. */
  private static long[] reference(long[] hashes, long[] slotValues, int slots) {
    long[] table = new long[slots];
    for (int i = 0; i < hashes.length; i++) {
      int b = KeyHash.reduce(hashes[i], slots);
      while (table[b] != 0) {
        b = b + 1 == slots ? 0 : b + 1;
      }
      table[b] = slotValues[i];
    }
    return table;
  }

  private static long[] streamed(long[] hashes, long[] slotValues, int slots, int chunkBits)
      throws Exception {
    HashIndexBuilder builder = new HashIndexBuilder(chunkBits);
    for (int i = 0; i < hashes.length; i++) {
      builder.add(hashes[i], slotValues[i]);
    }
    List<Long> out = new ArrayList<>();
    builder.writeTo(slots, out::add);
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static void check(String what, long[] hashes, int slots, int chunkBits)
      throws Exception {
    long[] values = new long[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      // Offsets grow with the record index, as in a file; the fingerprint is the hash's low bits.
      values[i] = PartitionFormat.slot(hashes[i], 16 + 10L * i);
    }
    assertArrayEquals(what, reference(hashes, values, slots),
        streamed(hashes, values, slots, chunkBits));
  }

  @Test
  public void streamedTableEqualsRecordOrderLinearProbing() throws Exception {
    Random random = new Random(5);
    for (int round = 0; round < 3000; round++) {
      int n = random.nextInt(round % 10 == 0 ? 3000 : 60);
      int slots = n + 1 + random.nextInt(round % 4 == 0 ? 2 : 1 + n / 2);
      long[] hashes = new long[n];
      for (int i = 0; i < n; i++) {
        // Often crowd the homes at the end of the table, so clusters wrap to slot 0.
        hashes[i] = random.nextInt(3) == 0 ? -1L - random.nextInt(1 << (round % 20)) * (1L << 32)
            : random.nextLong();
      }
      check("round " + round + ": " + n + " keys, " + slots + " slots", hashes, slots,
          1 + random.nextInt(4));
    }
  }

  @Test
  public void defaultLoadFactorTableOfManyKeys() throws Exception {
    Random random = new Random(6);
    long[] hashes = new long[200_000];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = random.nextLong();
    }
    check("200k keys", hashes, (int) PartitionFormat.slotCount(hashes.length, 0.75), 10);
    check("200k keys, load 0.95", hashes, (int) PartitionFormat.slotCount(hashes.length, 0.95),
        HashIndexBuilder.DEFAULT_CHUNK_BITS);
  }
}
