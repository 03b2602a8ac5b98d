package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups, restores and verifications against a real server that accepts TCP connections only over
 * TLS (certificates made here, as CloudNativePG makes its own CA): pg_dump, psql, pg_restore and
 * the JDBC connections all check the server as libpq's settings say, and every refusal comes before
 * anything is dumped or restored, with a cause naming the setting to check.
 */
class TlsConnectionTest {

  private static final String CERT_ROLE = "backup_robot";

  private static PostgresServer server;
  private static TestCertificates ca;
  private static Path certs;
  private static TestCertificates.Issued serverCertificate;

  @TempDir Path base;

  @BeforeAll
  static void start(@TempDir Path dir) {
    certs = dir;
    ca = TestCertificates.authority("test cluster CA");
    // Named as CloudNativePG names its -rw Service; 127.0.0.1 is deliberately not in it.
    serverCertificate = ca.server("cluster-rw", List.of("localhost", "cluster-rw"), List.of());
    ca.ca().writeCertificate(dir.resolve("ca.crt"));
    server = PostgresServer.start();
    RestoreFixture.loadSampleData(server);
    server.execute("postgres", "CREATE ROLE " + CERT_ROLE + " LOGIN SUPERUSER");
    server.requireTls(serverCertificate, ca, CERT_ROLE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void verifyFullBacksUpRecoversAndVerifiesOverTls() throws Exception {
    Map<String, String> before = RestoreFixture.fingerprint(server, "shop");
    Map<String, String> env = verifyFull();
    env.put("DATABASE", "shop");
    env.put("DUMP_FORMAT", "custom");
    Files.createDirectories(base.resolve("backup"));

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(backup.output()).contains("PGSSLMODE=verify-full").contains("PGSSLROOTCERT=");

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    assertThat(verify.status()).as(verify.termination()).isZero();

    server.execute("postgres", "DROP DATABASE shop WITH (FORCE)");
    env.put("RESTORE_CREATE_DATABASE", "yes");
    RestoreFixture.Run recover = RestoreFixture.run(env, base, "recover");
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, "shop")).isEqualTo(before);
  }

