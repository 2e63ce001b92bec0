package io.kvstore.benchmarks;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/** Maps Hadoop local paths to files for the peers that only know java.io. */
final class LocalFiles {
  private LocalFiles() {}

  static boolean isLocal(FileSystem fs) {
    return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
  }

  /** Creates the local directory {@code dir}, which must not exist, for a peer's files. */
  static File newDirectory(FileSystem fs, Path dir) throws IOException {
    File d = toFile(fs, dir);
    if (!d.mkdirs()) {
      throw new IOException("Cannot create " + d);
    }
    return d;
  }

  static File toFile(FileSystem fs, Path path) {
    if (!isLocal(fs)) {
      throw new IllegalArgumentException(path + " is not on the local filesystem");
    }
    return new File(fs.makeQualified(path).toUri().getPath());
  }
}
