package io.kvstore.tools;

import io.kvstore.mapreduce.jobs.StoreJobs;
import java.io.IOException;

/** {@code kvstore clone IN OUT}: copies a store with the CloneStoreMapReduce job. */
final class CloneCommand implements Command {
  @Override
  public String name() {
    return "clone";
  }

  @Override
  public String synopsis() {
    return "IN OUT";
  }

  @Override
  public String summary() {
    return "copy a store with the CloneStoreMapReduce job";
  }

  @Override
  public String help() {
    return "Runs the CloneStoreMapReduce job (io.kvstore.mapreduce.jobs.StoreJobs):\n"
        + "KeyValueInputFormat reads IN, KeyValueOutputFormat writes OUT (which must not\n"
        + "exist). The job runs in the local job runner unless the configuration names a\n"
        + "cluster, e.g.\n"
        + "  kvstore -D mapreduce.framework.name=yarn -D mapreduce.job.reduces=8 clone IN OUT\n"
        + "With N reducers the copy has N hash-partitioned groups of partitions.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException, InterruptedException {
    return StoreJobRunner.runCommand(context, args, "clone", StoreJobs::copy,
        (in, out, store) -> "cloned " + in + " to " + out + ": " + Sizes.contents(store));
  }
}
