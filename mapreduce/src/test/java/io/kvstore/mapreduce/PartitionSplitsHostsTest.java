package io.kvstore.mapreduce;

import static org.junit.Assert.assertArrayEquals;

import java.io.IOException;
import org.apache.hadoop.fs.BlockLocation;
import org.junit.Test;

/** {@link PartitionSplits#hostsHoldingMost}: which hosts a split names. */
public class PartitionSplitsHostsTest {
  private static BlockLocation block(long offset, long length, String... hosts) {
    return new BlockLocation(hosts, hosts, offset, length);
  }

  @Test
  public void oneBlockGivesItsHosts() throws IOException {
    String[] hosts = PartitionSplits.hostsHoldingMost(
        new BlockLocation[] {block(0, 100, "dn2", "dn1", "dn3")}, 100);

    assertArrayEquals(new String[] {"dn1", "dn2", "dn3"}, hosts);
  }

  @Test
  public void hostHoldingMostBytesComesFirst() throws IOException {
    BlockLocation[] blocks = {
        block(0, 128, "a", "b"),
        block(128, 128, "a", "c"),
        block(256, 10, "d", "c")};

    assertArrayEquals(new String[] {"a", "c"}, PartitionSplits.hostsHoldingMost(blocks, 266));
  }

  @Test
  public void bytesNotManyBlocksDecide() throws IOException {
    BlockLocation[] blocks = {
        block(0, 1000, "big"),
        block(1000, 10, "small"),
        block(1010, 10, "small")};

    assertArrayEquals(new String[] {"big"}, PartitionSplits.hostsHoldingMost(blocks, 1020));
  }

  @Test
  public void onlyBytesInsideTheFileCount() throws IOException {
    // A block reaching past the stated length weighs only its part inside it.
    BlockLocation[] blocks = {
        block(0, 100, "early"),
        block(100, 1000, "late")};

    assertArrayEquals(new String[] {"early"}, PartitionSplits.hostsHoldingMost(blocks, 150));
  }

  @Test
  public void noBlocksGiveNoHosts() throws IOException {
    assertArrayEquals(new String[0], PartitionSplits.hostsHoldingMost(new BlockLocation[0], 0));
    assertArrayEquals(new String[0], PartitionSplits.hostsHoldingMost(null, 10));
  }
}
