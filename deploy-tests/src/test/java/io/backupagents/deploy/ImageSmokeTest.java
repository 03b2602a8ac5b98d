package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.PushgatewayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds both images from the local Debian base with podman (Dockerfiles/build-images.sh) and runs
 * them as a cluster would: uid 10001, read-only root file system, no capabilities. The sql-backup
 * container backs up a real PostgreSQL on loopback and restores it; the volume-replicator container
 * mirrors a directory; jib builds the same agents offline on the images' base.
 */
class ImageSmokeTest {

  /** The containers push their metrics here, as in a cluster. */
  static PushgatewayServer pushgateway;

  @BeforeAll
  static void buildImages() {
    LocalImages.ensureBuilt();
    pushgateway = PushgatewayServer.start();
  }

  @AfterAll
  static void stopPushgateway() {
    if (pushgateway != null) {
      pushgateway.close();
    }
  }

  private static List<String> metricsOptions() {
    return List.of(
        "-e", "METRICS_PUSHGATEWAY_URL=" + pushgateway.url(), "-e", "METRICS_INSTANCE=smoke");
  }

  /** Every metric the rules and the dashboard query by this prefix was pushed by the containers. */
  private static void assertPushedWhatIsQueried(String prefix) throws IOException {
    assertThat(MetricNames.exposed(pushgateway.metrics(), "instance=\"smoke\""))
        .as("metrics the containers pushed")
        .containsAll(MetricNames.queried(prefix));
  }

