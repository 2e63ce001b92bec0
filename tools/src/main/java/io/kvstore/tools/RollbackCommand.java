package io.kvstore.tools;

import io.kvstore.TableVersion;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** {@code kvstore rollback TABLE [VERSION]}: makes an older kept version current again. */
final class RollbackCommand implements Command {
  @Override
  public String name() {
    return "rollback";
  }

  @Override
  public String synopsis() {
    return "TABLE [VERSION]";
  }

  @Override
  public String summary() {
    return "make an earlier version of a table current again";
  }

  @Override
  public String help() {
    return "Makes VERSION (any kept version, see 'versions'), or else the newest version older\n"
        + "than the current one, the current version of TABLE: one atomic replacement of the\n"
        + "table's pointer; readers following the table switch to it.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    List<String> positional = args.positional(1, 2);
    Path table = context.qualify(context.path(positional.get(0)));
    long before = 0;
    for (TableVersion v : context.system().listVersions(table)) {
      before = v.isCurrent() ? v.getVersion() : before;
    }
    TableVersion now;
    if (positional.size() == 2) {
      long version;
      try {
        version = Long.parseLong(positional.get(1));
      } catch (NumberFormatException e) {
        throw new UsageException("VERSION must be a version number, not '" + positional.get(1)
            + "'");
      }
      now = context.system().setCurrentVersion(table, version);
    } else {
      now = context.system().rollback(table);
    }
    context.out().println(table + ": version " + now.getVersion() + " is current (was "
        + before + ")");
    return 0;
  }
}
