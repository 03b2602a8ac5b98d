package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.process.LocalProcessRunner;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.lock.Sleeper;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The legacy debugging aids: a sleep before the off-site copy, and sleeping after the run. */
class DebugSleepsTest {

  @TempDir Path work;

  @Test
  void preExitSleepWaitsTheGivenMinutesAfterTheRunsWork() throws Exception {
    List<Duration> slept = new ArrayList<>();
    Job job = dailyJob(Map.of("BACKUP_PRE_EXIT_SLEEP_M", "3"), slept::add);

    job.run(context());

    assertThat(slept).containsExactly(Duration.ofMinutes(3));
    assertThat(work.resolve("backup/daily/backup-2025-09-10T00:51:00Z-dumpall.sql.gz")).exists();
  }

  @Test
  void postDebugSleepsAfterTheRunUntilThePodGoes() throws Exception {
    List<Duration> slept = new ArrayList<>();
    Job job =
        dailyJob(
            Map.of("POST_DEBUG", "true"),
            d -> {
              slept.add(d);
              if (slept.size() == 3) {
                throw new InterruptedException("the pod is deleted");
              }
            });

    assertThatThrownBy(() -> job.run(context())).isInstanceOf(InterruptedException.class);

    assertThat(slept).containsOnly(Duration.ofHours(1)).hasSize(3);
    assertThat(work.resolve("backup/daily/backup-2025-09-10T00:51:00Z-dumpall.sql.gz")).exists();
  }

  private Job dailyJob(Map<String, String> extra, Sleeper sleeper) throws Exception {
    Path hourly = Files.createDirectories(work.resolve("backup/hourly"));
    Files.writeString(hourly.resolve("backup-2025-09-10T00:51:00Z-dumpall.sql.gz"), "x");
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("BACKUP_ROOT_DIR", work.resolve("backup").toString());
    env.put("BACKUP_TYPE", "daily");
    HostEnvironment host = HostEnvironment.of(env, Clock.systemUTC());
    SqlBackupAgent agent = new SqlBackupAgent(host);
    SettingsReader r = new SettingsReader(env, agent.settings(), agent.ownedPrefixes());
    Job job = BackupAction.configure(r, List.of(), host, sleeper);
    r.finish();
    return job;
  }

  private static RunContext context() {
    return new RunContext(
        Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        new LocalProcessRunner(Map.of()));
  }
}
