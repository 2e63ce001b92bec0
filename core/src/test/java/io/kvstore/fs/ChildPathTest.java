package io.kvstore.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.apache.hadoop.fs.Path;
import org.junit.Test;

/** {@link ChildPath#of} gives exactly what {@code new Path(dir, name)} gives, for every kind of dir. */
public class ChildPathTest {
  private static final String[] DIRS = {"file:/tmp/store", "file:///tmp/store/", "file:/",
      "/", "/tmp/a b/store", "/tmp/per%25cent", "hdfs://nn:8020/user/x/store",
      "hdfs://nn/user/x/v-00000001", "s3a://bucket/key/store", "relative/dir", "relative",
      "file:/tmp/with:colon", "/tmp/dot./x", "hdfs://nn:8020/", "file:/tmp/a/.hidden",
      "file:/tmp/a/-dash", "hdfs://nn:8020/x/..y", "file:/x"};
  private static final String[] NAMES = {"_kvstore_manifest", "part-00000.kvp", "_kvstore_table",
      "v-00000001", "a", "..", ".", "a:b", "with space", "per%cent", "x/y", "..hidden", "#frag",
      "q?x", "ü"};

  @Test
  public void equalsTheTwoPathConstructorForEveryDirAndName() {
    for (String d : DIRS) {
      Path dir = new Path(d);
      for (String name : NAMES) {
        Path expected;
        try {
          expected = new Path(dir, name);
        } catch (IllegalArgumentException e) {
          // Hadoop refuses it (a name read as a scheme): so must the short way.
          assertThrows(d + " + " + name, IllegalArgumentException.class,
              () -> ChildPath.of(dir, name));
          continue;
        }
        Path actual = ChildPath.of(dir, name);
        assertEquals(d + " + " + name, expected, actual);
        assertEquals(d + " + " + name, expected.toString(), actual.toString());
        assertEquals(d + " + " + name, expected.toUri(), actual.toUri());
      }
    }
  }
}
