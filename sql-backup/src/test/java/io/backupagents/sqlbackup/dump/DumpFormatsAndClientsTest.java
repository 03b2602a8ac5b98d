package io.backupagents.sqlbackup.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.SampleData;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg_dump's archive formats, and how client tools are chosen and heard. */
class DumpFormatsAndClientsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-09-10T10:51:00Z"), ZoneOffset.UTC);

  @TempDir Path work;

  @Test
  void customAndDirectoryArchivesRestoreWithPgRestore() throws IOException {
    PostgresServer source = SharedServers.source();
    Path root = Files.createDirectories(work.resolve("backup"));
    assertThat(run(root, "custom", "1").exitCode()).isZero();
    assertThat(run(root, "directory", "2").exitCode()).isZero();
    Path custom = root.resolve("hourly/backup-2025-09-10T10:51:00Z-shop.dump");
    Path tar = root.resolve("hourly/backup-2025-09-10T10:51:00Z-shop.dir.tar");
    assertThat(custom).isRegularFile();
    assertThat(tar).isRegularFile();
    Path extracted = Files.createDirectories(work.resolve("extracted"));
    Commands.run(List.of("tar", "-xf", tar.toString(), "-C", extracted.toString()));
    Path dir = extracted.resolve("backup-2025-09-10T10:51:00Z-shop.dir");
    assertThat(dir.resolve("toc.dat")).isRegularFile();

    try (PostgresServer target = PostgresServer.start()) {
      target.execute("postgres", "CREATE ROLE reporting LOGIN");
      for (var restore :
          List.of(List.of("from_custom", custom.toString()), List.of("from_dir", dir.toString()))) {
        target.createDatabase(restore.get(0));
        Commands.run(
            List.of(
                source.binDir().resolve("pg_restore").toString(),
                "--exit-on-error",
                "--jobs=2",
                "--dbname=" + restore.get(0),
                restore.get(1)),
            target.libpqEnvironment());
        assertThat(SampleData.fingerprints(target, List.of(restore.get(0))).get(restore.get(0)))
            .isEqualTo(SampleData.fingerprints(source, List.of("shop")).get("shop"));
      }
    }
  }

  @Test
  void warningsOfPgDumpAreLoggedAndCountedButDoNotFailTheRun() throws IOException {
    PostgresServer source = SharedServers.source();
    Path bin =
        wrapper(
            "pg_dump",
            "echo 'pg_dump: warning: a test warning' >&2; exec "
                + source.binDir().resolve("pg_dump")
                + " \"$@\"");
    Path root = Files.createDirectories(work.resolve("backup"));

    AgentRun.Result result =
        AgentRun.in(work)
            .postgres(source)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("DATABASE", "bank")
            .env("PG_BIN_DIR", bin.toString())
            .clock(CLOCK)
            .run();

    assertThat(result.exitCode()).as(result.termination()).isZero();
    assertThat(result.metrics()).contains("sql_backup_dump_warnings{database=\"bank\"} 1.0");
    assertThat(root.resolve("hourly/backup-2025-09-10T10:51:00Z-bank.sql.gz")).isRegularFile();
  }

  @Test
  void failsBeforeDumpingWhenNoClientIsNewEnoughForTheServer() throws IOException {
    PostgresServer source = SharedServers.source();
    Path bin = wrapper("pg_dump", "echo 'pg_dump (PostgreSQL) 12.22'");
    Path root = Files.createDirectories(work.resolve("backup"));
    Path noInstall = Files.createDirectories(work.resolve("no-postgresql-here"));

    AgentRun.Result result =
        AgentRun.in(work)
            .postgres(source)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("DATABASE", "bank")
            .env("PG_BIN_DIR", bin.toString())
            .env("PATH", "/nonexistent")
            .host(h -> h.withPgInstallRoot(noInstall))
            .clock(CLOCK)
            .run();

    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.termination())
        .matches(
            "FAILURE \\(5: no pg_dump of PostgreSQL 15 or newer for the server \\(version 15\\.\\d+\\);"
                + " found: 12 in "
                + bin
                + "\\. Use an image with newer clients or set PG_BIN_DIR\\)");
    assertThat(root.resolve("hourly")).doesNotExist();
  }

  private AgentRun.Result run(Path root, String format, String jobs) {
    return AgentRun.in(work)
        .postgres(SharedServers.source())
        .env("BACKUP_ROOT_DIR", root.toString())
        .env("DATABASE", "shop")
        .env("DUMP_FORMAT", format)
        .env("DUMP_JOBS", jobs)
        .clock(CLOCK)
        .run();
  }

  private Path wrapper(String tool, String body) throws IOException {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path script = bin.resolve(tool);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }
}
