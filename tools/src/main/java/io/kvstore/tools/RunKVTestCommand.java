package io.kvstore.tools;

import io.kvstore.fs.FileOperations;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/** {@code kvstore runKVTest [--dir DIR] [--pairs N]}: the self-test. */
final class RunKVTestCommand implements Command {
  private static final int DEFAULT_PAIRS = 2000;

  @Override
  public String name() {
    return "runKVTest";
  }

  @Override
  public String synopsis() {
    return "[--dir DIR] [--pairs N]";
  }

  @Override
  public String summary() {
    return "run the self-test; prints 'Passed the test!' when everything works";
  }

  @Override
  public String help() {
    return "Writes a store with a " + Sizes.bytes(SelfTest.PARTITION_LIMIT) + " partition limit so"
        + " that it spans many partitions, then checks\nsize, every get, absent keys, full and range"
        + " iteration, rename, merge (with interleaved\nkeys), a CloneStoreMapReduce run (local job"
        + " runner unless configured otherwise) with a\nlookup of every key in the clone, and"
        + " delete. Prints each step, and 'Passed the test!'\nlast (exit 0); on failure names the"
        + " step and the reason (exit 1). Leaves nothing behind.\n\n"
        + "  --dir DIR   run in a new directory under DIR (any Hadoop path, e.g. hdfs://nn/tmp);\n"
        + "              default: a new local temporary directory\n"
        + "  --pairs N   pairs in the first store (default " + DEFAULT_PAIRS + ", at least 400)\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().valued("--dir").valued("--pairs");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException, InterruptedException {
    args.positional(0, 0);
    long pairs = args.longValue("--pairs", DEFAULT_PAIRS);
    if (pairs < 400 || pairs > 10_000_000) {
      throw new UsageException("--pairs must be between 400 and 10000000");
    }
    java.nio.file.Path localTemp = Files.createTempDirectory("kvstore-kvtest-");
    try {
      Configuration conf = new Configuration(context.conf());
      if ("local".equals(conf.get("mapreduce.framework.name", "local"))) {
        // The local job runner's staging and work directories go under hadoop.tmp.dir; keep
        // them in our temporary directory so the test leaves nothing behind.
        conf.set("hadoop.tmp.dir", localTemp.resolve("hadoop").toString());
      }
      Path dir = args.has("--dir")
          ? new Path(context.path(args.value("--dir")), "kvtest-" + UUID.randomUUID())
          : new Path(localTemp.resolve("stores").toUri());
      FileOperations ops = FileOperations.forPath(dir, conf);
      dir = ops.makeQualified(dir);
      context.out().println("kvstore self-test in " + dir);
      context.out().flush();
      SelfTest test = new SelfTest(conf, RunKVTestCommand::cloneQuietly, context.out(),
          (int) pairs);
      try {
        test.run(dir);
      } catch (IOException e) {
        context.out().println("FAILED");
        context.out().flush();
        context.err().println("kvstore runKVTest: failed at step " + test.currentStep() + ": "
            + ErrorMessages.describe(e));
        return KvStoreCli.EXIT_FAILURE;
      } finally {
        ops.delete(dir, true);
      }
      context.out().println("Passed the test!");
      return 0;
    } finally {
      FileUtil.fullyDelete(localTemp.toFile());
    }
  }

  private static void cloneQuietly(Configuration conf, Path in, Path out)
      throws IOException, InterruptedException {
    StoreJobRunner.cloneStore(conf, in, out,
        new ProgressBar(null, "clone", 1000, ProgressBar.Unit.PERMILLE, System::nanoTime));
  }
}
