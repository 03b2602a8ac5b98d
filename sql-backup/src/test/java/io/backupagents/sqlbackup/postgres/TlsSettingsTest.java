package io.backupagents.sqlbackup.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.common.settings.SettingsTable;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.testing.Readme;
import io.backupagents.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

  private static TestCertificates ca;
  private static TestCertificates.Issued client;
  private static Path caFile;
  private static Path certFile;
  private static Path keyFile;

  @TempDir Path temp;

  @BeforeAll
  static void certificates(@TempDir Path dir) {
    ca = TestCertificates.authority("settings CA");
    client = ca.client("robot");
    caFile = ca.ca().writeCertificate(dir.resolve("ca.crt"));
    certFile = client.writeCertificate(dir.resolve("tls.crt"));
    keyFile = client.writeKey(dir.resolve("tls.key"));
  }

  @Test
  void libpqsDefaultIsPreferAndNothingElse() {
    PgTls tls = read(Map.of());

    assertThat(tls.mode()).isEqualTo(SslMode.PREFER);
    assertThat(tls.rootCert()).isEmpty();
    assertThat(tls.key()).isEmpty();
  }

  @Test
  void anUnknownPgsslVariableIsReportedNotDropped() {
    assertThatThrownBy(() -> read(Map.of("PGSSLMODEE", "verify-full", "PGSSLCOMPRESSION", "1")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("unknown variable PGSSLMODEE; did you mean PGSSLMODE?")
        .hasMessageContaining("unknown variable PGSSLCOMPRESSION");
  }

  @Test
  void everyTlsProblemIsReportedAtOnceWithoutTheKey() throws Exception {
    Path garbage = Files.writeString(temp.resolve("garbage.pem"), "not a certificate");
    String otherKey = ca.client("someone").keyPem();

    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "PGSSLMODE",
                        "verify_everything",
                        "PGSSLCERT",
                        certFile.toString(),
                        "PGSSLKEY",
                        otherKey,
                        "PGSSLCRL",
                        garbage.toString())))
        .isInstanceOf(SettingsException.class)
        .satisfies(
            e ->
                assertThat(((SettingsException) e).problems())
                    .containsExactly(
                        "PGSSLMODE=verify_everything: expected one of disable, allow, prefer,"
                            + " require, verify-ca, verify-full",
                        "PGSSLCRL="
                            + garbage
                            + ": expected a readable PEM file of revocation lists (none in it)",
                        "PGSSLKEY is not the key of the certificate in PGSSLCERT"))
        .hasMessageNotContaining("PRIVATE KEY")
        .hasMessageNotContaining(otherKey.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void verifyModesNeedRootCertificatesAndACertificateNeedsItsKey() {
    assertThatThrownBy(
            () -> read(Map.of("PGSSLMODE", "verify-full", "PGSSLCERT", certFile.toString())))
        .isInstanceOf(SettingsException.class)
        .satisfies(
            e ->
                assertThat(((SettingsException) e).problems())
                    .containsExactly(
                        "PGSSLMODE=verify-full needs PGSSLROOTCERT: the PEM file of the CA that"
                            + " signed the server's certificate",
                        "PGSSLCERT and PGSSLKEY go together: set both (or PGSSLKEY_FILE) or"
                            + " neither"));
  }

  @Test
  void theKeyComesFromAFileAsASecretOrAsLibpqsPath() {
    PgTls fromSecretFile =
        read(
            Map.of(
                "PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", caFile.toString(),
                "PGSSLCERT", certFile.toString(),
                "PGSSLKEY_FILE", keyFile.toString()));
    PgTls fromPath =
        read(
            Map.of(
                "PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", caFile.toString(),
                "PGSSLCERT", certFile.toString(),
                "PGSSLKEY", keyFile.toString()));

    assertThat(fromSecretFile.key()).contains(client.keyPem().strip());
    assertThat(fromPath.key().orElseThrow().strip()).isEqualTo(client.keyPem().strip());
    assertThat(fromSecretFile.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void theScratchServerTakesEachTlsSettingItDoesNotSetFromTheSource() {
    Path otherCa =
        TestCertificates.authority("scratch CA").ca().writeCertificate(temp.resolve("o"));
    SettingsReader r =
        reader(
            Map.of(
                "PGSSLMODE",
                "verify-full",
                "PGSSLROOTCERT",
                caFile.toString(),
                "VERIFY_PGHOST",
                "scratch",
                "VERIFY_PGSSLROOTCERT",
                otherCa.toString()));
    PgTls source = PgTls.read(r);
    PgTls scratch = PgTls.readScratch(r, source);
    r.finish();

    assertThat(scratch.mode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(scratch.rootCert()).contains(otherCa);
    assertThat(scratch.name("PGSSLROOTCERT")).isEqualTo("VERIFY_PGSSLROOTCERT");
  }

  @Test
  void aFileTheScratchServerTakesFromTheSourceIsReportedOnceUnderItsOwnName() throws Exception {
    Path garbage = Files.writeString(temp.resolve("garbage.crl"), "not a list");
    SettingsReader r = reader(Map.of("PGSSLCRL", garbage.toString(), "VERIFY_PGHOST", "scratch"));
    PgTls.readScratch(r, PgTls.read(r));

    assertThatThrownBy(r::finish)
        .isInstanceOf(SettingsException.class)
        .satisfies(
            e ->
                assertThat(((SettingsException) e).problems())
                    .containsExactly(
                        "PGSSLCRL="
                            + garbage
                            + ": expected a readable PEM file of revocation lists (none in it)"));
  }

  @Test
  void clientToolsAndJdbcGetTheSameSettingsAndTheKeyCopyIsPrivateAndRemoved() throws Exception {
    PgTls tls =
        read(
            Map.of(
                "PGSSLMODE", "require",
                "PGSSLROOTCERT", caFile.toString(),
                "PGSSLCERT", certFile.toString(),
                "PGSSLKEY_FILE", keyFile.toString()));
    Path copy;
    try (PgTlsFiles files = PgTlsFiles.create(tls, temp, Clock.systemUTC())) {
      Map<String, String> env = files.environment();
      copy = Path.of(env.get("PGSSLKEY"));
      Properties jdbc = files.jdbcProperties();

      assertThat(env)
          .containsEntry("PGSSLMODE", "require")
          .containsEntry("PGSSLROOTCERT", caFile.toString())
          .containsEntry("PGSSLCERT", certFile.toString());
      assertThat(copy.getParent().getParent()).isEqualTo(temp);
      assertThat(Files.getPosixFilePermissions(copy))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(copy)).isEqualTo(client.keyPem().strip() + "\n");
      // libpq checks the chain under require when root certificates are given; so does JDBC.
      assertThat(jdbc.getProperty("sslmode")).isEqualTo("verify-ca");
      assertThat(jdbc.getProperty("sslfactory")).isEqualTo(PgTlsSocketFactory.class.getName());
      assertThat(jdbc.getProperty("sslkey")).isEqualTo(copy.toString());
    }
    assertThat(copy).doesNotExist();
    assertThat(copy.getParent()).doesNotExist();
  }

  @Test
  void readmeTlsSettingsTableMatchesTheDefinitions() {
    Readme.assertGeneratedBlock(
        "sql-backup-tls-settings", SettingsTable.markdown(List.of(TlsSetting.values())));
  }

  private static PgTls read(Map<String, String> env) {
    SettingsReader r = reader(env);
    PgTls tls = PgTls.read(r);
    r.finish();
    return tls;
  }

  private static SettingsReader reader(Map<String, String> env) {
    SqlBackupAgent agent = new SqlBackupAgent(HostEnvironment.of(Map.of(), Clock.systemUTC()));
    return new SettingsReader(env, agent.settings(), agent.ownedPrefixes());
  }
}
