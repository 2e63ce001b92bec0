package io.kvstore.tools;

import io.kvstore.KeyValueSystem;
import io.kvstore.TableVersion;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** {@code kvstore publish TABLE STORE}: makes a store the table's next, current version. */
final class PublishCommand implements Command {
  @Override
  public String name() {
    return "publish";
  }

  @Override
  public String synopsis() {
    return "TABLE STORE";
  }

  @Override
  public String summary() {
    return "make a store a table's new current version";
  }

  @Override
  public String help() {
    return "Moves the complete STORE into TABLE as its next version and makes it current in one\n"
        + "atomic step; readers following the table switch to it. Creates the table if nothing\n"
        + "exists at TABLE. Then deletes old versions, keeping kvstore.table.versions.retained\n"
        + "(default 2, never the current one). Both paths must be on one filesystem.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> paths = args.positional(2, 2);
    Path table = context.qualify(context.path(paths.get(0)));
    Path store = context.path(paths.get(1));
    KeyValueSystem system = context.system();
    if (!context.ops(table).exists(table)) {
      system.createTable(table);
      context.out().println("created table " + table);
    }
    TableVersion published = system.publishVersion(table, store);
    context.out().println("published " + context.qualify(store) + " as version "
        + published.getVersion() + " of " + table + " (" + published.getPairCount() + " pairs, "
        + Sizes.bytes(published.getSizeBytes()) + "), now current");
    for (TableVersion old : system.deleteOldVersions(table)) {
      context.out().println("deleted old version " + old.getVersion());
    }
    return 0;
  }
}
