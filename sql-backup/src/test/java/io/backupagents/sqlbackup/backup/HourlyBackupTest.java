package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.LegacyRestore;
import io.backupagents.sqlbackup.testing.SampleData;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hourly runs against a real server with real data, restored the legacy way into fresh servers. */
class HourlyBackupTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-09-10T10:51:01.730Z"), ZoneOffset.UTC);

  @TempDir Path work;

  @Test
  void dumpallRestoresIntoAFreshServerWithEqualContent() throws IOException {
    PostgresServer source = SharedServers.source();
    Path root = Files.createDirectories(work.resolve("backup"));

    AgentRun.Result result =
        AgentRun.in(work)
            .postgres(source)
            .env("BACKUP_ROOT_DIR", root.toString())
            .clock(CLOCK)
            .run();

    assertThat(result.exitCode()).isZero();
    assertThat(result.termination()).isEqualTo("SUCCESS");
    Path backup = root.resolve("hourly/backup-2025-09-10T10:51:01Z-dumpall.sql.gz");
    assertThat(backup).isRegularFile();
    assertChecksumFileMatches(backup);
    assertThat(listing(root.resolve("hourly")))
        .containsExactly(
            ".backup-2025-09-10T10:51:01Z-dumpall.sql.gz.sha256",
            "backup-2025-09-10T10:51:01Z-dumpall.sql.gz");
    // The legacy images find backups with the shell glob */backup* (COMPAT.md section 1): the
    // hidden checksum record must not be among them.
    assertThat(
            Commands.run(List.of("sh", "-c", "cd \"$0\" && ls -d */backup*", root.toString()))
                .strip())
        .isEqualTo("hourly/backup-2025-09-10T10:51:01Z-dumpall.sql.gz");
    Commands.run(List.of(RequiredTool.require("gzip").toString(), "-t", backup.toString()));

    try (PostgresServer target = PostgresServer.start()) {
      String output = LegacyRestore.dumpall(backup, target, source.password());
      // The legacy restore's known, harmless errors: the dump drops and re-creates the connected
      // role and template1 (COMPAT.md section 2); nothing else may fail.
      assertThat(errorLines(output))
          .allMatch(
              l ->
                  l.contains("current user cannot be dropped")
                      || l.contains("cannot drop the currently open database")
                      || l.contains("already exists"));
      assertThat(SampleData.fingerprints(target, SampleData.DATABASES))
          .isEqualTo(SampleData.fingerprints(source, SampleData.DATABASES));
      assertThat(
              target.queryString(
                  "shop", "SELECT count(*) FROM pg_roles WHERE rolname = 'reporting'"))
          .isEqualTo("1");
    }
  }

  @Test
  void databaseListMakesOneRestorableFilePerDatabase() throws IOException {
    PostgresServer source = SharedServers.source();
    Path root = Files.createDirectories(work.resolve("backup"));

    AgentRun.Result result =
        AgentRun.in(work)
            .postgres(source)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("DATABASE", "bank, shop")
            .env("BACKUP_COMPRESSION_LEVEL", "1")
            .clock(CLOCK)
            .run("backup");

    assertThat(result.exitCode()).isZero();
    assertThat(listing(root.resolve("hourly")))
        .containsExactly(
            ".backup-2025-09-10T10:51:01Z-bank.sql.gz.sha256",
            ".backup-2025-09-10T10:51:01Z-shop.sql.gz.sha256",
            "backup-2025-09-10T10:51:01Z-bank.sql.gz",
            "backup-2025-09-10T10:51:01Z-shop.sql.gz");
    try (PostgresServer target = PostgresServer.start()) {
      // Single-database dumps hold no roles: the target has them, as in the legacy deployments.
      target.execute("postgres", "CREATE ROLE reporting LOGIN");
      for (String db : List.of("bank", "shop")) {
        Path backup = root.resolve("hourly/backup-2025-09-10T10:51:01Z-" + db + ".sql.gz");
        assertChecksumFileMatches(backup);
        String output = LegacyRestore.database(backup, target, db);
        assertThat(errorLines(output)).isEmpty();
      }
      assertThat(SampleData.fingerprints(target, List.of("bank", "shop")))
          .isEqualTo(SampleData.fingerprints(source, List.of("bank", "shop")));
    }
    assertThat(result.metrics())
        .contains("sql_backup_backup_size_bytes{database=\"shop\"}")
        .contains("sql_backup_retained_backups{location=\"local\",tier=\"hourly\"} 2.0");
  }

  static void assertChecksumFileMatches(Path backup) {
    String line =
        Commands.run(
            List.of(
                "sh",
                "-c",
                "cd \"$0\" && sha256sum -c \"$1\"",
                backup.getParent().toString(),
                "." + backup.getFileName() + ".sha256"));
    assertThat(line.strip()).isEqualTo(backup.getFileName() + ": OK");
  }

  static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> errorLines(String psqlOutput) {
    return psqlOutput.lines().filter(l -> l.contains("ERROR")).toList();
  }
}
