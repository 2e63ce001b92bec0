package io.kvstore.tools;

import io.kvstore.format.StoreManifest;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

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
    List<String> paths = args.positional(2, 2);
    Path in = context.qualify(context.path(paths.get(0)));
    Path out = context.qualify(context.path(paths.get(1)));
    StoreManifest store;
    try (ProgressBar bar = context.progress("build", 1000, ProgressBar.Unit.PERMILLE)) {
      store = StoreJobRunner.buildStore(context.conf(), in, out, bar);
    }
    context.out().println("built " + out + " from " + in + ": " + Sizes.contents(store));
    return 0;
  }
}