  private static Path agentDirectory(Path parent, String name) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Commands.run(
        List.of("chown", LocalImages.AGENT_UID + ":" + LocalImages.AGENT_UID, dir.toString()));
    return dir;
  }

  @Test
  void sqlBackupContainerBacksUpAndRestoresARealServer(@TempDir Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path backups = agentDirectory(dir, "backup");
    Path termination = agentDirectory(dir, "termination");
    Path password = dir.resolve("pgpass");
    try (PostgresServer pg = PostgresServer.start();
        S3Endpoint s3 = new S3Endpoint()) {
      s3.createBucket("offsite");
      Files.writeString(password, pg.password() + "\n");
      Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
      pg.createDatabase("frag");
      pg.execute(
          "frag",
          "CREATE TABLE target (id int PRIMARY KEY, name text, smiles text);"
              + " INSERT INTO target SELECT g, 'Mpro-' || g || ' Größe ✓', repeat('C', g % 50)"
              + " FROM generate_series(1, 5000) g;"
              + " CREATE SCHEMA viewer; CREATE TABLE viewer.session (id bigserial, data jsonb);"
              + " INSERT INTO viewer.session (data) SELECT jsonb_build_object('n', g)"
              + " FROM generate_series(1, 300) g;");
      Map<String, String> before = pg.fingerprint("frag");
      List<String> connection = new ArrayList<>(metricsOptions());
      connection.addAll(
          List.of(
              "-e",
              "PGHOST=127.0.0.1",
              "-e",
              "PGPORT=" + pg.port(),
              "-e",
              "PGUSER=postgres",
              "-e",
              "PGADMINPASS_FILE=/run/secrets/pgpass",
              "-v",
              password + ":/run/secrets/pgpass:ro",
              "-v",
              termination + ":/termination",
              "-e",
              "TERMINATION_LOG_PATH=/termination/message",
              "-e",
              "DATABASE=frag"));

      List<String> backup = new ArrayList<>(connection);
      backup.addAll(
          List.of(
              "-v",
              backups + ":/backup",
              "-e",
              "BACKUP_TYPE=hourly",
              "-e",
              "BACKUP_COUNT=24",
              "-e",
              "BACKUP_S3_URL=s3://offsite/production"));
      // The off-site copy runs the S3 client (TLS and HTTP stack included) in the linked runtime.
      backup.addAll(s3.containerEnvironment());
      Podman.Result run =
          Podman.podman(
              LocalImages.hardenedRun(LocalImages.SQL_BACKUP, backup, List.of("backup")),
              Duration.ofMinutes(5));
      assertThat(run.exitCode()).as("backup run:\n%s", Podman.tail(run.output())).isZero();
      assertThat(run.output()).doesNotContain(pg.password());
      // The image has libdeflate and a Java 22+ runtime: the fast gzip engine is the one in use.
      assertThat(run.output()).containsPattern("gzip -\\d on \\d+ threads with libdeflate");
      assertThat(Files.readString(termination.resolve("message"))).startsWith("SUCCESS");

      Path file = onlyBackup(backups.resolve("hourly"));
      assertThat(file.getFileName().toString())
          .matches("backup-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ-frag\\.sql\\.gz");
      Commands.run(List.of("gzip", "-t", file.toString()));
      Commands.run(
          List.of(
              "bash",
              "-c",
              "cd '"
                  + file.getParent()
                  + "' && sha256sum -c '."
                  + file.getFileName()
                  + ".sha256'"));
      // Legacy images beside ours glob */backup*: the hidden record is not among the matches.
      assertThat(Commands.run(List.of("bash", "-c", "cd '" + backups + "' && ls -d */backup*")))
          .isEqualTo("hourly/" + file.getFileName() + "\n");
      String tail = Commands.run(List.of("bash", "-c", "zcat '" + file + "' | tail -c 300"));
      assertThat(tail).contains("PostgreSQL database dump complete");
      assertThat(s3.keys("offsite", "production/"))
          .contains(
              "production/hourly/" + file.getFileName(),
              "production/hourly/." + file.getFileName() + ".sha256");

      pg.execute("postgres", "DROP DATABASE frag");
      List<String> recover = new ArrayList<>(connection);
      recover.addAll(
          List.of(
              "-v",
              backups + ":/recovery:ro",
              "-e",
              "FROM_BACKUP=LATEST",
              "-e",
              "RESTORE_CREATE_DATABASE=yes"));
      run =
          Podman.podman(
              LocalImages.hardenedRun(LocalImages.SQL_BACKUP, recover, List.of("recover")),
              Duration.ofMinutes(5));
      assertThat(run.exitCode()).as("recover run:\n%s", Podman.tail(run.output())).isZero();
      assertThat(Files.readString(termination.resolve("message"))).startsWith("SUCCESS");
      assertThat(pg.fingerprint("frag")).isEqualTo(before);

      // Proof that the newest backup restores, as the verify CronJob runs it.
      List<String> verify = new ArrayList<>(connection);
      verify.addAll(List.of("-v", backups + ":/backup:ro"));
      run =
          Podman.podman(
              LocalImages.hardenedRun(LocalImages.SQL_BACKUP, verify, List.of("verify")),
              Duration.ofMinutes(5));
      assertThat(run.exitCode()).as("verify run:\n%s", Podman.tail(run.output())).isZero();
      assertPushedWhatIsQueried("sql_backup_");
    }
  }

  private static Path onlyBackup(Path tier) throws IOException {
    try (Stream<Path> files = Files.list(tier)) {
      List<Path> backups =
          files.filter(p -> p.getFileName().toString().endsWith(".sql.gz")).toList();
      assertThat(backups).as("backups in %s", tier).hasSize(1);
      assertThat(
              tier.resolveSibling(tier.getFileName())
                  .resolve("." + backups.get(0).getFileName() + ".sha256"))
          .exists();
      return backups.get(0);
    }
  }

  @Test
  void volumeReplicatorContainerMirrorsADirectory(@TempDir Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path source = Files.createDirectories(dir.resolve("media"));
    Path target = agentDirectory(dir, "copy");
    Trees.makeMediaLikeTree(source);
    List<String> volumes = new ArrayList<>(metricsOptions());
    volumes.addAll(
        List.of(
            "-v",
            source + ":/volume-a:ro",
            "-v",
            target + ":/volume-b",
            "-e",
            "REPLICATE_DIRECTION=AtoB",
            "-e",
            "TERMINATION_LOG_PATH=/tmp/termination",
            // The JVM refuses to start unless the image's class archive is there and fits.
            "-e",
            "JAVA_OPTS=-XX:AOTMode=on"));
    Podman.Result run =
        Podman.podman(
            LocalImages.hardenedRun(LocalImages.REPLICATOR, volumes, List.of()),
            Duration.ofMinutes(5));
    assertThat(run.exitCode()).as("replication:\n%s", Podman.tail(run.output())).isZero();
    assertThat(Trees.describe(target)).isEqualTo(Trees.describe(source));

    // The legacy default REPLICATE_DELETE=yes: a file gone from the source goes from the copy.
    Files.delete(source.resolve("media/compound-sets/set-2/ligand_0003.sdf"));
    Files.writeString(source.resolve("media/readme.txt"), "changed\n");
    run =
        Podman.podman(
            LocalImages.hardenedRun(LocalImages.REPLICATOR, volumes, List.of()),
            Duration.ofMinutes(5));
    assertThat(run.exitCode()).as("second replication:\n%s", Podman.tail(run.output())).isZero();
    assertThat(Trees.describe(target)).isEqualTo(Trees.describe(source));

    try (S3Endpoint s3 = new S3Endpoint()) {
      s3.createBucket("media");
      List<String> toS3 =
          new ArrayList<>(
              List.of(
                  "-v",
                  source + ":/source:ro",
                  "-e",
                  "REPLICATE_SOURCE=/source",
                  "-e",
                  "REPLICATE_TARGET=s3://media/production",
                  "-e",
                  "TERMINATION_LOG_PATH=/tmp/termination",
                  "-e",
                  "JAVA_OPTS=-XX:AOTMode=on"));
      toS3.addAll(s3.containerEnvironment());
      toS3.addAll(metricsOptions());
      run =
          Podman.podman(
              LocalImages.hardenedRun(LocalImages.REPLICATOR, toS3, List.of()),
              Duration.ofMinutes(5));
      assertThat(run.exitCode()).as("replication to S3:\n%s", Podman.tail(run.output())).isZero();
      assertThat(s3.keys("media", "production/"))
          .contains(
              "production/media/readme.txt",
              "production/media/compound-sets/set-3/ligand_0005.sdf",
              "production/media/targets/Mpro/Größe ✓ notes.txt");
    }
    assertPushedWhatIsQueried("volume_replicator_");
  }
}
