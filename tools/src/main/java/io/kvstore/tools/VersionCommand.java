package io.kvstore.tools;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.hadoop.util.VersionInfo;

/** {@code kvstore version}: kvstore's version and the Hadoop version it runs with. */
final class VersionCommand implements Command {
  /** Maven writes the project version into this resource when it builds the tools module. */
  static final String RESOURCE = "kvstore-version.properties";

  @Override
  public String name() {
    return "version";
  }

  @Override
  public String synopsis() {
    return "";
  }

  @Override
  public String summary() {
    return "print the versions of kvstore and of Hadoop";
  }

  @Override
  public String help() {
    return "Prints kvstore's version (as built by Maven) and the version of the Hadoop client\n"
        + "on the classpath, one per line.\n";
  }

  @Override
  public OptionSpec options() {
    return OptionSpec.none();
  }

  @Override
  public int run(CommandContext context, Arguments args) throws IOException {
    args.positional(0, 0);
    context.out().println("kvstore " + kvstoreVersion());
    context.out().println("Hadoop " + VersionInfo.getVersion());
    return 0;
  }

  /** The version Maven filtered into {@link #RESOURCE}. */
  static String kvstoreVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the classpath: the tools module was"
            + " not built by Maven");
      }
      p.load(in);
    }
    String version = p.getProperty("version");
    if (version == null || version.isEmpty() || version.startsWith("${")) {
      throw new IOException(RESOURCE + " holds no version: Maven did not filter it");
    }
    return version;
  }
}
