package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the images are made of: their user, init, time zone and clients; exit code 2 with the cause
 * for bad settings; and jib building the same agents offline on the images' base.
 */
class ImageConfigurationTest {

  static final String SQL_BACKUP = LocalImages.SQL_BACKUP;
  static final String REPLICATOR = LocalImages.REPLICATOR;

  @BeforeAll
  static void buildImages() {
    LocalImages.ensureBuilt();
  }

  @Test
  void imagesRunAsTheirOwnUserUnderTiniInUtc() {
    for (String image : List.of(SQL_BACKUP, REPLICATOR)) {
      Podman.Result run =
          shell(
              image,
              "id -u; id -g; echo TZ=$TZ; readlink -f /proc/1/exe; test ! -e ~/.pgpass && echo no-pgpass;"
                  + " java -Xshare:on -version 2>&1 | head -1");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("10001\n10001\nTZ=UTC\n").contains("no-pgpass");
      Podman.Result config =
          Podman.podman(
              List.of(
                  "image",
                  "inspect",
                  "--format",
                  "{{.Config.User}} {{json .Config.Entrypoint}}",
                  image),
              Duration.ofMinutes(1));
      assertThat(config.output()).startsWith("10001:10001 [\"/usr/bin/tini\",\"--\"");
    }
    Podman.Result clients = shell(SQL_BACKUP, "ls /usr/lib/postgresql");
    assertThat(clients.output().strip().split("\\s+"))
        .as("PostgreSQL client majors")
        .contains("17");
  }

  /**
   * Each agent's directory holds its launcher, its jar and the class archive made by the training
   * (which the JVM accepts in the launcher's start); nothing of the training (its jars, S3Proxy,
   * the PostgreSQL server it trains against, its temporary files) stayed in the image.
   */
  @Test
  void imagesHoldTheirClassArchiveAndNothingOfTheTraining() {
    for (String agent : List.of("sql-backup", "volume-replicator")) {
      String image = agent.equals("sql-backup") ? SQL_BACKUP : REPLICATOR;
      Podman.Result run =
          shell(
              image,
              "ls -A /opt/"
                  + agent
                  + "; echo tmp:; ls -A /tmp; echo found:;"
                  + " find / -xdev \\( -name '*training*' -o -name initdb -o -name pg_ctl"
                  + " -o -name 'postgres' -type f -o -name 's3proxy*' -o -name '*.classlist'"
                  + " \\) -print 2>/dev/null; echo end");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .as(agent)
          .isEqualTo(agent + "\n" + agent + ".aot\n" + agent + ".jar\ntmp:\nfound:\nend\n");
    }
    // The JVM refuses to start unless the archive is there and fits the launcher's start
    // (ImageSmokeTest starts the volume-replicator so).
    Podman.Result list =
        Podman.podman(
            LocalImages.hardenedRun(
                SQL_BACKUP,
                List.of(
                    "-e",
                    "JAVA_OPTS=-XX:AOTMode=on",
                    "-e",
                    "BACKUP_ROOT_DIR=/tmp",
                    "-e",
                    "RECOVERY_ROOT_DIR=/tmp",
                    "-e",
                    "TERMINATION_LOG_PATH=/tmp/t"),
                List.of("list")),
            Duration.ofMinutes(1));
    assertThat(list.exitCode()).as("list with AOTMode=on:%n%s", list.output()).isZero();
  }

  @Test
  void badSettingsEndWithExitCodeTwoAndTheirCause() {
    Podman.Result run =
        Podman.podman(
            LocalImages.hardenedRun(
                SQL_BACKUP,
                List.of("-e", "BACKUP_CUONT=3", "-e", "TERMINATION_LOG_PATH=/tmp/t"),
                List.of()),
            Duration.ofMinutes(2));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output()).contains("unknown variable BACKUP_CUONT; did you mean BACKUP_COUNT?");
    run =
        Podman.podman(
            LocalImages.hardenedRun(
                REPLICATOR,
                List.of("-e", "REPLICATE_DIRECTON=AtoB", "-e", "TERMINATION_LOG_PATH=/tmp/t"),
                List.of()),
            Duration.ofMinutes(2));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output()).contains("REPLICATE_DIRECTON");
  }

  @Test
  void jibBuildsBothAgentsOfflineOnTheImagesBase() throws IOException {
    // jib resolves the agents' runtime class path from the local repository, so common (and the
    // parent POM) must be installed there; no container registry is contacted.
    Podman.Result install =
        Podman.run(
            List.of(
                "./mvnw",
                "-B",
                "-q",
                "install",
                "-pl",
                "common",
                "-am",
                "-Dmaven.test.skip=true",
                "-Dspotless.check.skip=true"),
            Duration.ofMinutes(5));
    assertThat(install.exitCode()).as(Podman.tail(install.output())).isZero();
    Podman.Result jib =
        Podman.run(
            List.of("./mvnw", "-B", "-q", "-pl", "sql-backup,volume-replicator", "jib:buildTar"),
            Duration.ofMinutes(5));
    assertThat(jib.exitCode()).as(Podman.tail(jib.output())).isZero();
    for (String agent : List.of("sql-backup", "volume-replicator")) {
      Path tar = Repo.root().resolve(agent + "/target/jib-image.tar");
      assertThat(tar).exists();
      Podman.Result load =
          Podman.podman(List.of("load", "-q", "-i", tar.toString()), Duration.ofMinutes(2));
      assertThat(load.exitCode()).as(load.output()).isZero();
      String image = "localhost/backup-agents/" + agent + ":1.0.0-SNAPSHOT";
      Podman.Result run =
          Podman.podman(
              LocalImages.hardenedRun(
                  image,
                  List.of("-e", "S3_MAX_ATTEMPS=3", "-e", "TERMINATION_LOG_PATH=/tmp/t"),
                  List.of()),
              Duration.ofMinutes(2));
      assertThat(run.exitCode()).as("%s from jib:%n%s", agent, run.output()).isEqualTo(2);
      assertThat(run.output()).contains("did you mean S3_MAX_ATTEMPTS?");
      Podman.podman(List.of("image", "rm", image), Duration.ofMinutes(1));
    }
    assertThat(Files.readString(Repo.root().resolve("sql-backup/pom.xml"), StandardCharsets.UTF_8))
        .contains("tar://${project.basedir}/../Dockerfiles/.cache/sql-backup-base.tar");
  }

  /** Runs {@code script} with the image's sh instead of its entry point. */
  private static Podman.Result shell(String image, String script) {
    return Podman.podman(
        List.of("run", "--rm", "--entrypoint", "sh", image, "-c", script), Duration.ofMinutes(1));
  }
}
