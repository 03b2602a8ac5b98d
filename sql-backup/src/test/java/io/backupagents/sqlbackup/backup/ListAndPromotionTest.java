package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.process.LocalProcessRunner;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.HostEnvironment;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.store.ChecksumFile;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion runs through the launcher, and the list action over what they leave. */
class ListAndPromotionTest {

  private static final Clock DAILY =
      Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC);
  private static final String H1 = "backup-2025-09-10T00:51:00Z-dumpall.sql.gz";
  private static final String H2 = "backup-2025-09-10T23:51:00Z-dumpall.sql.gz";

  @TempDir Path work;
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(work.resolve("backup"));
    Path hourly = Files.createDirectories(root.resolve("hourly"));
    for (String name : List.of(H1, H2)) {
      byte[] content = ("content of " + name).getBytes(StandardCharsets.UTF_8);
      Files.write(hourly.resolve(name), content);
      Path sum = hourly.resolve(name + ".sha256");
      Files.write(sum, ChecksumFile.content(ChecksumFile.sha256(hourly.resolve(name)), name));
    }
  }

  @Test
  void dailyRunPromotesTheOldestHourlyBackupByHardLink() throws IOException {
    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "DAILY")
            .env("BACKUP_COUNT", "7")
            .clock(DAILY)
            .run();

    assertThat(result.exitCode()).as(result.termination()).isZero();
    assertThat(HourlyBackupTest.listing(root.resolve("daily"))).containsExactly(H1, H1 + ".sha256");
    assertThat(Files.isSameFile(root.resolve("daily/" + H1), root.resolve("hourly/" + H1)))
        .isTrue();
    assertThat(HourlyBackupTest.listing(root.resolve("hourly")))
        .containsExactly(H1, H1 + ".sha256", H2, H2 + ".sha256");
    assertThat(result.metrics()).contains("sql_backup_promoted_backups 1.0");
  }

  @Test
  void promotionFromAnEmptyTierFailsAsNotFound() {
    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "monthly")
            .env("BACKUP_PRIOR_TYPE", "weekly")
            .clock(DAILY)
            .run();

    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (5: the weekly tier holds no backup to promote to monthly: check that the"
                + " weekly backups succeed)");
  }

  @Test
  void listPrintsEachTierWithSizeAgeAndChecksumStatus() throws Exception {
    Files.writeString(root.resolve("hourly/" + H2 + ".sha256"), "garbage");
    String text = list(List.of());
    assertThat(text)
        .contains("local hourly (" + root + "/hourly): 2 backups, 106 B")
        .containsPattern(
            "  backup-2025-09-10T00:51:00Z-dumpall\\.sql\\.gz +53 B +23h 30m old  sha256 recorded")
        .contains("local daily (" + root + "/daily): 0 backups, 0 B");

    String json = list(List.of("--json", "--check"));
    assertThat(json)
        .startsWith("{\"now\":\"2025-09-11T00:21:00Z\",\"locations\":[{\"kind\":\"local\"")
        .contains(
            "{\"name\":\""
                + H1
                + "\",\"size\":53,\"time\":\"2025-09-10T00:51:00Z\",\"checksum\":\"ok\"}")
        .contains("\"checksum\":\"mismatch\"");
  }

  @Test
  void listWithCheckFailsWhenABackupDoesNotMatchItsChecksum() throws IOException {
    Files.writeString(
        root.resolve("hourly/" + H1), "content of backup-2025-09-10T00:51:00Z-dumpall.sql.gZ");
    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .clock(DAILY)
            .run("list", "--check");
    assertThat(result.exitCode()).isEqualTo(12);
    assertThat(result.termination())
        .isEqualTo("FAILURE (12: 1 backups do not match their recorded SHA-256)");
  }

  private String list(List<String> args) throws Exception {
    Map<String, String> env = Map.of("BACKUP_ROOT_DIR", root.toString());
    HostEnvironment host = HostEnvironment.of(env);
    SqlBackupAgent agent = new SqlBackupAgent(host);
    SettingsReader r = new SettingsReader(env, agent.settings(), agent.ownedPrefixes());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Job job =
        ListAction.configure(r, args, host, new PrintStream(out, true, StandardCharsets.UTF_8));
    r.finish();
    try {
      job.run(
          new RunContext(
              DAILY,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              new LocalProcessRunner(env)));
    } catch (io.backupagents.common.exit.AgentException e) {
      // --check reports the mismatch after printing; the exit code is tested above.
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
