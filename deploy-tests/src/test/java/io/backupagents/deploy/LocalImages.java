package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The two images, built once per test run by Dockerfiles/build-images.sh from the local base. */
final class LocalImages {

  static final String SQL_BACKUP = "localhost/backup-agents/sql-backup:latest";
  static final String REPLICATOR = "localhost/backup-agents/volume-replicator:latest";
  static final String AGENT_UID = "10001";

  private static boolean built;

  private LocalImages() {}

  /**
   * Builds the images (and saves their bases for jib) unless this JVM did already. Test classes run
   * one after the other here, so a plain flag is enough.
   */
  static void ensureBuilt() {
    Podman.requireUsable();
    if (built) {
      return;
    }
    long start = System.nanoTime();
    Podman.Result build =
        Podman.run(List.of("Dockerfiles/build-images.sh", "--jib-bases"), Duration.ofMinutes(20));
    assertThat(build.exitCode())
        .as("Dockerfiles/build-images.sh:\n%s", Podman.tail(build.output()))
        .isZero();
    System.out.printf(
        "images built in %ds:%n%s%n", (System.nanoTime() - start) / 1_000_000_000L, build.output());
    built = true;
  }

  /** A container as the chart runs it: non-root, read-only root, no capabilities, host network. */
  static List<String> hardenedRun(String image, List<String> options, List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--network",
                "host",
                "--read-only",
                "--tmpfs",
                "/tmp:rw,size=512m",
                "--cap-drop",
                "ALL",
                "--security-opt",
                "no-new-privileges"));
    command.addAll(options);
    command.add(image);
    command.addAll(args);
    return command;
  }
}
