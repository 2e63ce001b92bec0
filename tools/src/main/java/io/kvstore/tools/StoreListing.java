package io.kvstore.tools;

import io.kvstore.fs.FileOperations;
import io.kvstore.format.StoreLayout;
import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * What {@code ls} and {@code du} show of a path: its kind (a store and its state, or not a
 * store), and what its manifest says. {@link #of} is the one place a path's kind is decided, so a
 * new kind (a table of store versions) is added there.
 */
final class StoreListing {
  /** The kind of a listed path. */
  enum Kind {
    /** A store with a manifest. */
    COMPLETE("complete"),
    /** A store being written, or what a failed writer left. */
    INCOMPLETE("incomplete"),
    /** A directory with a manifest that cannot be read. */
    DAMAGED("damaged"),
    /** Anything else. */
    NOT_A_STORE("not a store");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One listed path. */
  static final class Entry {
    final FileStatus status;
    final Kind kind;
    /** The manifest, for complete stores; else null. */
    final StoreManifest manifest;
    /** Why a damaged store's manifest cannot be read; else null. */
    final String problem;

    Entry(FileStatus status, Kind kind, StoreManifest manifest, String problem) {
      this.status = status;
      this.kind = kind;
      this.manifest = manifest;
      this.problem = problem;
    }
  }

  private StoreListing() {}

  /** What {@code status} is. */
  static Entry of(FileOperations files, FileStatus status) throws IOException {
    Path path = status.getPath();
    switch (StoreLayout.stateOf(files, path)) {
      case COMPLETE:
        try {
          return new Entry(status, Kind.COMPLETE,
              StoreManifest.read(files, path), null);
        } catch (IOException e) {
          return new Entry(status, Kind.DAMAGED, null, ErrorMessages.describe(e));
        }
      case INCOMPLETE:
        return new Entry(status, Kind.INCOMPLETE, null, null);
      default:
        return new Entry(status, Kind.NOT_A_STORE, null, null);
    }
  }

  /**
   * The entries to list for {@code path}: the path itself if it is a store or a file, else its
   * children (hidden names, starting with '.', left out) in name order.
   */
  static List<Entry> list(FileOperations files, Path path) throws IOException {
    FileStatus status = files.getFileStatus(path);
    Entry self = of(files, status);
    List<Entry> entries = new ArrayList<>();
    if (self.kind != Kind.NOT_A_STORE || !status.isDirectory()) {
      entries.add(self);
      return entries;
    }
    FileStatus[] children = files.listStatus(path);
    Arrays.sort(children);
    for (FileStatus child : children) {
      if (!child.getPath().getName().startsWith(".")) {
        entries.add(of(files, child));
      }
    }
    return entries;
  }

  /** Bytes of every file under {@code status} (its length, for a file). */
  static long bytesUnder(FileOperations files, FileStatus status) throws IOException {
    if (!status.isDirectory()) {
      return status.getLen();
    }
    long total = 0;
    for (FileStatus child : files.listStatus(status.getPath())) {
      total += bytesUnder(files, child);
    }
    return total;
  }
}
