package io.backupagents.sqlbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.lock.FileRunLock;
import io.backupagents.sqlbackup.testing.AgentProcess;
import io.backupagents.sqlbackup.testing.AgentRun;
import io.backupagents.sqlbackup.testing.Interference;
import io.backupagents.sqlbackup.testing.SharedServers;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How runs end when they are stopped from outside or misconfigured: SIGTERM and SIGKILL leave no
 * password file behind (the next run removes a killed one's), a missing PGPASSFILE is a settings
 * error, and a dump killed by DUMP_TIMEOUT says so.
 */
class RunEndingsTest {

  private static final Clock LATER =
      Clock.fixed(Instant.parse("2025-09-10T10:51:00Z"), ZoneOffset.UTC);

  @TempDir Path work;
  private Path root;
  private Path tmp;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(work.resolve("backup"));
    tmp = Files.createDirectories(work.resolve("tmp"));
  }

  @Test
  void aSigtermEndsTheRunWith143AndRemovesThePasswordFile() throws Exception {
    try (ServerSocket silent = silentServer()) {
      Process run = startAgent(silent.getLocalPort());
      awaitPasswordFile(run);
      run.destroy(); // SIGTERM

      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(log()).isEqualTo(143);
      assertThat(Files.readString(work.resolve("termination-log")))
          .isEqualTo("FAILURE (143: terminated by SIGTERM before the run ended)");
      assertThat(passwordDirectories()).isEmpty();
    }
  }

  @Test
  void aSigtermDuringTheDumpRemovesThePartialFileAndSaysSo() throws Exception {
    PostgresServer server = SharedServers.source();
    server.execute("postgres", "DROP DATABASE IF EXISTS held");
    server.execute("postgres", "CREATE DATABASE held");
    server.execute("held", "CREATE TABLE t AS SELECT generate_series(1, 1000) AS id");
    // pg_dump waits for the table's lock with its output file open.
    try (java.sql.Connection holder = server.connect("held");
        java.sql.Statement lock = holder.createStatement()) {
      holder.setAutoCommit(false);
      lock.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
      Map<String, String> env = new HashMap<>();
      env.put("HOME", work.toString());
      env.put("TMPDIR", tmp.toString());
      env.put("PGHOST", "127.0.0.1");
      env.put("PGPORT", Integer.toString(server.port()));
      env.put("PGADMINPASS", server.password());
      env.put("DATABASE", "held");
      env.put("BACKUP_ROOT_DIR", root.toString());
      env.put("TERMINATION_LOG_PATH", work.resolve("termination-log").toString());
      Process run = AgentProcess.start(env, work.resolve("agent.log"), "backup").process();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partialFiles().isEmpty()) {
        assertThat(run.isAlive()).as(log()).isTrue();
        assertThat(System.nanoTime()).as("no partial file appeared").isLessThan(deadline);
        Thread.sleep(50);
      }

      run.destroy(); // SIGTERM

      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(log()).isEqualTo(143);
      assertThat(partialFiles()).isEmpty();
      assertThat(log()).contains("sql-backup received SIGTERM: stopping");
      // The lock file names no owner: the next run has nothing to take over.
      assertThat(log()).contains("locked " + root);
      assertThat(root.resolve(FileRunLock.FILE_NAME)).isEmptyFile();
    }
  }

  private List<Path> partialFiles() throws IOException {
    Path hourly = root.resolve("hourly");
    if (!Files.isDirectory(hourly)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(hourly)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
    }
  }

  @Test
  void thePasswordFileOfAKilledRunIsRemovedByTheNextRun() throws Exception {
    try (ServerSocket silent = silentServer()) {
      Process run = startAgent(silent.getLocalPort());
      awaitPasswordFile(run);
      run.destroyForcibly(); // SIGKILL: nothing of the run gets to clean up
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(passwordDirectories()).as("what the killed run left").hasSize(1);
    }

    AgentRun.Result next =
        AgentRun.in(work)
            .postgres(SharedServers.source())
            .env("TMPDIR", tmp.toString())
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("DATABASE", "bank")
            .clock(LATER)
            .run();

    assertThat(next.exitCode()).as(next.termination()).isZero();
    assertThat(passwordDirectories()).isEmpty();
  }

  @Test
  void aPgpassfileThatDoesNotExistIsASettingsErrorNamingTheVariable() {
    Path missing = work.resolve("secrets/pgpass");
    AgentRun.Result result =
        AgentRun.in(work)
            .postgres(SharedServers.source())
            .env("PGADMINPASS", "-")
            .env("PGPASSFILE", missing.toString())
            .env("BACKUP_ROOT_DIR", root.toString())
            .clock(LATER)
            .run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(2);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (2: invalid settings (1 problem) - PGPASSFILE="
                + missing
                + ": no such file; expected a readable libpq password file (mount it there) or set"
                + " PGADMINPASS)");
  }

  @Test
  void aDumpKilledByDumpTimeoutSaysSo() throws IOException {
    PostgresServer server = SharedServers.source();
    AgentRun.Result result =
        AgentRun.in(work)
            .postgres(server)
            .env("BACKUP_ROOT_DIR", root.toString())
            .env("DATABASE", "bank")
            .env("DUMP_TIMEOUT", "1s")
            .clock(LATER)
            // pg_dump stalls on its full pipe while the reader sleeps past the limit
            .processes(Interference.after("pg_dump", 64 * 1024, () -> sleep(4000)))
            .run();

    assertThat(result.exitCode()).as(result.termination()).isEqualTo(6);
    assertThat(result.termination())
        .isEqualTo(
            "FAILURE (6: pg_dump of bank ran longer than DUMP_TIMEOUT and was killed; the partial"
                + " file was removed (raise DUMP_TIMEOUT, or set it to 0 for no limit))");
    assertThat(HourlyBackupTest.listing(root.resolve("hourly"))).isEmpty();
  }

  /** Accepts connections and never answers: the run waits in its connection attempt. */
  private static ServerSocket silentServer() throws IOException {
    ServerSocket s = new ServerSocket(0);
    @SuppressWarnings("ModifiedButNotUsed") // holds the accepted sockets open
    List<Socket> held = new ArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  held.add(s.accept());
                }
              } catch (IOException e) {
                // closed
              }
            });
    return s;
  }

  private Process startAgent(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", work.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("PGHOST", "127.0.0.1");
    env.put("PGPORT", Integer.toString(port));
    env.put("PGADMINPASS", "secret-to-be-removed");
    env.put("PG_CONNECT_TIMEOUT", "2m");
    env.put("BACKUP_ROOT_DIR", root.toString());
    env.put("TERMINATION_LOG_PATH", work.resolve("termination-log").toString());
    return AgentProcess.start(env, work.resolve("agent.log"), "backup").process();
  }

  private void awaitPasswordFile(Process run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (passwordDirectories().stream().noneMatch(d -> Files.exists(d.resolve("pgpass")))) {
      assertThat(run.isAlive()).as(log()).isTrue();
      assertThat(System.nanoTime()).as("no password file appeared").isLessThan(deadline);
      Thread.sleep(50);
    }
    Thread.sleep(500); // well inside the connection attempt
  }

  private List<Path> passwordDirectories() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("pgpass-")).toList();
    }
  }

  private String log() throws IOException {
    return Files.readString(work.resolve("agent.log"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
