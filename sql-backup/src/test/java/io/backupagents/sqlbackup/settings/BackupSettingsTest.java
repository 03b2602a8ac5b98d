package io.backupagents.sqlbackup.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.settings.SettingsException;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.dump.DumpFormat;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.testing.AgentRun;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupSettingsTest {

  private static final HostEnvironment HOST = HostEnvironment.of(Map.of(), Clock.systemUTC());

  @TempDir Path work;

  @Test
  void reportsEveryBadSettingAtOnceAndChangesNothing() {
    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", work.resolve("backup").toString())
            .env("BACKUP_TYPE", "yearly")
            .env("BACKUP_COUNT", "0")
            .env("BACKUP_CUONT", "3")
            .env("DUMP_JOBS", "4")
            .env("BACKUP_COMPRESSION_LEVEL", "12")
            .env("BACKUP_LOCK_WAIT", "soon")
            .env("PGPORT", "54x")
            .env("RSYNC_HOST", "backup.example.org")
            .env("RSYNC_PASS", "rsync-secret")
            .env("USE_RCLONE", "yes")
            .run();

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (2: invalid settings (9 problems)"
                + " - PGPORT=54x: expected a whole number from 1 to 65535"
                + " - BACKUP_TYPE=yearly: expected one of hourly, daily, weekly, monthly"
                + " - BACKUP_COUNT=0: expected a whole number from 1 to 10000 (the legacy image's 0"
                + " deleted every backup, the new one included)"
                + " - RSYNC_HOST, RSYNC_PASS: the legacy rsync-over-ssh copy is not supported (it"
                + " put the password on a command line); remove them and use the S3 off-site copy"
                + " (BACKUP_S3_URL) or the volume-replicator image"
                + " - USE_RCLONE is set but USE_RCLONE_BUCKET_AND_PATH (or BACKUP_S3_URL) is not:"
                + " set it to /bucket/prefix"
                + " - DUMP_JOBS=4: parallel dump jobs need DUMP_FORMAT=directory (pg_dump -j writes"
                + " only that format)"
                + " - BACKUP_COMPRESSION_LEVEL=12: expected a whole number from 1 to 9"
                + " - BACKUP_LOCK_WAIT=soon: expected a duration such as 30s, 15m or 2h (at most 3650d)"
                + " - unknown variable BACKUP_CUONT; did you mean BACKUP_COUNT?)");
    assertThat(result.termination()).doesNotContain("rsync-secret");
    assertThat(work.resolve("backup")).doesNotExist();
  }

  @Test
  void acceptsTheLegacyManifestsVariables() {
    BackupSettings s =
        read(
            Map.of(
                "BACKUP_TYPE", "Daily",
                "BACKUP_COUNT", "7",
                "BACKUP_PRIOR_TYPE", "HOURLY",
                "BACKUP_PRIOR_COUNT", "24",
                "USE_RCLONE", "yes",
                "USE_RCLONE_BUCKET_AND_PATH", "/backups/prod/db",
                "RCLONE_S3_ENDPOINT", "https://rgw.example.org",
                "RCLONE_S3_PROVIDER", "Ceph",
                "AWS_ACCESS_KEY_ID", "key",
                "AWS_SECRET_ACCESS_KEY", "secret"));
    assertThat(s.tier()).isEqualTo(Tier.DAILY);
    assertThat(s.count()).isEqualTo(7);
    assertThat(s.priorTier()).isEqualTo(Tier.HOURLY);
    assertThat(s.notes())
        .containsExactly("BACKUP_PRIOR_COUNT is ignored: obsolete since the legacy image's 15.8");
    assertThat(s.offsite()).isPresent();
    assertThat(s.offsite().get().location().toString()).isEqualTo("s3://backups/prod/db");
    assertThat(s.offsite().get().s3().pathStyle()).isTrue();
    assertThat(s.root()).isEqualTo(Path.of("/backup"));
    assertThat(s.dump().format()).isEqualTo(DumpFormat.PLAIN);
    assertThat(s.lock().maxWait()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void theLegacyPathWithoutUseRcloneLeavesTheOffsiteCopyOffAsBefore() {
    BackupSettings legacy = read(Map.of("USE_RCLONE_BUCKET_AND_PATH", "/backups/prod/db"));
    assertThat(legacy.offsite()).isEmpty();
    BackupSettings current =
        read(
            Map.of(
                "BACKUP_S3_URL", "s3://backups/prod/db",
                "S3_ACCESS_KEY_ID", "key",
                "S3_SECRET_ACCESS_KEY", "secret"));
    assertThat(current.offsite()).isPresent();
  }

  @Test
  void legacyS3VolumeModeBecomesABucketStore() {
    BackupSettings s =
        read(
            Map.of(
                "BACKUP_VOLUME_IS_S3", "true",
                "AWS_BUCKET_NAME", "db-backups",
                "BACKUP_VOLUME_S3_URL", "https://s3.example.org",
                "BACKUP_VOLUME_S3_REQUEST_STYLE", "path",
                "AWS_ACCESS_KEY_ID", "key",
                "AWS_SECRET_ACCESS_KEY", "secret"));
    assertThat(s.bucketVolume()).isPresent();
    var v = s.bucketVolume().get();
    assertThat(v.location().toString()).isEqualTo("s3://db-backups");
    assertThat(v.s3().endpoint().orElseThrow().toString()).isEqualTo("https://s3.example.org");
    assertThat(v.s3().pathStyle()).isTrue();
  }

  @Test
  void aRefusedBucketSaysWhatABucketNameMayBe() {
    Assertions.assertThatThrownBy(() -> read(Map.of("BACKUP_S3_URL", "s3://db/hourly")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(
            "BACKUP_S3_URL=s3://db/hourly: expected s3://bucket/prefix or /bucket/prefix, with a"
                + " bucket name of 3 to 63 lower-case letters, digits, dots and hyphens")
        // The copy's other problems show in the same run, not one fix later.
        .hasMessageContaining(
            "S3_ACCESS_KEY_ID is required when the off-site copy (s3://db/hourly) is on")
        .hasMessageContaining(
            "S3_SECRET_ACCESS_KEY is required when the off-site copy (s3://db/hourly) is on");
    Assertions.assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "BACKUP_VOLUME_IS_S3", "true",
                        "AWS_BUCKET_NAME", "DB_Backups",
                        "AWS_ACCESS_KEY_ID", "key",
                        "AWS_SECRET_ACCESS_KEY", "secret")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(
            "AWS_BUCKET_NAME=DB_Backups: expected a bucket name, optionally bucket/prefix, with a"
                + " bucket name of 3 to 63");
  }

  @Test
  void aConnectionUrlInPghostIsRefusedWithoutShowingItsPassword() {
    Assertions.assertThatThrownBy(
            () -> {
              Map<String, String> env =
                  Map.of("PGHOST", "postgres://app:pa55-s3cret@db.example.org:5432/app");
              SqlBackupAgent agent = new SqlBackupAgent(HOST);
              SettingsReader r = new SettingsReader(env, agent.settings(), agent.ownedPrefixes());
              PostgresSettings.read(r);
              r.finish();
            })
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(
            "PGHOST holds a connection URL or a user and password (not shown): expected a host"
                + " name")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void promotionNeedsALowerPriorTier() {
    Assertions.assertThatThrownBy(
            () -> read(Map.of("BACKUP_TYPE", "weekly", "BACKUP_PRIOR_TYPE", "monthly")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(
            "BACKUP_PRIOR_TYPE=monthly: expected a lower tier than BACKUP_TYPE=weekly to promote"
                + " from (hourly, daily or weekly)");
  }

  private static BackupSettings read(Map<String, String> env) {
    SqlBackupAgent agent = new SqlBackupAgent(HOST);
    SettingsReader r = new SettingsReader(env, agent.settings(), agent.ownedPrefixes());
    BackupSettings s = BackupSettings.read(r, HOST);
    r.finish();
    return s;
  }
}
