package io.kvstore.tools;

import io.kvstore.KeyValueSystem;
import io.kvstore.NotAStoreException;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/** {@code kvstore rm PATH...}: deletes stores and tables. */
final class RmCommand implements Command {
  @Override
  public String name() {
    return "rm";
  }

  @Override
  public String synopsis() {
    return "STORE|TABLE...";
  }

  @Override
  public String summary() {
    return "delete stores (complete or incomplete) and tables";
  }

  @Override
  public String help() {
    return "Deletes each store with everything in its directory: a complete or incomplete store,\n"
        + "or a directory holding only what a failed kvstore job left (_kvstore_tmp_* staging,\n"
        + "partition files). Deletes each table with all its versions: its pointer first (so no\n"
        + "new reader or publish starts on it), then the versions, then the directory. Refuses a\n"
        + "path holding anything else, so a mistyped path cannot remove other data. Stops at the\n"
        + "first failure.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    for (String arg : args.positional(1, -1)) {
      delete(context.system(), context.qualify(context.path(arg)));
    }
    return 0;
  }

  private static void delete(KeyValueSystem system, Path path) throws IOException {
    try {
      system.deleteStore(path);
    } catch (NotAStoreException notAStore) {
      try {
        system.deleteTable(path);
      } catch (NotAStoreException notATable) {
        // The table check names what it found that no table holds, which says why it is neither.
        NotAStoreException neither = NotAStoreException.neitherStoreNorTable(path,
            notATable.what());
        neither.addSuppressed(notAStore);
        throw neither;
      }
    }
  }
}
