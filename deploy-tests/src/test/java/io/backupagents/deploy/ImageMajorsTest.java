package io.backupagents.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sql-backup image (Debian 13: PostgreSQL 17 clients) against real servers of every major: it
 * backs up 13 to 17 and refuses 18 clearly; a backup of 15 recovers into a 17 server and verifies
 * there. The 17 server is set up as CloudNativePG sets up its clusters: TLS with its own CA, TCP
 * connections only over TLS, SCRAM passwords; the container reaches it with verify-full.
 */
class ImageMajorsTest {

  private static final String IMAGE_CLIENTS = "17";
  private static final Map<Integer, PostgresServer> servers = new TreeMap<>();
  private static Path certs;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    LocalImages.ensureBuilt();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    certs = dir;
    TestCertificates ca = TestCertificates.authority("app-db CA");
    ca.ca().writeCertificate(dir.resolve("ca.crt"));
    Files.setPosixFilePermissions(
        dir.resolve("ca.crt"), PosixFilePermissions.fromString("rw-r--r--"));
    for (int major = 13; major <= 18; major++) {
      PostgresServer server = PostgresServer.start(major);
      servers.put(major, server);
      server.createDatabase("shop");
      server.execute(
          "shop",
          "CREATE TABLE products (sku text PRIMARY KEY, title text, price numeric);"
              + " INSERT INTO products SELECT 'SKU-' || g, 'Produit ' || g || ' – €', g * 0.99"
              + " FROM generate_series(1, 500) g;");
      Files.writeString(dir.resolve("pgpass-" + major), server.password() + "\n");
      Files.setPosixFilePermissions(
          dir.resolve("pgpass-" + major), PosixFilePermissions.fromString("rw-r--r--"));
    }
    servers
        .get(17)
        .requireTls(
            ca.server("app-db-rw", List.of("localhost", "app-db-rw"), List.of()), ca, "nobody");
  }

  @AfterAll
  static void stop() {
    servers.values().forEach(PostgresServer::close);
  }

  @Test
  void backsUpThirteenToSeventeenWithItsClientsAndRefusesEighteenByName(@TempDir Path dir)
      throws Exception {
    for (int major = 13; major <= 18; major++) {
      Path backups = agentDirectory(dir, "backup-" + major);
      Path termination = agentDirectory(dir, "termination-" + major);
      List<String> options = connection(major, termination);
      options.addAll(List.of("-v", backups + ":/backup", "-e", "DATABASE=shop"));

      Podman.Result run = runImage(options, "backup");

      String message = Files.readString(termination.resolve("message"));
      if (major <= Integer.parseInt(IMAGE_CLIENTS)) {
        assertThat(run.exitCode())
            .as("backup of %d:\n%s", major, Podman.tail(run.output()))
            .isZero();
        assertThat(run.output())
            .contains("PostgreSQL " + major + ".")
            .contains("dumping with the clients of PostgreSQL " + IMAGE_CLIENTS);
        assertThat(message).startsWith("SUCCESS");
      } else {
        assertThat(run.exitCode())
            .as("backup of %d:\n%s", major, Podman.tail(run.output()))
            .isEqualTo(5);
        assertThat(message)
            .startsWith(
                "FAILURE (5: no pg_dump of PostgreSQL 18 or newer for the server (version 18.")
            .contains(
                "found: " + IMAGE_CLIENTS + " in /usr/lib/postgresql/" + IMAGE_CLIENTS + "/bin");
      }
    }
  }

  @Test
  void aBackupOfFifteenRecoversAndVerifiesIntoASeventeenServerOverVerifiedTls(@TempDir Path dir)
      throws Exception {
    PostgresServer source = servers.get(15);
    PostgresServer target = servers.get(17);
    Path backups = agentDirectory(dir, "backup");
    Path termination = agentDirectory(dir, "termination");
    List<String> backup = connection(15, termination);
    backup.addAll(List.of("-v", backups + ":/backup", "-e", "DATABASE=shop"));
    assertThat(runImage(backup, "backup").exitCode()).isZero();
    target.execute("postgres", "DROP DATABASE shop WITH (FORCE)");

    List<String> recover = connection(17, termination);
    recover.addAll(
        List.of(
            "-v",
            backups + ":/recovery:ro",
            "-e",
            "DATABASE=shop",
            "-e",
            "RESTORE_CREATE_DATABASE=yes"));
    Podman.Result recovered = runImage(recover, "recover");
    List<String> verify = connection(15, termination);
    verify.addAll(scratch(17));
    verify.addAll(List.of("-v", backups + ":/backup:ro", "-e", "DATABASE=shop"));
    Podman.Result verified = runImage(verify, "verify");

    assertThat(recovered.exitCode()).as("recover:\n%s", Podman.tail(recovered.output())).isZero();
    assertThat(recovered.output())
        .contains("restoring into a PostgreSQL 17 server with psql of PostgreSQL 17");
    assertThat(target.fingerprint("shop")).isEqualTo(source.fingerprint("shop"));
    assertThat(verified.exitCode()).as("verify:\n%s", Podman.tail(verified.output())).isZero();
  }

  /** The connection to the server of {@code major}; the 17 server over verify-full TLS. */
  private static List<String> connection(int major, Path termination) {
    PostgresServer server = servers.get(major);
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "-e", "PGHOST=" + (major == 17 ? "localhost" : "127.0.0.1"),
            "-e", "PGPORT=" + server.port(),
            "-e", "PGUSER=postgres",
            "-e", "PGADMINPASS_FILE=/run/secrets/pgpass",
            "-v", certs.resolve("pgpass-" + major) + ":/run/secrets/pgpass:ro",
            "-v", termination + ":/termination",
            "-e", "TERMINATION_LOG_PATH=/termination/message"));
    if (major == 17) {
      options.addAll(tls(""));
    }
    return options;
  }

  /** verify's scratch server: the 17 server, over verify-full TLS. */
  private static List<String> scratch(int major) {
    PostgresServer server = servers.get(major);
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "-e",
            "VERIFY_PGHOST=localhost",
            "-e",
            "VERIFY_PGPORT=" + server.port(),
            "-e",
            "VERIFY_PGADMINPASS_FILE=/run/secrets/scratch-pgpass",
            "-v",
            certs.resolve("pgpass-" + major) + ":/run/secrets/scratch-pgpass:ro"));
    options.addAll(tls("VERIFY_"));
    return options;
  }

  private static List<String> tls(String prefix) {
    return List.of(
        "-e", prefix + "PGSSLMODE=verify-full",
        "-e", prefix + "PGSSLROOTCERT=/run/secrets/app-db-ca/ca.crt",
        "-v", certs.resolve("ca.crt") + ":/run/secrets/app-db-ca/ca.crt:ro");
  }

  private static Podman.Result runImage(List<String> options, String action) {
    return Podman.podman(
        LocalImages.hardenedRun(LocalImages.SQL_BACKUP, options, List.of(action)),
        Duration.ofMinutes(5));
  }

  private static Path agentDirectory(Path parent, String name) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Commands.run(
        List.of("chown", LocalImages.AGENT_UID + ":" + LocalImages.AGENT_UID, dir.toString()));
    return dir;
  }
}
