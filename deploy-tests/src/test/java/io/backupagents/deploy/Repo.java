package io.backupagents.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository these tests check: the chart, the Dockerfiles, the monitoring files. */
final class Repo {

  private Repo() {}

  /** The repository's root: the nearest directory above the working directory with a chart. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("charts/backup-agents/Chart.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no charts/backup-agents above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path chart() {
    return root().resolve("charts/backup-agents");
  }

  static Path monitoring() {
    return root().resolve("monitoring");
  }
}
