package io.kvstore.fs;

import java.net.URI;
import org.apache.hadoop.fs.Path;

/**
 * A plain name resolved in a directory, equal to {@code new Path(dir, name)} but built with one
 * URI parse instead of four (Hadoop's two-path constructor parses the name, re-parses the
 * directory with a slash added, resolves, then parses the result again). Opening a store resolves
 * its manifest, its table pointer and every partition file, once per open, so this code is never
 * compiled: what it costs interpreted is what an open costs.
 */
public final class ChildPath {
  private ChildPath() {}

  /**
   * {@code new Path(dir, name)}.
   *
   * @param dir a directory
   * @param name a file name; names of letters, digits, {@code .}, {@code _} and {@code -} (all
   *     that kvstore writes) take the short way, any other the constructor's
   */
  public static Path of(Path dir, String name) {
    URI uri = dir.toUri();
    String path = uri.getPath();
    if (!isPlain(name) || path == null || !path.startsWith("/") || uri.getQuery() != null
        || uri.getFragment() != null) {
      return new Path(dir, name);
    }
    return new Path(uri.getScheme(), uri.getAuthority(),
        path.endsWith("/") ? path + name : path + "/" + name);
  }

  /** A name that needs no quoting and no normalisation, and that no URI reads as a scheme. */
  private static boolean isPlain(String name) {
    int n = name.length();
    if (n == 0 || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
