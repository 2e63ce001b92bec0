package io.kvstore.benchmarks;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kvstore.Bytes;
import java.util.Arrays;
import org.junit.Test;

public class DataSetTest {

  @Test
  public void sameSeedGivesSamePairs() {
    DataSet a = DataSet.generate(1000, 100, 7);
    DataSet b = DataSet.generate(1000, 100, 7);
    byte[] ka = new byte[16];
    byte[] kb = new byte[16];
    byte[] va = new byte[100];
    byte[] vb = new byte[100];
    for (int i = 0; i < 1000; i++) {
      a.keyAt(i, ka);
      b.keyAt(i, kb);
      assertArrayEquals(ka, kb);
      a.valueOf(a.hiAt(i), va);
      b.valueOf(b.hiAt(i), vb);
      assertArrayEquals(va, vb);
    }
  }

  @Test
  public void otherSeedGivesOtherKeys() {
    assertFalse(DataSet.generate(100, 8, 1).hiAt(0) == DataSet.generate(100, 8, 2).hiAt(0));
  }

  @Test
  public void keysAreStrictlyIncreasingUnsigned() {
    DataSet d = DataSet.generate(10_000, 4, 3);
    byte[] prev = new byte[16];
    byte[] key = new byte[16];
    d.keyAt(0, prev);
    for (int i = 1; i < d.keyCount(); i++) {
      d.keyAt(i, key);
      assertTrue("key " + i, Bytes.compare(prev, key) < 0);
      System.arraycopy(key, 0, prev, 0, 16);
    }
  }

  @Test
  public void absentKeyDiffersFromPresentKeyOfSameWord() {
    byte[] present = new byte[16];
    byte[] absent = new byte[16];
    for (long hi : DataSet.randomWords(1000, 5)) {
      DataSet.presentKey(hi, present);
      DataSet.absentKey(hi, absent);
      assertFalse(Arrays.equals(present, absent));
    }
  }

  @Test
  public void valuesDifferBetweenKeys() {
    DataSet d = DataSet.generate(100, 10_000, 9);
    byte[] v0 = new byte[10_000];
    byte[] v1 = new byte[10_000];
    d.valueOf(d.hiAt(0), v0);
    d.valueOf(d.hiAt(1), v1);
    assertFalse(Arrays.equals(v0, v1));
  }

  @Test
  public void payloadCountsKeysAndValues() {
    assertEquals(1000L * 116, DataSet.generate(1000, 100, 1).payloadBytes());
  }

  @Test
  public void labelsUseUnits() {
    assertEquals("1M x 100 B", DataSet.generate(1_000_000, 100, 1).label());
    assertEquals("100k x 10k B", DataSet.generate(100_000, 10_000, 1).label());
  }
}
