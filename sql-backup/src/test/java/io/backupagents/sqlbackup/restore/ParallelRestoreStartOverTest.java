package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.Checksums;
import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parallel pg_restore that stops at a failed statement starts over with one job, in a database
 * made afresh where the restore created it. The parallel runs fail through a pg_restore wrapper
 * that does what a step run before one it needs does: it creates the archive's objects, then runs
 * their statements once more (with real pg_restore, against the real server), so that the first
 * attempt leaves objects behind that the second must not meet.
 */
class ParallelRestoreStartOverTest {

  private static final AtomicInteger COPIES = new AtomicInteger();

  private static PostgresServer server;
  private static String checksum;

  @TempDir Path base;

  @BeforeAll
  static void load() {
    server = PostgresServer.start();
    server.createDatabase("parts");
    // A foreign key to a partitioned table with a sub-partitioned partition: the shape whose
    // dependencies parallel restores have got wrong.
    server.execute(
        "parts",
        String.join(
            "\n",
            "CREATE TABLE pk (a int PRIMARY KEY) PARTITION BY RANGE (a);",
            "CREATE TABLE pk1 PARTITION OF pk FOR VALUES FROM (0) TO (1000);",
            "CREATE TABLE pk2 PARTITION OF pk FOR VALUES FROM (1000) TO (2000)"
                + " PARTITION BY RANGE (a);",
            "CREATE TABLE pk2_d PARTITION OF pk2 DEFAULT;",
            "CREATE TABLE pk_d PARTITION OF pk DEFAULT;",
            "INSERT INTO pk SELECT g * 7 FROM generate_series(0, 400) g;",
            "CREATE TABLE fk (id serial PRIMARY KEY, a int REFERENCES pk, note text);",
            "INSERT INTO fk (a, note) SELECT g * 7, 'Zeile ' || g FROM generate_series(0, 400) g;"));
    checksum = Checksums.of(server, "parts");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void verifyStartsOverWithOneJobInAFreshScratchDatabase() throws Exception {
    Map<String, String> env = backup();
    env.put("PG_BIN_DIR", wrappedTools(false).toString());

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(verify.output())
        .contains("pg_restore with 2 jobs stopped at a failed statement")
        .contains("already exists")
        .contains("the restore with one job succeeded where 2 jobs had stopped");
  }

  @Test
  void recoverStartsOverWithOneJobInTheDatabaseItCreatedMadeAfresh() throws Exception {
    backup();
    String copy = "parts_copy_" + COPIES.incrementAndGet();

    RestoreFixture.Run recover =
        recover(copy, Map.of("RESTORE_CREATE_DATABASE", "yes"), wrappedTools(false));

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(recover.output()).contains("pg_restore with 2 jobs stopped at a failed statement");
    assertThat(Checksums.of(server, copy)).isEqualTo(checksum);
  }

  @Test
  void recoverIntoAnExistingDatabaseStartsOverAndReplacesWhatTheFirstAttemptLeft()
      throws Exception {
    backup();
    String copy = "parts_existing_" + COPIES.incrementAndGet();
    server.createDatabase(copy);

    RestoreFixture.Run recover = recover(copy, Map.of("RESTORE_FORCE", "yes"), wrappedTools(false));

    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(recover.output()).contains("pg_restore with 2 jobs stopped at a failed statement");
    assertThat(Checksums.of(server, copy)).isEqualTo(checksum);
  }

  @Test
  void aRestoreThatFailsWithOneJobTooIsReportedWithThatFailure() throws Exception {
    Map<String, String> env = backup();
    env.put("PG_BIN_DIR", wrappedTools(true).toString());

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).isEqualTo(12);
    assertThat(verify.termination())
        .startsWith("FAILURE (12: backup-2025-09-10T12:00:00Z-parts.dump does not restore:")
        .contains("already exists");
    assertThat(verify.output())
        .contains("starting over with one job")
        .doesNotContain("the restore with one job succeeded");
  }

  @Test
  void oneJobFromTheStartFailsWithoutStartingOver() throws Exception {
    Map<String, String> env = backup();
    env.put("PG_BIN_DIR", wrappedTools(true).toString());
    env.put("RESTORE_JOBS", "1");

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");

    assertThat(verify.status()).isEqualTo(12);
    assertThat(verify.output()).doesNotContain("starting over");
  }

  private RestoreFixture.Run recover(String database, Map<String, String> settings, Path bin) {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", database);
    env.put("PG_BIN_DIR", bin.toString());
    env.putAll(settings);
    return RestoreFixture.run(env, base, "recover");
  }

  private Map<String, String> backup() throws IOException {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", "parts");
    env.put("DUMP_FORMAT", "custom");
    Files.createDirectories(base.resolve("backup"));
    RestoreFixture.Run backup = RestoreFixture.run(env, base, "backup");
    assertThat(backup.status()).as(backup.termination()).isZero();
    return env;
  }

  /**
   * The server's client tools, with a pg_restore that, given more than one job (or always, with
   * {@code alsoOneJob}), restores the archive's definitions and then runs them once more without
   * cleaning, which stops at the first object that already exists.
   */
  private Path wrappedTools(boolean alsoOneJob) throws IOException {
    Path bin = Files.createDirectories(base.resolve(alsoOneJob ? "bin-broken" : "bin-parallel"));
    try (Stream<Path> tools = Files.list(server.binDir())) {
      for (Path tool : tools.toList()) {
        if (!tool.getFileName().toString().equals("pg_restore")) {
          Files.createSymbolicLink(bin.resolve(tool.getFileName()), tool);
        }
      }
    }
    String real = server.binDir().resolve("pg_restore").toString();
    String script =
        String.join(
            "\n",
            "#!/bin/sh",
            // Questions such as --version go to pg_restore itself.
            "case \" $* \" in *\" --jobs=\"*) ;; *) exec " + real + " \"$@\";; esac",
            alsoOneJob ? "" : "case \" $* \" in *\" --jobs=1 \"*) exec " + real + " \"$@\";; esac",
            real + " \"$@\" --section=pre-data || exit 1",
            "n=$#",
            "for a in \"$@\"; do",
            "  case \"$a\" in --clean|--if-exists) ;; *) set -- \"$@\" \"$a\";; esac",
            "done",
            "shift $n",
            "exec " + real + " \"$@\" --section=pre-data",
            "");
    Path wrapper = bin.resolve("pg_restore");
    Files.writeString(wrapper, script);
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }
}
