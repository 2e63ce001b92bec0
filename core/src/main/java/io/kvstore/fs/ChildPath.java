package io.kvstore.fs;

import java.net.URI;
import org.apache.hadoop.fs.Path;

/**
 * A plain name resolved in a directory, equal to {@code new Path(dir, name)} but built by parsing
 * only {@code lastSegmentOfDir/name} and resolving that against the directory's URI, which copies
 * its parts without parsing them again. Hadoop's two-path constructor parses the name, re-parses
 * the directory with a slash added, resolves, then parses the whole result again; measured in an
 * interpreted open (where parsing a URI is a loop of method calls per character) those parses were
 * a third of it. Opening a store resolves its table pointer, its manifest and every partition file
 * once per open, so this code is never compiled.
 */
public final class ChildPath {
  private ChildPath() {}

  /**
   * {@code new Path(dir, name)}.
   *
   * @param dir a directory
   * @param name a file name; where it and the directory's last name are made of letters, digits,
   *     {@code .}, {@code _} and {@code -} (all that kvstore writes), the short way, else the
   *     constructor's
   */
  public static Path of(Path dir, String name) {
    URI uri = dir.toUri();
    String path = uri.getPath();
    int slash = path == null ? -1 : path.lastIndexOf('/');
    if (slash < 0 || slash == path.length() - 1 || !path.startsWith("/") || uri.isOpaque()
        || uri.getQuery() != null || uri.getFragment() != null || !isPlain(name)) {
      return new Path(dir, name);
    }
    String last = path.substring(slash + 1);
    if (!isPlain(last)) {
      return new Path(dir, name);
    }
    // "last/name" against ".../last" replaces the last segment by itself plus the name.
    return new Path(uri.resolve(URI.create(last + "/" + name)));
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
