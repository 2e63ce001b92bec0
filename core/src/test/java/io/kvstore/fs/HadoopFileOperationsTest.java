package io.kvstore.fs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.FileNotFoundException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What {@link HadoopFileOperations} creates on the local filesystem, and at what cost. */
public final class HadoopFileOperationsTest {
  @Rule
  public final TemporaryFolder tmp = new TemporaryFolder();

  private Configuration conf;
  private FileSystem hadoop;
  private FileOperations ops;
  private Path dir;

  @org.junit.After
  public void closeFileSystem() throws Exception {
    hadoop.close();
  }

  @Before
  public void setUp() throws Exception {
    conf = new Configuration();
    // Not the process umask (022), so a permission the OS applied by itself would show.
    conf.set("fs.permissions.umask-mode", "027");
    // Not the cached instance, whose configuration (and umask) is another test's.
    hadoop = FileSystem.newInstance(java.net.URI.create("file:///"), conf);
    ops = FileOperations.of(hadoop);
    dir = new Path(tmp.getRoot().toURI());
  }

  /**
   * Hadoop's local filesystem sets each new file's permission by running chmod in a new process
   * when its native library is absent (as here), and reads the process's stderr in a thread it
   * starts for it: counting threads started counts those processes. Before the fix each create
   * and each directory made one.
   */
  @Test
  public void localCreatesAndMkdirsStartNoProcess() throws Exception {
    long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    for (int i = 0; i < 20; i++) {
      Path sub = new Path(dir, "d" + i + "/e");
      ops.mkdirs(sub);
      ops.create(new Path(sub, "f"), false).close();
      ops.createNonRecursive(new Path(sub, "g"), false).close();
      ops.create(new Path(dir, "new" + i + "/h"), false).close();
    }
    long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
    assertTrue(started + " threads started for 100 creates", started < 20);
  }

  @Test
  public void localFilesAndDirectoriesGetThePermissionsHadoopGives() throws Exception {
    // What Hadoop's own local filesystem gives under this umask.
    RawLocalFileSystem raw = (RawLocalFileSystem) HadoopFileOperations.unchecksummed(hadoop);
    raw.create(new Path(dir, "hadoop/file"), false).close();
    FsPermission hadoopFile = raw.getFileStatus(new Path(dir, "hadoop/file")).getPermission();
    FsPermission hadoopDir = raw.getFileStatus(new Path(dir, "hadoop")).getPermission();
    assertEquals(new FsPermission((short) 0640), hadoopFile);
    assertEquals(new FsPermission((short) 0750), hadoopDir);

    ops.create(new Path(dir, "a/b/file"), false).close();
    ops.mkdirs(new Path(dir, "c/d"));
    ops.mkdir(new Path(dir, "e"));
    ops.createNonRecursive(new Path(dir, "e/file"), false).close();
    for (String f : new String[] {"a/b/file", "e/file"}) {
      assertEquals(f, hadoopFile, raw.getFileStatus(new Path(dir, f)).getPermission());
    }
    for (String d : new String[] {"a", "a/b", "c", "c/d", "e"}) {
      assertEquals(d, hadoopDir, raw.getFileStatus(new Path(dir, d)).getPermission());
    }
  }

  @Test
  public void localCreateKeepsHadoopsRefusalsAndCountsBytes() throws Exception {
    Path file = new Path(dir, "x/file");
    FileSystem.Statistics stats = FileSystem.getStatistics("file", RawLocalFileSystem.class);
    long written = stats.getBytesWritten();
    try (FSDataOutputStream out = ops.create(file, false)) {
      out.write("first contents".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(14, stats.getBytesWritten() - written);
    try {
      ops.create(file, false);
      fail("an existing file must be refused without overwrite");
    } catch (FileAlreadyExistsException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains(file.toString()));
    }
    try (FSDataOutputStream out = ops.create(file, true)) {
      out.write('2');
    }
    assertArrayEquals(new byte[] {'2'}, Files.readAllBytes(
        ((RawLocalFileSystem) HadoopFileOperations.unchecksummed(hadoop)).pathToFile(file)
            .toPath()));
    try {
      ops.createNonRecursive(new Path(dir, "missing/file"), false);
      fail("a missing parent must be refused");
    } catch (FileNotFoundException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("missing"));
    }
    try {
      ops.create(new Path(dir, "x"), true);
      fail("a directory must not be overwritten by a file");
    } catch (FileAlreadyExistsException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("directory"));
    }
    try {
      ops.mkdirs(new Path(file, "under-a-file"));
      fail("a directory under a file must be refused");
    } catch (FileAlreadyExistsException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("file"));
    }
  }

  /**
   * A small file (a manifest) on the local disk is read through the JDK's stream, not Hadoop's
   * (whose open stats the file several times), and absence reads as Hadoop reports it.
   */
  @Test
  public void openSmallReadsALocalFileWithoutHadoopsStream() throws Exception {
    Path file = new Path(dir, "small");
    byte[] bytes = "manifest bytes".getBytes(StandardCharsets.UTF_8);
    Files.write(new java.io.File(file.toUri()).toPath(), bytes);
    try (java.io.InputStream in = ops.openSmall(file)) {
      assertTrue(in.getClass().getName(),
          !(in instanceof org.apache.hadoop.fs.FSDataInputStream));
      assertArrayEquals(bytes, in.readAllBytes());
    }
    for (Path absent : new Path[] {new Path(dir, "absent"), new Path(file, "under-a-file")}) {
      try {
        ops.openSmall(absent).close();
        fail(absent + " opened");
      } catch (FileNotFoundException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().contains(absent.toString()));
      }
    }
    Path sub = new Path(dir, "sub");
    ops.mkdirs(sub);
    try (java.io.InputStream in = ops.openSmall(sub)) {
      in.read(new byte[8]);
      fail("a directory read");
    } catch (FileNotFoundException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains(sub.toString()));
    }
  }

  /**
   * Opening stores on one filesystem finds its operations once, not per open; and a local
   * {@code exists} answers as Hadoop's does (a file, a directory, nothing, a path under a file).
   */
  @Test
  public void forPathReusesTheOperationsOfOneFileSystemAndLocalExistsAnswersAsHadoop()
      throws Exception {
    Path file = new Path(dir, "f");
    Files.write(new java.io.File(file.toUri()).toPath(), new byte[] {1});
    FileOperations first = FileOperations.forPath(file, conf);
    assertTrue(first == FileOperations.forPath(dir, conf));
    for (Path p : new Path[] {file, dir, new Path(dir, "absent"), new Path(file, "under")}) {
      assertEquals(p.toString(), hadoop.exists(p), ops.exists(p));
      assertEquals(p.toString(), hadoop.exists(p), first.exists(p));
    }
  }
}
