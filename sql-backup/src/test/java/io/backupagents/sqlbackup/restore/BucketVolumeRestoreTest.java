package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy s3fs mode ({@code BACKUP_VOLUME_IS_S3}): a legacy {@code sql-recovery} Job with the
 * bucket's variables recovers, verifies and lists from the bucket's tiers, downloading only the
 * chosen backup.
 */
class BucketVolumeRestoreTest {

  private static final String BUCKET = "legacy-recovery";
  private static final String OLDER = "backup-2025-09-10T10:51:00Z-bank.sql.gz";
  private static final String NEWER = "backup-2025-09-10T11:51:00Z-bank.sql.gz";

  private static S3Fixture s3;
  private static PostgresServer target;
  private static Map<String, String> bank;

  @TempDir Path base;

  @BeforeAll
  static void backUpIntoTheBucket(@TempDir Path work) throws Exception {
    s3 = S3Fixture.start();
    s3.bucket(BUCKET);
    target = PostgresServer.start();
    PostgresServer source = SharedServers.source();
    bank = RestoreFixture.fingerprint(source, "bank");
    for (String time : List.of("2025-09-10T10:51:00Z", "2025-09-10T11:51:00Z")) {
      AgentRun.Result hourly =
          AgentRun.in(work)
              .postgres(source)
              .env(bucketSettings(work))
              .env("DATABASE", "bank")
              .clock(Clock.fixed(Instant.parse(time), ZoneOffset.UTC))
              .run();
      assertThat(hourly.exitCode()).as(hourly.termination()).isZero();
    }
    AgentRun.Result daily =
        AgentRun.in(work)
            .postgres(source)
            .env(bucketSettings(work))
            .env("DATABASE", "bank")
            .env("BACKUP_TYPE", "daily")
            .clock(Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC))
            .run();
    assertThat(daily.exitCode()).as(daily.termination()).isZero();
  }

  @AfterAll
  static void stop() {
    target.close();
    s3.close();
  }

  @Test
  void recoverRestoresTheNewestBackupOfTheBucketDownloadingOnlyIt() throws Exception {
    Map<String, String> env = env(target);
    env.put("DATABASE", "bank_latest");
    env.put("RESTORE_CREATE_DATABASE", "yes");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(target, "bank_latest")).isEqualTo(bank);
    assertThat(run.output().lines().filter(l -> l.contains("INFO  downloading ")))
        .singleElement()
        .asString()
        .contains("/hourly/" + NEWER);
  }

  @Test
  void recoverFromAnOlderBackupDownloadsOnlyThatOne() throws Exception {
    Map<String, String> env = env(target);
    env.put("DATABASE", "bank_older");
    env.put("RESTORE_CREATE_DATABASE", "yes");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "recover", "--from", "T10:51:00Z");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(target, "bank_older")).isEqualTo(bank);
    assertThat(run.output().lines().filter(l -> l.contains("INFO  downloading ")))
        .singleElement()
        .asString()
        .contains(OLDER);
  }

  @Test
  void verifyProvesTheNewestBackupOfTheBucket() throws Exception {
    Map<String, String> env = env(SharedServers.source());
    env.put("DATABASE", "bank");

    RestoreFixture.Run run = RestoreFixture.run(env, base, "verify");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(run.output()).contains(NEWER).doesNotContain(OLDER);
  }

  @Test
  void listingShowsTheBucketsTiers() throws Exception {
    RestoreFixture.Run run = RestoreFixture.run(env(target), base, "recover", "--list");

    assertThat(run.status()).as(run.termination()).isZero();
    assertThat(run.output()).contains(OLDER, NEWER, "/daily");
  }

  /** A legacy recovery Job's environment: the bucket was mounted where the backups were. */
  private Map<String, String> env(PostgresServer server) throws Exception {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.putAll(bucketSettings(base));
    return env;
  }

  private static Map<String, String> bucketSettings(Path work) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("BACKUP_VOLUME_IS_S3", "true");
    env.put("AWS_BUCKET_NAME", BUCKET + ":/db");
    env.put("BACKUP_VOLUME_S3_URL", s3.legacyEnvironment().get("RCLONE_S3_ENDPOINT"));
    env.put("BACKUP_VOLUME_S3_REQUEST_STYLE", "path");
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("BACKUP_TEMP_DIR", Files.createDirectories(work.resolve("tmp")).toString());
    return env;
  }
}
