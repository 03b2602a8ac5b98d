package io.backupagents.deploy;

import io.backupagents.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An agent's image launcher installed as the image installs it ({@code opt/<agent>/<agent>} beside
 * an empty jar, started through a symlink in {@code bin}), with a stand-in {@code java} on PATH
 * that prints the arguments the launcher gives it.
 */
final class InstalledLauncher {

  private final Path root;
  private final String agent;
  private final Path app;

  private InstalledLauncher(Path root, String agent, Path app) {
    this.root = root;
    this.agent = agent;
    this.app = app;
  }

  /** Installs {@code Dockerfiles/<agent>/<agent>} under {@code root}. */
  static InstalledLauncher install(Path root, String agent) throws IOException {
    Path app = Files.createDirectories(root.resolve("opt/" + agent));
    Path launcher = app.resolve(agent);
    Files.copy(Repo.root().resolve("Dockerfiles/" + agent + "/" + agent), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createFile(app.resolve(agent + ".jar"));
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The image starts it through a symlink in /usr/local/bin.
    Files.createSymbolicLink(bin.resolve(agent), launcher);
    return new InstalledLauncher(root, agent, app);
  }

  /** The directory holding the launcher and the jar. */
  Path app() {
    return app;
  }

  /** The arguments {@code java} gets when the launcher runs with only {@code settings} set. */
  List<String> launch(Map<String, String> settings, List<String> args) {
    List<String> command =
        new ArrayList<>(List.of("env", "-i", "PATH=" + root.resolve("bin") + ":/usr/bin:/bin"));
    settings.forEach((k, v) -> command.add(k + "=" + v));
    command.add(root.resolve("bin/" + agent).toString());
    command.addAll(args);
    return List.of(Commands.run(command).strip().split("\n"));
  }
}
