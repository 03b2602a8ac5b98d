package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.process.LocalProcessRunner;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.list.ListAction;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.testing.Commands;
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
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion runs through the launcher, and the list action over what they leave. */
class ListAndPromotionTest {

  private static final Clock DAILY =
      Clock.fixed(Instant.parse("2025-09-11T00:21:00Z"), ZoneOffset.UTC);
  private static final String H1 = "backup-2025-09-10T00:51:00Z-dumpall.sql.gz";
  private static final String H2 = "backup-2025-09-10T23:51:00Z-dumpall.sql.gz";

  /** A daily backup promoted by an earlier version, whose record has the name it gave them. */
  private static final String D0 = "backup-2025-09-09T00:51:00Z-dumpall.sql.gz";

  @TempDir Path work;
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(work.resolve("backup"));
    Path hourly = Files.createDirectories(root.resolve("hourly"));
    for (String name : List.of(H1, H2)) {
      writeBackup(hourly, name, "." + name + ".sha256");
    }
  }

  /** A backup and its record in sha256sum's format, the record under {@code recordName}. */
  private static void writeBackup(Path dir, String name, String recordName) throws IOException {
    Path file = Files.writeString(dir.resolve(name), "content of " + name);
    Files.write(
        dir.resolve(recordName),
        ChecksumRecord.content(ChecksumRecord.sha256(file), BackupName.parse(name).orElseThrow()));
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
    assertThat(HourlyBackupTest.listing(root.resolve("daily")))
        .containsExactly("." + H1 + ".sha256", H1);
    assertThat(Files.isSameFile(root.resolve("daily/" + H1), root.resolve("hourly/" + H1)))
        .isTrue();
    assertThat(HourlyBackupTest.listing(root.resolve("hourly")))
        .containsExactly("." + H1 + ".sha256", "." + H2 + ".sha256", H1, H2);
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
    Files.writeString(root.resolve("hourly/." + H2 + ".sha256"), "garbage");
    String text = list(List.of());
    assertThat(text)
        .contains("local hourly (" + root + "/hourly): 2 backups, 106 B")
        .containsPattern(
            "  backup-2025-09-10T00:51:00Z-dumpall\\.sql\\.gz +53 B +23h 30m old  sha256 recorded")
        .contains("local daily (" + root + "/daily): 0 backups, 0 B");

    JsonNode json = new ObjectMapper().readTree(list(List.of("--json", "--check")));
    assertThat(json.get("now").asText()).isEqualTo("2025-09-11T00:21:00Z");
    assertThat(json.get("locations").get(0).get("kind").asText()).isEqualTo("local");
    Map<String, JsonNode> backups = backups(json);
    assertThat(backups.get(H1).toString())
        .isEqualTo(
            "{\"name\":\""
                + H1
                + "\",\"size\":53,\"time\":\"2025-09-10T00:51:00Z\",\"checksum\":\"ok\","
                + "\"encrypted\":false,\"recipients\":[]}");
    assertThat(backups.get(H2).get("checksum").asText()).isEqualTo("mismatch");
  }

  @Test
  void recordsUnderTheEarlierNameAreReadThenRenamedByTheTiersNextRotation() throws Exception {
    // As an earlier version left them: records named <backup>.sha256, which backup* globs match.
    Path hourly = root.resolve("hourly");
    for (String name : List.of(H1, H2)) {
      Files.move(hourly.resolve("." + name + ".sha256"), hourly.resolve(name + ".sha256"));
    }
    Path daily = Files.createDirectories(root.resolve("daily"));
    writeBackup(daily, D0, D0 + ".sha256");
    String d0Record = Files.readString(daily.resolve(D0 + ".sha256"));
    // Records whose backup is gone, under both names.
    Files.writeString(daily.resolve("backup-2025-09-01T00:51:00Z-dumpall.sql.gz.sha256"), "x");
    Files.writeString(daily.resolve(".backup-2025-09-02T00:51:00Z-dumpall.sql.gz.sha256"), "x");

    Map<String, JsonNode> backups =
        backups(new ObjectMapper().readTree(list(List.of("--json", "--check"))));
    assertThat(backups).containsOnlyKeys(H1, H2, D0);
    assertThat(backups.get(H1).get("time").asText()).isEqualTo("2025-09-10T00:51:00Z");
    assertThat(backups.get(H2).get("time").asText()).isEqualTo("2025-09-10T23:51:00Z");
    assertThat(backups.get(D0).get("time").asText()).isEqualTo("2025-09-09T00:51:00Z");
    assertThat(backups.values())
        .allSatisfy(
            b -> {
              assertThat(b.get("size").asLong()).isEqualTo(53);
              assertThat(b.get("checksum").asText()).isEqualTo("ok");
            });

    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "daily")
            .env("BACKUP_COUNT", "7")
            .clock(DAILY)
            .run();

    assertThat(result.exitCode()).as(result.termination()).isZero();
    // The daily tier converged: each record renamed (content unchanged) or written under the
    // current name by the promotion, the stale ones gone.
    assertThat(HourlyBackupTest.listing(daily))
        .containsExactly("." + D0 + ".sha256", "." + H1 + ".sha256", D0, H1);
    assertThat(daily.resolve("." + D0 + ".sha256")).hasContent(d0Record);
    for (String name : List.of(D0, H1)) {
      HourlyBackupTest.assertChecksumFileMatches(daily.resolve(name));
    }
    // What a legacy daily or recovery image would take for backups in this tier: backups only.
    assertThat(
            Commands.run(List.of("sh", "-c", "cd \"$0\" && ls -d daily/backup*", root.toString())))
        .isEqualTo("daily/" + D0 + "\ndaily/" + H1 + "\n");
    // The hourly tier keeps the earlier names until its own next rotation.
    assertThat(HourlyBackupTest.listing(hourly))
        .containsExactly(H1, H1 + ".sha256", H2, H2 + ".sha256");
  }

  @Test
  void pruningRemovesARecordUnderTheEarlierName() throws IOException {
    Path daily = Files.createDirectories(root.resolve("daily"));
    writeBackup(daily, D0, D0 + ".sha256");

    AgentRun.Result result =
        AgentRun.in(work)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("BACKUP_TYPE", "daily")
            .env("BACKUP_COUNT", "1")
            .clock(DAILY)
            .run();

    assertThat(result.exitCode()).as(result.termination()).isZero();
    assertThat(HourlyBackupTest.listing(daily)).containsExactly("." + H1 + ".sha256", H1);
    assertThat(result.metrics()).contains("sql_backup_pruned_backups{location=\"local\"} 1.0");
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

  /** Every backup of every location and tier in {@code list --json} output, by name. */
  private static Map<String, JsonNode> backups(JsonNode json) {
    Map<String, JsonNode> byName = new TreeMap<>();
    for (JsonNode location : json.get("locations")) {
      for (JsonNode tier : location.get("tiers")) {
        for (JsonNode backup : tier) {
          byName.put(backup.get("name").asText(), backup);
        }
      }
    }
    return byName;
  }

  private String list(List<String> args) throws Exception {
    Map<String, String> env = Map.of("BACKUP_ROOT_DIR", root.toString());
    HostEnvironment host = HostEnvironment.of(env, DAILY);
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
