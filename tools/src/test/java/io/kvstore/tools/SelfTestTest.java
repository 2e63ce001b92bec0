package io.kvstore.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kvstore.KeyValueIterator;
import io.kvstore.KeyValuePair;
import io.kvstore.KeyValueStoreReader;
import io.kvstore.KeyValueStoreWriter;
import io.kvstore.KeyValueSystem;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The self-test's steps with a stand-in for the MapReduce clone, so that a wrong clone can be
 * injected: the test must then fail at the lookup step and name the key.
 */
public class SelfTestTest {
  @Rule
  public TemporaryFolder folder = new TemporaryFolder();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  /**
   * Copies a store through the client API, leaving out the pair of key {@code skipped} or
   * giving it another value (null: a faithful copy).
   */
  private static StoreCloner copyingCloner(byte[] skipped, boolean dropIt) {
    return (conf, in, out) -> {
      KeyValueSystem system = KeyValueSystem.Factory.create(conf);
      try (KeyValueStoreReader reader = system.openStore(in);
          KeyValueIterator it = reader.iterator();
          KeyValueStoreWriter writer = system.createStore(out)) {
        while (it.hasNext()) {
          KeyValuePair pair = it.next();
          if (skipped == null || !Arrays.equals(skipped, pair.getKey())) {
            writer.put(pair.getKey(), pair.getValue());
          } else if (!dropIt) {
            writer.put(pair.getKey(), new byte[] {42});
          }
        }
      }
    };
  }

  private SelfTest selfTest(StoreCloner cloner) {
    return new SelfTest(new Configuration(), cloner,
        new PrintStream(printed, true, StandardCharsets.UTF_8), 400);
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void everyStepPassesAndTheStoresAreDeleted() throws Exception {
    Path dir = new Path(folder.getRoot().toURI().toString(), "run");
    selfTest(copyingCloner(null, false)).run(dir);
    String[] lines = printed().split("\n");
    assertEquals(printed(), SelfTest.STEPS, lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertTrue(lines[i], lines[i].startsWith(String.format("[%2d/%d] ", i + 1, SelfTest.STEPS)));
      assertTrue(lines[i], lines[i].contains(" ... ok ("));
    }
    String[] left = new File(folder.getRoot(), "run").list();
    assertEquals(Arrays.toString(left), 0, left == null ? 0 : left.length);
  }

  @Test
  public void aCloneMissingAKeyFailsTheLookupStep() throws Exception {
    SelfTest test = selfTest(copyingCloner(SelfTest.key(123, false), true));
    try {
      test.run(new Path(folder.getRoot().toURI().toString(), "run"));
      fail("a clone without key-00123 passed");
    } catch (StepFailedException e) {
      assertEquals("10 (look up every key in the clone)", test.currentStep());
      assertEquals("clone has 499 pairs, expected 500", e.getMessage());
    }
  }

  @Test
  public void aCloneWithAWrongValueFailsTheLookupStepNamingTheKey() throws Exception {
    SelfTest test = selfTest(copyingCloner(SelfTest.key(123, false), false));
    try {
      test.run(new Path(folder.getRoot().toURI().toString(), "run"));
      fail("a clone with a wrong value for key-00123 passed");
    } catch (StepFailedException e) {
      assertEquals("10 (look up every key in the clone)", test.currentStep());
      assertTrue(e.getMessage(), e.getMessage().startsWith("key key-00123 has a wrong value (1 bytes"));
    }
  }

  @Test
  public void aFailingCloneJobFailsTheCloneStep() throws Exception {
    SelfTest test = selfTest((conf, in, out) -> {
      throw new IOException("job failed: no slots");
    });
    try {
      test.run(new Path(folder.getRoot().toURI().toString(), "run"));
      fail("a failing clone passed");
    } catch (IOException e) {
      assertEquals("9 (clone it with CloneStoreMapReduce)", test.currentStep());
      assertEquals("job failed: no slots", e.getMessage());
    }
  }

  @Test
  public void keysOfTheMergedStoreInterleaveWithTheFirst() {
    byte[] merged = SelfTest.key(2, true);
    assertTrue(io.kvstore.Bytes.compare(SelfTest.key(8, false), merged) < 0);
    assertTrue(io.kvstore.Bytes.compare(merged, SelfTest.key(9, false)) < 0);
  }
}