  @Test
  void aDumpallWithAClientCertificateAndNoPasswordWorksAndItsKeyCopyIsRemoved() throws Exception {
    TestCertificates.Issued client = ca.client(CERT_ROLE);
    Path cert = client.writeCertificate(base.resolve("tls.crt"));
    // A mounted Secret's default mode: libpq would refuse the key itself, so the agent copies it.
    Path key = client.writeKey(base.resolve("tls.key"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Map<String, String> env = verifyFull();
    env.remove("PGADMINPASS");
    env.put("PGUSER", CERT_ROLE);
    env.put("PGSSLCERT", cert.toString());
    env.put("PGSSLKEY_FILE", key.toString());
    Files.createDirectories(base.resolve("backup"));

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");

    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(base.resolve("backup/hourly/backup-2025-09-10T12:00:00Z-dumpall.sql.gz"))
        .isRegularFile();
    assertThat(backup.output()).contains("PGSSLKEY=****").doesNotContain("PRIVATE KEY");
    try (Stream<Path> left = Files.list(base)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("pgtls-") || n.startsWith("pgpass-"));
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefusedBeforeDumping() throws Exception {
    Path other =
        TestCertificates.authority("someone else").ca().writeCertificate(base.resolve("other.crt"));
    Map<String, String> env = verifyFull();
    env.put("PGSSLROOTCERT", other.toString());

    RestoreFixture.Run backup = backup(env);

    assertThat(backup.termination())
        .startsWith("FAILURE (4: the server's TLS certificate at localhost:" + server.port())
        .contains("is not signed by a CA in PGSSLROOTCERT: check PGSSLROOTCERT");
    assertThat(base.resolve("backup/hourly")).doesNotExist();
  }

  @Test
  void aHostNameTheCertificateDoesNotCarryIsRefusedUnderVerifyFull() throws Exception {
    Map<String, String> env = verifyFull();
    env.put("PGHOST", "127.0.0.1");

    RestoreFixture.Run backup = backup(env);

    assertThat(backup.termination())
        .startsWith("FAILURE (4: the server's TLS certificate at 127.0.0.1:" + server.port())
        .contains("does not name the host 127.0.0.1 (PGSSLMODE=verify-full): check PGHOST");
    assertThat(base.resolve("backup/hourly")).doesNotExist();

    env.put("PGSSLMODE", "verify-ca");
    assertThat(backup(env).status()).as("verify-ca checks the chain, not the name").isZero();
  }

  @Test
  void aRevokedServerCertificateIsRefused() throws Exception {
    Map<String, String> env = verifyFull();
    env.put(
        "PGSSLCRL",
        ca.writeCrl(base.resolve("revoked.crl"), serverCertificate.certificate()).toString());

    RestoreFixture.Run backup = backup(env);

    assertThat(backup.termination())
        .isEqualTo(
            "FAILURE (4: the server's TLS certificate at localhost:"
                + server.port()
                + " is revoked: check PGSSLCRL)");

    env.put("PGSSLCRL", ca.writeCrl(base.resolve("empty.crl")).toString());
    assertThat(backup(env).status()).as("a list that does not name it").isZero();
  }

  @Test
  void aConnectionInClearIsRefusedByTheServerWithAHint() throws Exception {
    Map<String, String> env = verifyFull();
    env.put("PGSSLMODE", "disable");

    RestoreFixture.Run backup = backup(env);

    assertThat(backup.termination())
        .contains("accepts this role only over TLS: set PGSSLMODE to require or stronger");
  }

  @Test
  void requireNeverFallsBackToAConnectionInClear() throws Exception {
    PostgresServer plain = SharedServers.source(); // ssl = off
    Map<String, String> env = RestoreFixture.env(plain, base);
    env.put("PGSSLMODE", "require");

    RestoreFixture.Run backup = backup(env);

    assertThat(backup.termination())
        .isEqualTo(
            "FAILURE (4: PostgreSQL at 127.0.0.1:"
                + plain.port()
                + " does not offer TLS, and PGSSLMODE=require forbids a connection in clear:"
                + " check PGSSLMODE or turn ssl on in the server)");
  }

  @Test
  void theScratchServersTlsSettingsNeedAScratchServer() {
    Map<String, String> env = verifyFull();
    env.put("VERIFY_PGSSLMODE", "verify-full");
    env.put("VERIFY_PGSSLROOTCERT", certs.resolve("ca.crt").toString());

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.termination())
        .isEqualTo(
            "FAILURE (2: invalid settings (1 problem) - VERIFY_PGSSLMODE, VERIFY_PGSSLROOTCERT"
                + " describe a scratch server's TLS: set VERIFY_PGHOST too, or unset them)");
  }

  @Test
  void aScratchServerIsReachedWithItsOwnTlsSettings() throws Exception {
    Map<String, String> env = RestoreFixture.env(SharedServers.source(), base);
    env.put("DATABASE", "shop");
    env.put("BACKUP_ROOT_DIR", base.resolve("backup").toString());
    Files.createDirectories(base.resolve("backup"));
    assertThat(RestoreFixture.run(env, base, "backup").status()).isZero();
    env.put("VERIFY_PGHOST", "localhost");
    env.put("VERIFY_PGPORT", Integer.toString(server.port()));
    env.put("VERIFY_PGADMINPASS", server.password());
    env.put("VERIFY_PGSSLMODE", "verify-full");
    env.put(
        "VERIFY_PGSSLROOTCERT",
        TestCertificates.authority("x").ca().writeCertificate(base.resolve("x.crt")).toString());

    RestoreFixture.Run wrongCa = RestoreFixture.run(env, base, "verify");
    env.put("VERIFY_PGSSLROOTCERT", certs.resolve("ca.crt").toString());
    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(wrongCa.termination())
        .startsWith("FAILURE (4: the server's TLS certificate at localhost:" + server.port())
        .contains("check VERIFY_PGSSLROOTCERT");
    assertThat(verify.status()).as(verify.termination()).isZero();
  }

  private RestoreFixture.Run backup(Map<String, String> env) throws IOException {
    Files.createDirectories(base.resolve("backup"));
    return RestoreFixture.run(env, base, "backup");
  }

  private Map<String, String> verifyFull() {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("PGHOST", "localhost");
    env.put("PGSSLMODE", "verify-full");
    env.put("PGSSLROOTCERT", certs.resolve("ca.crt").toString());
    return env;
  }
}
