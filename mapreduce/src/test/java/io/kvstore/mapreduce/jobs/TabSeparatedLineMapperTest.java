package io.kvstore.mapreduce.jobs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.kvstore.KeyValueConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.map.WrappedMapper;
import org.apache.hadoop.mapreduce.task.MapContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.Test;

/** The build job's line convention, which is create's ({@link TsvLines}). */
public class TabSeparatedLineMapperTest {
  private static final Path FILE = new Path("file:/in/part.tsv");

  /** Runs the mapper over {@code lines} (offsets as a text input format gives them). */
  private static List<String[]> map(Configuration conf, String... lines) throws Exception {
    List<String[]> out = new ArrayList<>();
    RecordReader<LongWritable, Text> reader = new RecordReader<LongWritable, Text>() {
      private int index = -1;
      private long offset;

      @Override
      public void initialize(InputSplit split, TaskAttemptContext context) {}

      @Override
      public boolean nextKeyValue() {
        if (index >= 0) {
          offset += lines[index].getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return ++index < lines.length;
      }

      @Override
      public LongWritable getCurrentKey() {
        return new LongWritable(offset);
      }

      @Override
      public Text getCurrentValue() {
        return new Text(lines[index]);
      }

      @Override
      public float getProgress() {
        return 0;
      }

      @Override
      public void close() {}
    };
    RecordWriter<BytesWritable, BytesWritable> writer =
        new RecordWriter<BytesWritable, BytesWritable>() {
          @Override
          public void write(BytesWritable key, BytesWritable value) {
            out.add(new String[] {string(key), string(value)});
          }

          @Override
          public void close(TaskAttemptContext context) {}
        };
    MapContextImpl<LongWritable, Text, BytesWritable, BytesWritable> context =
        new MapContextImpl<>(conf, new TaskAttemptID(), reader, writer, null,
            new TaskAttemptContextImpl.DummyReporter(), new FileSplit(FILE, 0, 100, null));
    Mapper<LongWritable, Text, BytesWritable, BytesWritable>.Context wrapped =
        new WrappedMapper<LongWritable, Text, BytesWritable, BytesWritable>()
            .getMapContext(context);
    new TabSeparatedLineMapper().run(wrapped);
    return out;
  }

  private static String string(BytesWritable b) {
    return new String(b.getBytes(), 0, b.getLength(), StandardCharsets.ISO_8859_1);
  }

  @Test
  public void escapesAreDecodedAsCreateDecodesThem() throws Exception {
    List<String[]> out = map(new Configuration(false), "k\\x09\t{\"p\":\"C:\\\\dir\"}", "",
        "a\tb\tc");
    assertEquals(2, out.size());
    assertArrayEquals(new String[] {"k\t", "{\"p\":\"C:\\dir\"}"}, out.get(0));
    assertArrayEquals(new String[] {"a", "b\tc"}, out.get(1));
  }

  @Test
  public void rawKeepsTheBytesAsTheyAre() throws Exception {
    Configuration conf = new Configuration(false);
    KeyValueConf.TSV_RAW.setBoolean(conf, true);
    List<String[]> out = map(conf, "k\\q\tC:\\dir");
    assertEquals(Arrays.asList("k\\q", "C:\\dir"), Arrays.asList(out.get(0)));
  }

  @Test
  public void anInvalidEscapeFailsNamingTheFileAndTheLinesOffset() {
    IOException e = assertThrows(IOException.class,
        () -> map(new Configuration(false), "a\t1", "b\tC:\\dir"));
    assertEquals("file:/in/part.tsv: line at byte 4: invalid escape '\\d' (a backslash starts"
        + " \\\\ or \\xHH)", e.getMessage());
  }

  @Test
  public void aLineWithoutATabFailsAsInCreate() {
    IOException e = assertThrows(IOException.class,
        () -> map(new Configuration(false), "a\t1", "lonely"));
    assertEquals("file:/in/part.tsv: line at byte 4: no tab between key and value",
        e.getMessage());
  }
}
