package io.kvstore.tools;

import io.kvstore.KeyValueConf;
import io.kvstore.mapreduce.jobs.StoreJobs;
import java.io.IOException;

/** {@code kvstore build TEXT_INPUT OUT}: builds a store from text with BuildStoreMapReduce. */
final class BuildCommand implements Command {
  @Override
  public String name() {
    return "build";
  }

  @Override
  public String synopsis() {
    return "TEXT_INPUT OUT [--raw]";
  }

  @Override
  public String summary() {
    return "build a store from tab-separated text with the BuildStoreMapReduce job";
  }

  @Override
  public String help() {
    return "Runs the BuildStoreMapReduce job (io.kvstore.mapreduce.jobs.StoreJobs): reads\n"
        + "'KEY<TAB>VALUE' lines from TEXT_INPUT (files, directories or globs, compressed or\n"
        + "not), sorts them in the reducers and writes the store OUT. Lines follow create's\n"
        + "convention, so one file gives one store either way: UTF-8 with \\xHH and \\\\\n"
        + "escapes; a line without a tab, or with any other backslash, fails the job naming\n"
        + "the file and the line's byte offset. A key on two lines fails the job. Unsorted\n"
        + "input is fine. Local job runner unless the configuration names a cluster\n"
        + "(-D mapreduce.framework.name=yarn ...).\n\n"
        + "  --raw   take lines as raw bytes, no escapes (sets kvstore.tsv.raw=true)\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none().flag("--raw");
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException, InterruptedException {
    if (context.codec() != ByteCodec.TEXT) {
      throw new UsageException("build reads text lines; --hex and --base64 are for create");
    }
    if (args.has("--raw")) {
      KeyValueConf.TSV_RAW.setBoolean(context.conf(), true);
    }
    return StoreJobRunner.runCommand(context, args, "build", StoreJobs::buildFromText,
        (in, out, store) -> "built " + out + " from " + in + ": " + Sizes.contents(store));
  }
}
