package io.kvstore.spark;

import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.apache.spark.TaskContext;

/**
 * The local filesystem under the scheme {@value #SCHEME}, failing the first attempt of Spark
 * task 1 when it creates a store partition file: a write task that fails after it began writing.
 */
public final class FailFirstAttemptFileSystem extends RawLocalFileSystem {
  /** The scheme. */
  static final String SCHEME = "failfirst";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataOutputStream createNonRecursive(Path f, FsPermission permission,
      EnumSet<CreateFlag> flags, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    TaskContext task = TaskContext.get();
    if (f.getName().startsWith("part-s") && task != null && task.partitionId() == 1
        && task.attemptNumber() == 0) {
      throw new IOException("deliberate failure of the first attempt of write task 1");
    }
    return super.createNonRecursive(f, permission, flags, bufferSize, replication, blockSize,
        progress);
  }
}
