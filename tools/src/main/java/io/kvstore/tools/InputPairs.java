package io.kvstore.tools;

import io.kvstore.fs.FileOperations;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The pairs of {@code create}'s {@code --input}: what {@code hadoop fs -text} accepts. A path, a
 * glob or a directory (its files, recursively, in name order, skipping names starting with
 * {@code _} or {@code .} as MapReduce input does); each file a SequenceFile when it starts with
 * SequenceFile's magic, else tab-separated text, decompressed by the Hadoop codec its extension
 * names ({@code .gz}, {@code .bz2}, {@code .deflate}, ...) or by gzip when it starts with gzip's
 * magic. Positions name the file when there is more than one.
 */
final class InputPairs implements PairSource {
  private static final byte[] SEQUENCE_FILE_MAGIC = {'S', 'E', 'Q'};
  private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};

  /** What the files hold. */
  enum Format {
    /** Decided by each file's first bytes. */
    AUTO,
    /** Tab-separated text (possibly compressed), whatever the file starts with. */
    TSV,
    /** SequenceFiles only. */
    SEQFILE
  }

  private final CommandContext context;
  private final FileOperations files;
  private final List<FileStatus> inputs;
  private final Format format;
  private final boolean raw;
  private final long totalBytes;
  private int nextFile;
  private PairSource current;
  private CountingStream currentRaw;
  private long finishedBytes;
  private String currentName;
  private boolean firstIsSequenceFile;

  private InputPairs(CommandContext context, FileOperations files, List<FileStatus> inputs,
      Format format, boolean raw) {
    this.context = context;
    this.files = files;
    this.inputs = inputs;
    this.format = format;
    this.raw = raw;
    long total = 0;
    for (FileStatus f : inputs) {
      total += f.getLen();
    }
    this.totalBytes = total;
  }

  /**
   * The pairs of the files {@code input} names.
   *
   * @throws FileNotFoundException if it names no file
   */
  static InputPairs open(CommandContext context, String input, Format format, boolean raw)
      throws IOException {
    Path path = context.path(input);
    FileOperations files = context.ops(path);
    FileStatus[] matched = files.globStatus(path);
    if (matched == null || matched.length == 0) {
      throw new FileNotFoundException(input + (matched == null ? " not found"
          : " matches no file"));
    }
    List<FileStatus> inputs = new ArrayList<>();
    Arrays.sort(matched);
    for (FileStatus status : matched) {
      addFiles(files, status, inputs);
    }
    if (inputs.isEmpty()) {
      throw new FileNotFoundException(input + " holds no input files (names starting with _ or"
          + " . are skipped)");
    }
    return new InputPairs(context, files, inputs, format, raw);
  }

  private static void addFiles(FileOperations files, FileStatus status, List<FileStatus> out)
      throws IOException {
    if (!status.isDirectory()) {
      out.add(status);
      return;
    }
    FileStatus[] children = files.listStatus(status.getPath());
    Arrays.sort(children, Comparator.comparing(FileStatus::getPath));
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      if (!name.startsWith("_") && !name.startsWith(".")) {
        addFiles(files, child, out);
      }
    }
  }

  /**
   * What a position counts, for messages about pairs out of input order (a sort reports pair
   * ordinals): "line" or "record" for one file, "pair" across files. Known once the first file
   * is open: files are opened once, since a pipe cannot be read twice.
   */
  String unit() {
    if (inputs.size() > 1) {
      return "pair";
    }
    return firstIsSequenceFile ? "record" : "line";
  }

  /** Bytes of all input files as stored (compressed if they are), for progress. */
  long totalBytes() {
    return totalBytes;
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      if (current == null) {
        if (nextFile == inputs.size()) {
          return false;
        }
        current = openFile(inputs.get(nextFile++));
      }
      boolean more;
      try {
        more = current.next();
      } catch (BadInputException e) {
        throw currentName == null ? e : new BadInputException(currentName + " " + e.getMessage());
      }
      if (more) {
        return true;
      }
      finishedBytes += inputs.get(nextFile - 1).getLen();
      PairSource done = current;
      current = null;
      done.close();
    }
  }

  private PairSource openFile(FileStatus status) throws IOException {
    Path file = status.getPath();
    currentName = inputs.size() > 1 ? file.toString() : null;
    currentRaw = null;
    // Opened once, so that a pipe (--input <(...)) loses nothing to the look at its first bytes.
    FSDataInputStream opened = files.open(file);
    InputStream stream = new BufferedInputStream(opened, 1 << 16);
    boolean ok = false;
    try {
      byte[] head = peek(stream, 3);
      if (format != Format.TSV && startsWith(head, SEQUENCE_FILE_MAGIC)) {
        // A SequenceFile reader needs the stream itself, from its start (a file, never a pipe).
        opened.seek(0);
        firstIsSequenceFile |= nextFile == 1;
        ok = true;
        return new SequenceFilePairSource(context.conf(), file, opened, status.getLen());
      }
      if (format == Format.SEQFILE) {
        throw new BadInputException(file + " is not a SequenceFile (it does not start with SEQ)");
      }
      currentRaw = new CountingStream(stream);
      CompressionCodec codec = new CompressionCodecFactory(context.conf()).getCodec(file);
      InputStream text;
      if (codec != null) {
        text = codec.createInputStream(currentRaw);
      } else if (startsWith(head, GZIP_MAGIC)) {
        text = new GZIPInputStream(currentRaw, 1 << 16);
      } else {
        text = currentRaw;
      }
      ok = true;
      return new TsvPairSource(text, context.codec(), raw);
    } finally {
      if (!ok) {
        stream.close();
      }
    }
  }

  private static byte[] peek(InputStream stream, int n) throws IOException {
    stream.mark(n);
    byte[] head = stream.readNBytes(n);
    stream.reset();
    return head;
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] key() {
    return current.key();
  }

  @Override
  public byte[] value() {
    return current.value();
  }

  @Override
  public String position() {
    return currentName == null ? current.position() : currentName + " " + current.position();
  }

  @Override
  public long bytesRead() {
    if (current == null) {
      return finishedBytes;
    }
    return finishedBytes + (currentRaw != null ? currentRaw.count : current.bytesRead());
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
    }
  }

  /** Counts the stored bytes read, so progress is right for compressed files. */
  private static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
