package io.kvstore.format;

import io.kvstore.fs.ChildPath;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Names in a table directory. A table holds complete stores, its versions, in directories
 * {@code v-00000001}, {@code v-00000002}, ... (numbers increase with every publish and are never
 * reused), plus the pointer {@value #POINTER_NAME} naming the current version
 * ({@link TablePointer}). Names starting with {@link StoreLayout#TEMP_PREFIX} are temporary:
 * pointers being written, and stores that jobs are still building for the table.
 */
public final class TableLayout {
  /** The pointer file; its presence makes a directory a table. */
  public static final String POINTER_NAME = "_kvstore_table";
  private static final String VERSION_PREFIX = "v-";
  private static final Pattern VERSION_NAME = Pattern.compile("v-(\\d{8,18})");

  private TableLayout() {}

  /** The directory of version {@code version} of the table at {@code table}. */
  public static Path versionDir(Path table, long version) {
    if (version < 1) {
      throw new IllegalArgumentException("Table versions start at 1, not " + version);
    }
    return new Path(table, String.format("%s%08d", VERSION_PREFIX, version));
  }

  /** The version a table entry called {@code name} holds, or -1 if it is not a version. */
  public static long versionOf(String name) {
    Matcher m = VERSION_NAME.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Whether {@code entry} of a table directory is something a table holds: its pointer, a
   * version directory, or a temporary entry ({@link StoreLayout#TEMP_PREFIX}...), each possibly
   * with the checksum side file Hadoop's local filesystem keeps for it. Anything else means the
   * directory is not (only) a table, and deleting it as one would remove unrelated data.
   */
  public static boolean isTableEntry(FileStatus entry) {
    String name = entry.getPath().getName();
    boolean sideFile = name.startsWith(".") && name.endsWith(".crc");
    String own = sideFile ? name.substring(1, name.length() - ".crc".length()) : name;
    return own.equals(POINTER_NAME) || own.startsWith(StoreLayout.TEMP_PREFIX)
        || (versionOf(own) > 0 && (sideFile || entry.isDirectory()));
  }

  /** The pointer file of the table at {@code table}. */
  public static Path pointer(Path table) {
    return ChildPath.of(table, POINTER_NAME);
  }
}
