package io.backupagents.sqlbackup.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.settings.SettingsTable;
import io.backupagents.sqlbackup.postgres.PostgresSetting;
import io.backupagents.sqlbackup.settings.BackupSetting;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.S3Fixture;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.PushgatewayServer;
import io.backupagents.testing.Readme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndReadmeTest {

  @TempDir Path work;

  @Test
  void readmeBackupSettingsTableMatchesTheDefinitions() {
    Readme.assertGeneratedBlock(
        "sql-backup-backup-settings", SettingsTable.markdown(List.of(BackupSetting.values())));
  }

  @Test
  void readmePostgresSettingsTableMatchesTheDefinitions() {
    Readme.assertGeneratedBlock(
        "sql-backup-postgres-settings", SettingsTable.markdown(List.of(PostgresSetting.values())));
  }

  @Test
  void readmeMetricsTableMatchesTheMeters() {
    Readme.assertGeneratedBlock("sql-backup-metrics", SqlBackupMetrics.markdownTable());
  }

  @Test
  void eachTierPushesItsOwnGroupAndEveryMeterIsDocumented() throws Exception {
    Path root = Files.createDirectories(work.resolve("backup"));
    try (PushgatewayServer pushgateway = PushgatewayServer.start();
        S3Fixture s3 = S3Fixture.start()) {
      s3.bucket("metrics");
      AgentRun.Result hourly =
          AgentRun.in(work)
              .postgres(SharedServers.source())
              .env(s3.legacyEnvironment())
              .env("USE_RCLONE", "yes")
              .env("USE_RCLONE_BUCKET_AND_PATH", "/metrics/db")
              .env("BACKUP_ROOT_DIR", root.toString())
              .env("DATABASE", "bank")
              .env("METRICS_PUSHGATEWAY_URL", pushgateway.url().toString())
              .clock(Clock.fixed(Instant.parse("2025-09-10T00:51:00Z"), ZoneOffset.UTC))
              .run();
      AgentRun.Result daily =
          AgentRun.in(work)
              .env("BACKUP_ROOT_DIR", root.toString())
              .env("BACKUP_TYPE", "daily")
              .env("METRICS_PUSHGATEWAY_URL", pushgateway.url().toString())
              .clock(Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC))
              .run();
      assertThat(hourly.exitCode()).as(hourly.termination()).isZero();
      assertThat(daily.exitCode()).as(daily.termination()).isZero();

      String pushed = pushgateway.metrics();
      for (String tier : List.of("hourly", "daily")) {
        assertThat(pushed)
            .containsPattern(
                "sql_backup_last_success_timestamp_seconds\\{backup_type=\""
                    + tier
                    + "\",instance=\"\",job=\"sql-backup\"} ");
      }
      assertThat(pushed)
          .contains(
              "sql_backup_retained_backups{backup_type=\"daily\",instance=\"\",job=\"sql-backup\","
                  + "location=\"local\",tier=\"daily\"} 1");

      Set<String> documented =
          SqlBackupMetrics.METERS.stream()
              .map(SqlBackupMetrics.Meter::name)
              .collect(Collectors.toSet());
      Set<String> reported = names(hourly.metrics() + daily.metrics());
      assertThat(documented).containsAll(reported);
      assertThat(reported).containsAll(documented);
    }
  }

  /** Names of this agent's own meters in a scrape (the launcher's run meters excluded). */
  private static Set<String> names(String scrape) {
    Matcher m = Pattern.compile("(?m)^(sql_backup_\\w+?)(\\{| )").matcher(scrape);
    Set<String> names = new java.util.TreeSet<>();
    while (m.find()) {
      if (!m.group(1).startsWith("sql_backup_last_")) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
