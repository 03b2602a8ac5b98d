package io.backupagents.sqlbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.sqlbackup.testing.RestoreFixture;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DATABASE} takes any name PostgreSQL allows; a list is comma-separated, and an element that
 * starts with a double quote is a quoted identifier ({@code ""} for a quote). The backup file's
 * label keeps ASCII letters, digits, {@code _ - .} and writes every other byte of the name's UTF-8
 * as {@code %XX}.
 */
class QuotedDatabaseNamesRoundTripTest {

  private static final String QUOTED = "db \"quoted\" ünï";

  /** Dropped and recovered by one test, so the others never see it missing. */
  private static final String RECOVERED = "réc \"quoted\" 2";

  private static final String QUOTED_LABEL = "db%20%22quoted%22%20%C3%BCn%C3%AF";
  private static final String FILE_PREFIX = "backup/hourly/backup-2025-09-10T12:00:00Z-";

  private static PostgresServer server;

  @TempDir Path base;

  @BeforeAll
  static void start() {
    server = PostgresServer.start();
    for (String name : new String[] {QUOTED, RECOVERED, "a,b", "say \"hi\"", "plain"}) {
      server.execute("postgres", "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      server.execute(
          name,
          "CREATE TABLE \"tâble \"\"1\"\"\" (id int, v text);"
              + " INSERT INTO \"tâble \"\"1\"\"\" SELECT g, 'ü' || g FROM generate_series(1, 30) g");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aNameThatNeedsQuotingIsBackedUpUnderAPercentEncodedLabel() throws Exception {
    RestoreFixture.Run backup = backup(QUOTED);

    assertThat(backup.status()).as(backup.termination()).isZero();
    assertThat(base.resolve(FILE_PREFIX + QUOTED_LABEL + ".sql.gz")).isRegularFile();
  }

  @Test
  void aQuotedListElementHoldsCommasAndDoubledQuotes() throws Exception {
    RestoreFixture.Run backup = backup("\"a,b\",plain,\"say \"\"hi\"\"\"");

    assertThat(backup.status()).as(backup.termination()).isZero();
    try (Stream<Path> files = Files.list(base.resolve("backup/hourly"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")))
          .containsExactlyInAnyOrder(
              "backup-2025-09-10T12:00:00Z-a%2Cb.sql.gz",
              "backup-2025-09-10T12:00:00Z-plain.sql.gz",
              "backup-2025-09-10T12:00:00Z-say%20%22hi%22.sql.gz");
    }
  }

  @Test
  void aBackupOfSuchANameVerifiesAndRecoversIntoTheDroppedDatabase() throws Exception {
    Map<String, String> before = RestoreFixture.fingerprint(server, RECOVERED);
    RestoreFixture.Run backup = backup(RECOVERED);
    assertThat(backup.status()).as(backup.termination()).isZero();
    Map<String, String> env = env(RECOVERED);

    RestoreFixture.Run verify = RestoreFixture.run(env, base, "verify");
    server.execute("postgres", "DROP DATABASE \"réc \"\"quoted\"\" 2\"");
    env.put("RESTORE_CREATE_DATABASE", "yes");
    RestoreFixture.Run recover = RestoreFixture.run(env, base, "recover");

    assertThat(verify.status()).as(verify.termination()).isZero();
    assertThat(recover.status()).as(recover.termination()).isZero();
    assertThat(RestoreFixture.fingerprint(server, RECOVERED)).isEqualTo(before);
  }

  private RestoreFixture.Run backup(String database) throws Exception {
    Files.createDirectories(base.resolve("backup"));
    return RestoreFixture.run(env(database), base, "backup");
  }

  private Map<String, String> env(String database) {
    Map<String, String> env = RestoreFixture.env(server, base);
    env.put("DATABASE", database);
    return env;
  }
}
