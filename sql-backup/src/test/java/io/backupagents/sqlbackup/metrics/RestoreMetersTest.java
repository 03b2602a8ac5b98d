package io.backupagents.sqlbackup.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.testing.Readme;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The recover and verify meters of {@link SqlBackupMetrics.Restore}. */
class RestoreMetersTest {

  @Test
  void everyMeterInTheTableIsWhatTheRegistryExports() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Instant named = Instant.parse("2025-09-10T10:51:08Z");
    SqlBackupMetrics.Restore restore =
        SqlBackupMetrics.Restore.in(registry, SqlBackupMetrics.Restore.Kind.RESTORE);
    restore.phase("check", Duration.ofSeconds(3));
    restore.backup(named, 1234);
    restore.sqlBytes(5678);
    restore.sqlErrors(0);
    restore.databases(5);
    restore.outcome(ExitCode.SUCCESS, Duration.ofSeconds(9));
    SqlBackupMetrics.Restore verify =
        SqlBackupMetrics.Restore.in(registry, SqlBackupMetrics.Restore.Kind.VERIFY);
    verify.phase("restore", Duration.ofSeconds(3));
    verify.backup(named, 1234);
    verify.sqlBytes(5678);
    verify.tables(7);
    verify.outcome(ExitCode.SUCCESS, Duration.ofSeconds(9));
    verify.verified(Instant.parse("2025-09-10T12:00:00Z"));

    String scrape = registry.scrape();
    Matcher m =
        Pattern.compile("\\| `([a-z_]+)` \\|").matcher(SqlBackupMetrics.Restore.markdownTable());
    int rows = 0;
    while (m.find()) {
      assertThat(scrape).containsPattern("(?m)^" + m.group(1) + "[ {]");
      rows++;
    }
    assertThat(rows).isEqualTo(18);
    assertThat(scrape)
        .contains(
            "sql_backup_restore_backup_timestamp_seconds 1.757501468E9",
            "sql_backup_verify_tables 7.0",
            "sql_backup_last_verified_timestamp_seconds 1.7575056E9");
  }

  @Test
  void aLaterOutcomeReplacesAnEarlierOneInTheSameRun() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SqlBackupMetrics.Restore.in(registry, SqlBackupMetrics.Restore.Kind.VERIFY)
        .outcome(ExitCode.SUCCESS, Duration.ZERO);
    SqlBackupMetrics.Restore.in(registry, SqlBackupMetrics.Restore.Kind.VERIFY)
        .outcome(ExitCode.VERIFY_FAILED, Duration.ZERO);

    assertThat(registry.scrape())
        .contains("sql_backup_verify_success 0.0", "sql_backup_verify_exit_code 12.0")
        .doesNotContain("last_verified");
  }

  @Test
  void theReadmeTableIsTheOneTheCodeGenerates() {
    Readme.assertGeneratedBlock(
        "sql-backup-restore-metrics", SqlBackupMetrics.Restore.markdownTable());
  }
}
