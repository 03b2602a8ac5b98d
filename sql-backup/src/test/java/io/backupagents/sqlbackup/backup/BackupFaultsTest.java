package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.Interference;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.Commands;
import io.backupagents.testing.FreePort;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each fault ends with its own exit code and a one-line termination message, leaves nothing named
 * {@code backup*} behind, and never loses the backup an earlier run made.
 */
class BackupFaultsTest {

  private static final Clock EARLIER =
      Clock.fixed(Instant.parse("2025-09-10T09:51:00Z"), ZoneOffset.UTC);
  private static final Clock LATER =
      Clock.fixed(Instant.parse("2025-09-10T10:51:00Z"), ZoneOffset.UTC);
  private static final String EARLIER_BACKUP = "backup-2025-09-10T09:51:00Z-bank.sql.gz";

  @TempDir Path work;
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(work.resolve("backup"));
  }

  @Test
  void pgDumpKilledMidDumpFailsAndKeepsTheEarlierBackup() throws IOException {
    PostgresServer server = SharedServers.source();
    String before = earlierBackup(server);

    AgentRun.Result result =
        run(server)
            .processes(
                Interference.after(
                    "pg_dump",
                    64 * 1024,
                    () -> Interference.running("pg_dump").forEach(ProcessHandle::destroyForcibly)))
            .run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(6);
    assertThat(result.termination())
        .isEqualTo("FAILURE (6: pg_dump of bank failed: pg_dump was killed by signal 9)");
    assertOnlyTheEarlierBackup(before);
  }

  @Test
  void serverStoppedMidDumpFailsAsUnreachable() throws IOException {
    try (PostgresServer server = PostgresServer.start()) {
      server.createDatabase("bank");
      Commands.run(
          List.of(server.binDir().resolve("pgbench").toString(), "-i", "-s", "1", "-q", "bank"),
          server.libpqEnvironment());
      String before = earlierBackup(server);

      AgentRun.Result result =
          run(server).processes(Interference.after("pg_dump", 64 * 1024, server::stop)).run();

      assertThat(result.exitCode()).as(result.termination()).isEqualTo(3);
      assertThat(result.termination())
          .startsWith(
              "FAILURE (3: pg_dump of bank failed: pg_dump exited with status 1: pg_dump: error:"
                  + " Dumping the contents of table \"pgbench_accounts\" failed: ")
          .containsAnyOf("server closed the connection", "terminating connection");
      assertOnlyTheEarlierBackup(before);
    }
  }

  @Test
  void wrongPasswordFailsAsAuthenticationWithoutShowingIt() throws IOException {
    PostgresServer server = SharedServers.source();
    String before = earlierBackup(server);

    AgentRun.Result result = run(server).env("PGADMINPASS", "wrong-secret-4711").run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(4);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (4: PostgreSQL at 127.0.0.1:"
                + server.port()
                + " refused role postgres (28P01): check PGADMINPASS)");
    assertThat(result.termination() + result.metrics()).doesNotContain("wrong-secret-4711");
    assertOnlyTheEarlierBackup(before);
  }

  @Test
  void noPasswordAtAllFailsAsAuthenticationNotAsAnUnreachableServer() throws IOException {
    PostgresServer server = SharedServers.source();
    String before = earlierBackup(server);

    AgentRun.Result result = run(server).env("PGADMINPASS", "").run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(4);
    assertThat(result.termination())
        .startsWith("FAILURE (4: PostgreSQL at 127.0.0.1:" + server.port() + " refused role")
        .endsWith("no password was given: set PGADMINPASS or PGPASSFILE)");
    assertOnlyTheEarlierBackup(before);
  }

  @Test
  void missingDatabaseFailsBeforeAnythingIsDumped() throws IOException {
    PostgresServer server = SharedServers.source();
    String before = earlierBackup(server);

    AgentRun.Result result = run(server).env("DATABASE", "bank,nosuchdb").run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(5);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (5: database nosuchdb does not exist on 127.0.0.1:" + server.port() + ")");
    assertOnlyTheEarlierBackup(before);
  }

  @Test
  void unreachableServerFailsAsUnreachable() throws IOException {
    PostgresServer server = SharedServers.source();
    String before = earlierBackup(server);
    int closed = FreePort.pick();

    AgentRun.Result result = run(server).env("PGPORT", Integer.toString(closed)).run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(3);
    assertThat(result.termination())
        .startsWith("FAILURE (3: PostgreSQL at 127.0.0.1:" + closed + " could not be reached: ");
    assertOnlyTheEarlierBackup(before);
  }

  @Test
  void fullDiskRemovesThePartialFileAndKeepsOlderBackups() throws IOException {
    PostgresServer server = SharedServers.source();
    try (FileSystem fs =
        Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(384 * 1024).build())) {
      Path hourly = Files.createDirectories(fs.getPath("/backup/hourly"));
      byte[] old = new byte[96 * 1024];
      Files.write(hourly.resolve("backup-2025-09-10T09:51:00Z-shop.sql.gz"), old);
      Files.writeString(hourly.resolve(".backup-2025-09-10T09:51:00Z-shop.sql.gz.sha256"), "x");

      AgentRun.Result result =
          AgentRun.in(work)
              .postgres(server)
              .fileSystem(fs)
              .env("BACKUP_ROOT_DIR", "/backup")
              .env("DATABASE", "shop")
              .clock(LATER)
              .run();

      assertThat(result.exitCode()).as(result.termination()).isEqualTo(7);
      assertThat(result.termination())
          .startsWith(
              "FAILURE (7: pg_dump of shop failed: the file system of /backup/hourly is full (")
          .endsWith("); the partial file was removed, older backups are untouched)");
      assertThat(HourlyBackupTest.listing(hourly))
          .containsExactly(
              ".backup-2025-09-10T09:51:00Z-shop.sql.gz.sha256",
              "backup-2025-09-10T09:51:00Z-shop.sql.gz");
      assertThat(Files.readAllBytes(hourly.resolve("backup-2025-09-10T09:51:00Z-shop.sql.gz")))
          .isEqualTo(old);
    }
  }

  @Test
  void passwordIsNeitherOnTheCommandLineNorInTheEnvironmentOfPgDump() throws IOException {
    PostgresServer server = SharedServers.source();
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> inspectionFailure = new AtomicReference<>();
    AgentRun.Result result =
        run(server)
            .processes(
                Interference.after(
                    "pg_dump",
                    1,
                    () -> {
                      // pg_dump is blocked on its full pipe while this runs, so it is alive.
                      try {
                        for (ProcessHandle p : Interference.running("pg_dump")) {
                          String cmdline = proc(p, "cmdline");
                          String environ = proc(p, "environ");
                          // The schema-only pg_dump beside the dump may end between the
                          // listing and the reads: only the processes read whole count.
                          if (cmdline != null && environ != null) {
                            seen.add(cmdline);
                            seen.add(environ);
                          }
                        }
                      } catch (RuntimeException e) {
                        inspectionFailure.set(e);
                      }
                    }))
            .run();

    assertThat(inspectionFailure.get()).isNull();
    assertThat(result.exitCode()).as(result.termination()).isZero();
    // The dump, and sometimes still the schema-only pg_dump that reads the database's properties
    // beside it: a cmdline and an environ each.
    assertThat(seen).as("cmdline and environ of each pg_dump").hasSizeGreaterThanOrEqualTo(2);
    List<String> cmdlines = new ArrayList<>();
    for (int i = 0; i < seen.size(); i += 2) {
      cmdlines.add(seen.get(i));
      assertThat(seen.get(i + 1)).as("environ of " + seen.get(i)).contains("PGPASSFILE=");
    }
    assertThat(cmdlines)
        .allMatch(c -> c.contains("pg_dump") && c.contains("--dbname=dbname='bank'"))
        .anyMatch(c -> c.contains("--clean"));
    assertThat(String.join("", seen)).doesNotContain(server.password());
  }

  private AgentRun run(PostgresServer server) {
    return AgentRun.in(work)
        .postgres(server)
        .env("BACKUP_ROOT_DIR", root.toString())
        .env("DATABASE", "bank")
        .clock(LATER);
  }

  /** A successful run an hour earlier; returns its checksum record's content. */
  private String earlierBackup(PostgresServer server) throws IOException {
    AgentRun.Result r = run(server).clock(EARLIER).run();
    assertThat(r.exitCode()).as(r.termination()).isZero();
    return Files.readString(root.resolve("hourly/." + EARLIER_BACKUP + ".sha256"));
  }

  private void assertOnlyTheEarlierBackup(String checksum) throws IOException {
    assertThat(HourlyBackupTest.listing(root.resolve("hourly")))
        .containsExactly("." + EARLIER_BACKUP + ".sha256", EARLIER_BACKUP);
    HourlyBackupTest.assertChecksumFileMatches(root.resolve("hourly/" + EARLIER_BACKUP));
    assertThat(Files.readString(root.resolve("hourly/." + EARLIER_BACKUP + ".sha256")))
        .isEqualTo(checksum);
  }

  /** A /proc file of {@code p}, or null when {@code p} has ended meanwhile. */
  private static String proc(ProcessHandle p, String file) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), file));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      if (!p.isAlive() || exited(p)) {
        return null;
      }
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether {@code p} has exited but is not reaped yet (a zombie, state Z or X): it still counts as
   * alive, but its environment can no longer be read ("No such process").
   */
  private static boolean exited(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      // pid (comm) state ...: the command may hold spaces and parentheses, the state follows the
      // last ')'.
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true; // gone altogether
    }
  }
}
