package io.kvstore.tools;

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
    return "TEXT_INPUT OUT";
  }

  @Override
  public String summary() {
    return "build a store from tab-separated text with the BuildStoreMapReduce job";
  }

  @Override
  public String help() {
    return "Runs the BuildStoreMapReduce job (io.kvstore.mapreduce.jobs.StoreJobs): reads\n"
        + "'KEY<TAB>VALUE' lines from TEXT_INPUT (files, directories or globs, compressed or\n"
        + "not; raw UTF-8, no escapes), sorts them in the reducers and writes the store OUT.\n"
        + "A key on two lines fails the job. Unsorted input is fine. Local job runner unless\n"
        + "the configuration names a cluster (-D mapreduce.framework.name=yarn ...).\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException, InterruptedException {
    return StoreJobRunner.runCommand(context, args, "build", StoreJobs::buildFromText,
        (in, out, store) -> "built " + out + " from " + in + ": " + Sizes.contents(store));
  }
}
