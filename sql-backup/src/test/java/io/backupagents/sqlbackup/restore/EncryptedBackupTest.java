package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.testing.GpgKeys;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.RequiredTool;
import io.backupagents.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Encrypted and zstd backups through the real agent and a real server: backup, list, verify and
 * recover for each codec with and without encryption; gpg and zstd on the command line; a wrong or
 * missing key, a truncated or tampered file (each fails before the target is touched); no plaintext
 * on disk while a dump runs; no secret in a log line or a message.
 */
class EncryptedBackupTest {

  private static final String PASSPHRASE = "s3cret-passphrase-for-tests";
  private static final String BACKUP = "backup-2025-09-10T12:00:00Z-shop";
  private static final String APP_BACKUP = "backup-2025-09-10T12:00:00Z-app";

  @TempDir static Path keysDir;
  @TempDir Path base;

  private static PostgresServer server;
  private static GpgKeys keys;
  private static GpgKeys otherKeys;
  private static Map<String, String> shop;
  private static Map<String, String> app;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start();
    RestoreFixture.loadSampleData(server);
    shop = RestoreFixture.fingerprint(server, "shop");
    app = RestoreFixture.fingerprint(server, "app");
    keys = GpgKeys.generate(keysDir, "backup@example.org", PASSPHRASE);
    otherKeys = GpgKeys.generate(keysDir, "other@example.org", "");
    Files.writeString(keysDir.resolve("recipients.asc"), keys.publicKey());
    Files.writeString(keysDir.resolve("private.asc"), keys.secretKey());
    Files.writeString(keysDir.resolve("passphrase"), PASSPHRASE + "\n");
    Files.writeString(keysDir.resolve("other-private.asc"), otherKeys.secretKey());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({
    "gzip,false,.sql.gz",
    "gzip,true,.sql.gz.gpg",
    "zstd,false,.sql.zst",
    "zstd,true,.sql.zst.gpg"
  })
  void eachCodecWithAndWithoutEncryptionRoundTrips(
      String compression, boolean encrypted, String extension) throws Exception {
    Map<String, String> env = backupEnv(compression, encrypted);
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(base.resolve("backup/hourly/" + BACKUP + extension)).isRegularFile();

    RestoreFixture.Run list = RestoreFixture.run(env, base, "list", "--check");
    assertThat(list.status()).as(list.termination()).isZero();
    assertThat(list.output()).contains(BACKUP + extension).contains("sha256 ok");
    if (encrypted) {
      assertThat(list.output()).contains("encrypted to " + keys.fingerprint());
    }
    RestoreFixture.Run json = RestoreFixture.run(env, base, "list", "--json");
    assertThat(json.status()).as(json.termination()).isZero();
    JsonNode entry =
        new ObjectMapper()
            .readTree(
                json.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
            .get("locations")
            .get(0)
            .get("tiers")
            .get("hourly")
            .get(0);
    assertThat(entry.get("name").asText()).isEqualTo(BACKUP + extension);
    assertThat(entry.get("encrypted").asBoolean()).isEqualTo(encrypted);
    assertThat(entry.get("recipients").toString())
        .isEqualTo(encrypted ? "[\"" + keys.fingerprint() + "\"]" : "[]");

    withKey(env);
    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    assertThat(verify.status()).as(verify.termination()).isZero();

    String target = "copy_" + compression + (encrypted ? "_enc" : "");
    RestoreFixture.Run recover = recoverInto(env, target);
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, target)).isEqualTo(shop);
    // A plain backup with its record is checked by its digest; an encrypted one is read whole,
    // for the message's own integrity check.
    assertThat(recover.output())
        .contains(
            encrypted
                ? " of SQL (checked in "
                : ", its SHA-256 matches the record written when the dump was checked complete");
  }

  @Test
  void anEncryptedCustomArchiveRoundTrips() throws Exception {
    Map<String, String> env = backupEnv("gzip", true);
    env.put("DUMP_FORMAT", "custom");
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    Path file = base.resolve("backup/hourly/" + BACKUP + ".dump.gpg");
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
        .doesNotStartWith("PGDMP");

    withKey(env);
    RestoreFixture.Run recover = recoverInto(env, "copy_custom_enc");
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, "copy_custom_enc")).isEqualTo(shop);
  }

  @Test
  void anEncryptedCustomArchiveLargerThanAPipeIsVerifiedAfterTheBackupThenVerifiedAndRecovered()
      throws Exception {
    // pg_restore --list stops reading after the table of contents: the feed must not fail then.
    Map<String, String> env = backupEnv("gzip", true);
    env.put("DATABASE", "app");
    env.put("DUMP_FORMAT", "custom");
    env.put("VERIFY_AFTER_BACKUP", "yes");
    withKey(env);
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(Files.size(base.resolve("backup/hourly/" + APP_BACKUP + ".dump.gpg")))
        .isGreaterThan(65536);

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    RestoreFixture.Run recover = recoverInto(env, "copy_app_custom_enc");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, "copy_app_custom_enc")).isEqualTo(app);
  }

  @Test
  void aCustomArchiveEncryptedByGpgWithoutCompressionIsVerifiedAndRecovered() throws Exception {
    Path hourly = Files.createDirectories(base.resolve("backup/hourly"));
    gpgCustomArchive("--encrypt", hourly.resolve(APP_BACKUP + ".dump.gpg"));
    Map<String, String> env = backupEnv("gzip", false);
    env.put("DATABASE", "app");
    withKey(env);

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    RestoreFixture.Run recover = recoverInto(env, "copy_app_by_gpg");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, "copy_app_by_gpg")).isEqualTo(app);

    // Signed as well, and cut short in the signature that follows the data: pg_restore has read
    // the whole archive by then, yet the message is truncated, not a failed restore (exit 6).
    Path signed = base.resolve("signed.dump.gpg");
    gpgCustomArchive("--sign --encrypt", signed);
    byte[] whole = Files.readAllBytes(signed);
    Files.write(hourly.resolve(APP_BACKUP + ".dump.gpg"), Arrays.copyOf(whole, whole.length - 20));
    RestoreFixture.Run cut = recoverInto(env, "never_cut_signed");
    assertThat(cut.status()).as(cut.termination()).isEqualTo(12);
    assertThat(cut.termination()).contains("truncated");
    assertThat(databases()).doesNotContain("never_cut_signed");
  }

  /** {@code pg_dump -Fc app} through gpg (no compression of its own) with {@code action}. */
  private void gpgCustomArchive(String action, Path out) {
    Commands.run(
        List.of(
            "bash",
            "-c",
            "set -eo pipefail; "
                + server.binDir().resolve("pg_dump")
                + " -Fc app | "
                + keys.shellGpg()
                + " --trust-model always --compress-algo none -r backup@example.org "
                + action
                + " > '"
                + out
                + "'"),
        server.libpqEnvironment());
  }

  @Test
  void aTruncatedOrGarbledEncryptedCustomArchiveFailsAsAnUnsoundBackup() throws Exception {
    Map<String, String> env = backupEnv("gzip", true);
    env.put("DATABASE", "app");
    env.put("DUMP_FORMAT", "custom");
    assertThat(RestoreFixture.run(env, base, "backup").status()).isZero();
    withKey(env);
    Path file = base.resolve("backup/hourly/" + APP_BACKUP + ".dump.gpg");
    byte[] good = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(good, good.length - 1000));
    rerecord(file);

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    RestoreFixture.Run recover = recoverInto(env, "never_truncated_custom");
    // A session key packet of an unknown version (70), as a damaged or mislabelled file has.
    byte[] garbled = new byte[4096];
    System.arraycopy(new byte[] {(byte) 0x85, 0x00, 0x10, 0x46}, 0, garbled, 0, 4);
    Files.write(file, garbled);
    rerecord(file);
    RestoreFixture.Run unreadable = recoverInto(env, "never_garbled_custom");

    assertThat(verify.status()).as(verify.termination()).isEqualTo(12);
    assertThat(recover.status()).as(recover.termination()).isEqualTo(12);
    assertThat(recover.termination()).contains(APP_BACKUP + ".dump.gpg").contains("truncated");
    assertThat(unreadable.status()).as(unreadable.termination()).isEqualTo(12);
    assertThat(unreadable.termination()).contains("its OpenPGP packets cannot be read");
    assertThat(databases()).doesNotContain("never_truncated_custom", "never_garbled_custom");
  }

  @ParameterizedTest
  @CsvSource({"gzip,.sql.gz.gpg,gunzip -c", "zstd,.sql.zst.gpg,zstd -dc"})
  void gpgDecryptPipedIntoTheDecompressorAndPsqlRestoresTheBackup(
      String compression, String extension, String decompress) throws Exception {
    RequiredTool.require("zstd");
    RestoreFixture.Run backup = RestoreFixture.run(backupEnv(compression, true), base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    String target = "cli_" + compression;
    server.createDatabase(target);

    Commands.run(
        List.of(
            "bash",
            "-c",
            "set -eo pipefail; "
                + keys.shellGpg()
                + " --decrypt '"
                + base.resolve("backup/hourly/" + BACKUP + extension)
                + "' | "
                + decompress
                + " | "
                + server.binDir().resolve("psql")
                + " -X -q -v ON_ERROR_STOP=1 -d "
                + target),
        server.libpqEnvironment());

    assertThat(RestoreFixture.fingerprint(server, target)).isEqualTo(shop);
  }

  @Test
  void aBackupEncryptedByGpgItselfIsRecovered() throws Exception {
    RequiredTool.require("zstd");
    Path hourly = Files.createDirectories(base.resolve("backup/hourly"));
    Path plain = RestoreFixture.legacyDump(server, "shop", base.resolve("legacy.sql.gz"));
    keys.encrypt(plain, hourly.resolve(BACKUP + ".sql.gz.gpg"));
    Map<String, String> env = backupEnv("gzip", false);
    withKey(env);

    RestoreFixture.Run recover = recoverInto(env, "copy_by_gpg");

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, "copy_by_gpg")).isEqualTo(shop);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--compress-algo zlib", "--compress-algo none"})
  void aBackupSignedAndEncryptedByGpgIsVerifiedAndRecovered(String compression) throws Exception {
    Path hourly = Files.createDirectories(base.resolve("backup/hourly"));
    Path plain = RestoreFixture.legacyDump(server, "shop", base.resolve("legacy.sql.gz"));
    Commands.run(
        List.of(
            "bash",
            "-c",
            keys.shellGpg()
                + " --trust-model always "
                + compression
                + " -r backup@example.org --sign --encrypt --output '"
                + hourly.resolve(BACKUP + ".sql.gz.gpg")
                + "' '"
                + plain
                + "'"));
    Map<String, String> env = backupEnv("gzip", false);
    withKey(env);
    String target = "copy_signed_" + (compression.endsWith("none") ? "plain" : "zlib");

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    RestoreFixture.Run recover = recoverInto(env, target);

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, target)).isEqualTo(shop);

    // Cut short in its trailing signature, it is as truncated as anywhere else.
    Path file = hourly.resolve(BACKUP + ".sql.gz.gpg");
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 20));
    RestoreFixture.Run cut = recoverInto(env, target + "_cut");
    assertThat(cut.status()).as(cut.termination()).isEqualTo(12);
    assertThat(cut.termination()).contains("truncated");
    assertThat(databases()).doesNotContain(target + "_cut");
  }

  @Test
  void aMixedTierIsRotatedPromotedMirroredAndRecoveredFromTheBucket() throws Exception {
    Path hourly = Files.createDirectories(base.resolve("backup/hourly"));
    Path dailyTier = Files.createDirectories(base.resolve("backup/daily"));
    RestoreFixture.legacyDump(
        server, "shop", dailyTier.resolve("backup-2025-09-09T00:21:00Z-shop.sql.gz"));
    try (S3ProxyServer s3 = S3ProxyServer.inMemory()) {
      try (S3Connection connection =
          S3Connection.open(
              S3Settings.read(
                  new SettingsReader(s3.agentEnvironment(), List.of(S3Setting.values()), List.of()),
                  "for the test"))) {
        connection.sdk().createBucket(b -> b.bucket("offsite")).join();
      }
      Map<String, String> env = backupEnv("zstd", true);
      env.putAll(s3.agentEnvironment());
      env.put("BACKUP_S3_URL", "s3://offsite/db");
      env.put("BACKUP_COUNT", "2");

      RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
      Map<String, String> daily = new java.util.HashMap<>(env);
      daily.put("BACKUP_TYPE", "daily");
      RestoreFixture.Run promotion = RestoreFixture.run(daily, base, "backup");
      RestoreFixture.Run list = RestoreFixture.run(env, base, "list");

      assertThat(backup.status()).as(backup.termination()).isZero();
      assertThat(promotion.status()).as(promotion.termination()).isZero();
      assertThat(list.output())
          .contains("backup-2025-09-09T00:21:00Z-shop.sql.gz ")
          .contains(BACKUP + ".sql.zst.gpg")
          .contains("encrypted to " + keys.fingerprint());
      assertThat(dailyTier.resolve(BACKUP + ".sql.zst.gpg")).isRegularFile();
      assertThat(Files.getAttribute(hourly.resolve(BACKUP + ".sql.zst.gpg"), "unix:nlink"))
          .as("promoted by a hard link")
          .isEqualTo(2);

      withKey(env);
      env.put("RESTORE_SOURCE", "s3");
      RestoreFixture.Run fromBucket = recoverInto(env, "copy_from_bucket");
      assertThat(fromBucket.status()).as(fromBucket.termination()).isZero();
      assertThat(RestoreFixture.fingerprint(server, "copy_from_bucket")).isEqualTo(shop);

      env.put("RESTORE_SOURCE", "local");
      env.put("FROM_BACKUP", "2025-09-09T00:21:00Z");
      RestoreFixture.Run older = recoverInto(env, "copy_of_plain");
      assertThat(older.status()).as("the older plain backup of the mixed tier").isZero();
      assertThat(RestoreFixture.fingerprint(server, "copy_of_plain")).isEqualTo(shop);
    }
  }

  @Test
  void theBucketStoreOfTheLegacyS3fsModeHoldsEncryptedBackups() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.inMemory()) {
      try (S3Connection connection =
          S3Connection.open(
              S3Settings.read(
                  new SettingsReader(s3.agentEnvironment(), List.of(S3Setting.values()), List.of()),
                  "for the test"))) {
        connection.sdk().createBucket(b -> b.bucket("store")).join();
      }
      Map<String, String> env = backupEnv("gzip", true);
      env.putAll(s3.agentEnvironment());
      env.put("BACKUP_VOLUME_IS_S3", "true");
      env.put("AWS_BUCKET_NAME", "store");
      env.put("BACKUP_TEMP_DIR", Files.createDirectories(base.resolve("tmp")).toString());

      RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
      RestoreFixture.Run list = RestoreFixture.run(env, base, "list");

      assertThat(backup.status()).as(backup.termination()).isZero();
      assertThat(list.output()).contains(BACKUP + ".sql.gz.gpg").contains("encrypted");
    }
  }

  @ParameterizedTest
  @CsvSource({"plain,zstd", "custom,gzip"})
  void aRecipientRefusedWhileTheDumpStartsFailsTheRunAsABadSettingAndLeavesNothing(
      String format, String compression) throws Exception {
    // The keys are checked while the run starts (the dump is already running when an expired
    // key is found): the run still ends as a bad setting, with no backup and no partial file.
    GpgKeys expired =
        GpgKeys.generate(
            keysDir,
            "expired-" + format + "@example.org",
            "",
            "default",
            "default",
            "1y",
            "20200101T000000");
    Path recipients = keysDir.resolve("expired-" + format + ".asc");
    Files.writeString(recipients, expired.publicKey());
    Map<String, String> env = backupEnv(compression, true);
    env.put("DUMP_FORMAT", format);
    env.put("BACKUP_ENCRYPTION_RECIPIENTS_FILE", recipients.toString());

    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");

    assertThat(backup.status()).as(backup.termination()).isEqualTo(2);
    // The dump had started (the line before pg_dump's start) and was stopped by the refusal.
    assertThat(backup.output()).contains("dumping with the clients of PostgreSQL");
    assertThat(backup.output()).doesNotContain("failed unexpectedly");
    assertThat(backup.termination())
        .startsWith("FAILURE (2: invalid settings (1 problem) - BACKUP_ENCRYPTION_RECIPIENTS_FILE")
        .contains(expired.fingerprint() + " (Backup Test <expired-" + format)
        .contains(
            "expired on "
                + expired.expiry().orElseThrow().atOffset(java.time.ZoneOffset.UTC).toLocalDate());
    Path hourly = base.resolve("backup/hourly");
    if (Files.isDirectory(hourly)) {
      try (var files = Files.list(hourly)) {
        assertThat(files.toList()).isEmpty();
      }
    }
  }

  @Test
  void aPromotionRunAndListWaitForTheKeysCheckAndChangeNothingWithARefusedKey() throws Exception {
    Map<String, String> env = backupEnv("zstd", true);
    RestoreFixture.Run hourly = RestoreFixture.run(env, base, "backup");
    assertThat(hourly.status()).as(hourly.termination()).isZero();
    Path revokedKeys = keysDir.resolve("revoked.asc");
    Files.writeString(
        revokedKeys, GpgKeys.generate(keysDir, "revoked@example.org", "").revoke().publicKey());
    env.put("BACKUP_ENCRYPTION_RECIPIENTS_FILE", revokedKeys.toString());

    Map<String, String> daily = new java.util.HashMap<>(env);
    daily.put("BACKUP_TYPE", "daily");
    RestoreFixture.Run promotion = RestoreFixture.run(daily, base, "backup");
    RestoreFixture.Run list = RestoreFixture.run(env, base, "list");

    for (RestoreFixture.Run run : List.of(promotion, list)) {
      assertThat(run.status()).as(run.termination()).isEqualTo(2);
      assertThat(run.termination())
          .startsWith(
              "FAILURE (2: invalid settings (1 problem) - BACKUP_ENCRYPTION_RECIPIENTS_FILE")
          .contains("is revoked");
    }
    assertThat(base.resolve("backup/daily")).doesNotExist();
    assertThat(list.output()).doesNotContain(BACKUP);
  }

  @Test
  void aWrongOrMissingKeyFailsWithItsOwnCauseBeforeTheTargetIsTouched() throws Exception {
    Map<String, String> env = backupEnv("zstd", true);
    assertThat(RestoreFixture.run(env, base, "backup").status()).isZero();

    RestoreFixture.Run missing = recoverInto(env, "never_missing");
    env.put("BACKUP_DECRYPTION_KEY_FILE", keysDir.resolve("other-private.asc").toString());
    RestoreFixture.Run wrong = recoverInto(env, "never_wrong");

    assertThat(missing.status()).isEqualTo(14);
    assertThat(missing.termination()).startsWith("FAILURE (14: ").contains("no decryption key");
    assertThat(wrong.status()).isEqualTo(14);
    assertThat(wrong.termination()).contains("none of which BACKUP_DECRYPTION_KEY holds");
    assertThat(databases()).doesNotContain("never_missing", "never_wrong");
  }

  @Test
  void aTruncatedOrTamperedEncryptedBackupFailsBeforeTheTargetIsTouched() throws Exception {
    Map<String, String> env = backupEnv("gzip", true);
    assertThat(RestoreFixture.run(env, base, "backup").status()).isZero();
    withKey(env);
    Path file = base.resolve("backup/hourly/" + BACKUP + ".sql.gz.gpg");
    byte[] good = Files.readAllBytes(file);

    Files.write(file, Arrays.copyOf(good, good.length - 100));
    rerecord(file);
    RestoreFixture.Run truncated = recoverInto(env, "never_truncated");

    byte[] tampered = good.clone();
    tampered[good.length / 2] ^= 0x20;
    Files.write(file, tampered);
    rerecord(file);
    RestoreFixture.Run modified = recoverInto(env, "never_tampered");

    assertThat(truncated.status()).as(truncated.termination()).isEqualTo(12);
    assertThat(modified.status()).as(modified.termination()).isEqualTo(12);
    assertThat(modified.termination()).contains("integrity check failed");
    assertThat(databases()).doesNotContain("never_truncated", "never_tampered");
  }

  @Test
  void noPlaintextTouchesTheDiskWhileAnEncryptedDumpRuns() throws Exception {
    // A pg_dump that pauses half-way, so the directory can be looked at during the dump.
    Path bin = Files.createDirectories(base.resolve("slow-bin"));
    Path pgDump = bin.resolve("pg_dump");
    Files.writeString(
        pgDump,
        "#!/bin/bash\nset -o pipefail\nreal='"
            + server.binDir().resolve("pg_dump")
            + "'\ncase \"$*\" in *--version*|*--schema-only*) exec \"$real\" \"$@\";; esac\n"
            + "\"$real\" \"$@\" | { head -c 20000; touch '"
            + base.resolve("paused")
            + "'; sleep 4; cat; }\n");
    pgDump.toFile().setExecutable(true);
    Map<String, String> env = backupEnv("zstd", true);
    env.put("PG_BIN_DIR", bin.toString());

    CompletableFuture<RestoreFixture.Run> run =
        CompletableFuture.supplyAsync(() -> RestoreFixture.run(env, base, "backup"));
    Path paused = base.resolve("paused");
    for (int i = 0; i < 600 && !Files.exists(paused) && !run.isDone(); i++) {
      Thread.sleep(50);
    }
    Thread.sleep(500); // what pg_dump wrote so far has gone through the encoder
    Map<Path, String> files = new java.util.HashMap<>();
    try (Stream<Path> walk = Files.walk(base.resolve("backup"))) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(p, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    RestoreFixture.Run backup = run.get();

    assertThat(Files.exists(paused)).as("the dump paused").isTrue();
    assertThat(files)
        .as("the temporary backup file exists during the dump")
        .anySatisfy(
            (p, content) -> {
              assertThat(p.getFileName().toString()).startsWith(".tmp-" + BACKUP);
              // An OpenPGP message from its first byte: a packet tag has its high bit set.
              assertThat(content).isNotEmpty();
              assertThat(content.charAt(0) & 0x80).isEqualTo(0x80);
            });
    files.forEach(
        (p, content) ->
            assertThat(content)
                .as(p.toString())
                .doesNotContain("PostgreSQL database dump", "COPY ", "CREATE TABLE"));
    assertThat(backup.status()).as(backup.termination()).isZero();
  }

  @Test
  void theKeyAndItsPassphraseAppearInNoLogLineOrMessage() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      Map<String, String> env = backupEnv("gzip", true);
      assertThat(RestoreFixture.run(env, base, "backup").status()).isZero();
      withKey(env);
      RestoreFixture.Run good = recoverInto(env, "copy_for_logs");
      env.remove("BACKUP_DECRYPTION_KEY_PASSPHRASE_FILE");
      env.put("BACKUP_DECRYPTION_KEY_PASSPHRASE", "not-" + PASSPHRASE);
      RestoreFixture.Run bad = recoverInto(env, "never_bad_passphrase");

      assertThat(good.status()).as(good.termination()).isZero();
      assertThat(bad.status()).isEqualTo(2);
      assertThat(bad.termination()).contains("the passphrase does not unlock the key");
      String secretLine =
          keys.secretKey().lines().filter(l -> l.length() > 60).skip(3).findFirst().orElseThrow();
      StringBuilder all = new StringBuilder(good.output() + bad.output() + bad.termination());
      for (ILoggingEvent e : logs.list) {
        all.append(e.getFormattedMessage()).append('\n');
        if (e.getThrowableProxy() != null) {
          all.append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
        }
      }
      assertThat(all.toString())
          .contains("decryption key for backups encrypted to")
          .doesNotContain(PASSPHRASE)
          .doesNotContain(secretLine);
    } finally {
      root.detachAppender(logs);
    }
  }

  private Map<String, String> backupEnv(String compression, boolean encrypted) throws Exception {
    Files.createDirectories(base.resolve("backup"));
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "shop");
    env.put("BACKUP_COMPRESSION", compression);
    if (encrypted) {
      env.put("BACKUP_ENCRYPTION_RECIPIENTS_FILE", keysDir.resolve("recipients.asc").toString());
    }
    return env;
  }

  private static void withKey(Map<String, String> env) {
    env.put("BACKUP_DECRYPTION_KEY_FILE", keysDir.resolve("private.asc").toString());
    env.put("BACKUP_DECRYPTION_KEY_PASSPHRASE_FILE", keysDir.resolve("passphrase").toString());
  }

  private RestoreFixture.Run recoverInto(Map<String, String> env, String database) {
    Map<String, String> recover = new java.util.HashMap<>(env);
    recover.put("DATABASE", database);
    recover.put("RESTORE_CREATE_DATABASE", "yes");
    return RestoreFixture.run(recover, base, "recover");
  }

  private static List<String> databases() {
    return server.queryColumn("postgres", "SELECT datname FROM pg_database");
  }

  /** Writes the SHA-256 record of the file as it is now, so that only the content check is left. */
  private static void rerecord(Path file) throws Exception {
    byte[] digest = ChecksumRecord.newDigest().digest(Files.readAllBytes(file));
    Files.writeString(
        file.resolveSibling("." + file.getFileName() + ".sha256"),
        HexFormat.of().formatHex(digest) + "  " + file.getFileName() + "\n");
  }
}
