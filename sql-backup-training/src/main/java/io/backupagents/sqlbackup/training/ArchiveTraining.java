package io.backupagents.sqlbackup.training;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.training.AgentRuns;
import io.backupagents.training.ClassLists;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The training behind the sql-backup image's class archive: runs the agent the way real runs do,
 * each run its own start of the agent as production starts it ({@link AgentRuns}), against a
 * throw-away PostgreSQL server ({@link TrainingServer}), and gathers the classes they load into one
 * class list, from which the image build dumps the archive. The runs back up a small database
 * (gzip, zstd, and zstd encrypted to a key made here), back up the whole server, list the backups,
 * recover the encrypted backup into a database they create, recover the whole server's backup into
 * a second, fresh server and verify the gzip backup. Everything they write stays under the
 * directory given.
 */
final class ArchiveTraining {

  private static final String DATABASE = "training";
  private static final int ROWS = 2000;

  private ArchiveTraining() {}

  /**
   * Runs the training in {@code work} against servers from the PostgreSQL binaries in {@code
   * serverBin} (run as {@code serverUser} when given), the agent started by {@code runs}, and
   * writes the merged class list to {@code classList}; returns the steps that did not end as
   * expected (none: all is well).
   */
  static List<String> run(
      Path serverBin, Optional<String> serverUser, Path work, AgentRuns runs, Path classList)
      throws IOException, InterruptedException, SQLException {
    List<String> failures = new ArrayList<>();
    String password = "training-" + UUID.randomUUID();
    Path passwordFile = work.resolve("pgpass");
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
    TrainingKey key = TrainingKey.make(work);
    Path backups = Files.createDirectories(work.resolve("backups"));
    try (TrainingServer source =
        TrainingServer.start(serverBin, work.resolve("server"), serverUser, password)) {
      fill(source);
      Map<String, String> server = environment(work, source, passwordFile);
      Map<String, String> single = new HashMap<>(server);
      single.put("DATABASE", DATABASE);
      expect(failures, runs, "backup, gzip", List.of("backup"), single);
      Map<String, String> zstd = new HashMap<>(single);
      zstd.put("BACKUP_COMPRESSION", "zstd");
      expect(failures, runs, "backup, zstd", List.of("backup"), zstd);
      Map<String, String> encrypted = new HashMap<>(zstd);
      encrypted.put("BACKUP_ENCRYPTION_RECIPIENTS_FILE", key.publicKey().toString());
      expect(failures, runs, "backup, zstd, encrypted", List.of("backup"), encrypted);
      expect(failures, runs, "backup of the whole server", List.of("backup"), server);
      expect(failures, runs, "list", List.of("list"), server);

      execute(source, "postgres", "DROP DATABASE " + DATABASE);
      Map<String, String> recover = new HashMap<>(single);
      recover.put("FROM_BACKUP", newest(backups, "-" + DATABASE + ".sql.zst.gpg"));
      recover.put("RESTORE_CREATE_DATABASE", "yes");
      recover.put("BACKUP_DECRYPTION_KEY_FILE", key.privateKey().toString());
      expect(failures, runs, "recover of the encrypted backup", List.of("recover"), recover);
      checkRows(failures, source, "the recovered database");

      Map<String, String> verify = new HashMap<>(single);
      verify.put("FROM_BACKUP", newest(backups, "-" + DATABASE + ".sql.gz"));
      expect(failures, runs, "verify", List.of("verify"), verify);

      try (TrainingServer fresh =
          TrainingServer.start(serverBin, work.resolve("fresh-server"), serverUser, password)) {
        Map<String, String> dumpall = environment(work, fresh, passwordFile);
        dumpall.put("FROM_BACKUP", newest(backups, "-dumpall.sql.gz"));
        expect(failures, runs, "recover of the whole server", List.of("recover"), dumpall);
        checkRows(failures, fresh, "the recovered server");
      }
    }
    ClassLists.merge(runs.classLists(), classList);
    return failures;
  }

  /**
   * The settings of every run: the server, the password as a *_FILE secret, the backup tiers.
   * LOG_LEVEL stays at its default, as in production, so that the classes that write log lines are
   * recorded too (each run's output goes to its own log file).
   */
  private static Map<String, String> environment(
      Path work, TrainingServer server, Path passwordFile) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", "127.0.0.1");
    env.put("PGPORT", Integer.toString(server.port()));
    env.put("PGUSER", TrainingServer.SUPERUSER);
    env.put("PGADMINPASS_FILE", passwordFile.toString());
    env.put("BACKUP_ROOT_DIR", work.resolve("backups").toString());
    env.put("RECOVERY_ROOT_DIR", Files.createDirectories(work.resolve("recovery")).toString());
    env.put("TERMINATION_LOG_PATH", work.resolve("termination").toString());
    return env;
  }

  /** A database with a few kinds of objects and some rows of text. */
  private static void fill(TrainingServer server) throws SQLException {
    execute(server, "postgres", "CREATE DATABASE " + DATABASE);
    execute(
        server,
        DATABASE,
        "CREATE TABLE note (id bigserial PRIMARY KEY, author text NOT NULL, created timestamptz,"
            + " body text);"
            + " INSERT INTO note (author, created, body) SELECT 'Jürgen ' || g % 7,"
            + " timestamptz '2024-01-01' + g * interval '1 minute',"
            + " 'note ' || g || E':\\n\\\\connect elsewhere; ' || repeat('text ', g % 20)"
            + " FROM generate_series(1, "
            + ROWS
            + ") g;"
            + " CREATE INDEX note_author ON note (author);"
            + " CREATE VIEW recent AS SELECT * FROM note WHERE created > timestamptz '2024-01-02';"
            + " CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS"
            + " $$ SELECT count(*) FROM note $$;"
            + " COMMENT ON TABLE note IS 'training data';");
  }

  private static void checkRows(List<String> failures, TrainingServer server, String what)
      throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl(DATABASE), TrainingServer.SUPERUSER, server.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM note")) {
      r.next();
      if (r.getLong(1) != ROWS) {
        failures.add(what + " holds " + r.getLong(1) + " rows instead of " + ROWS);
      }
    } catch (SQLException e) {
      failures.add(what + " cannot be read: " + e.getMessage());
    }
  }

  private static void execute(TrainingServer server, String database, String sql)
      throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl(database), TrainingServer.SUPERUSER, server.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The name of the newest backup in the tiers under {@code root} whose name ends so. */
  private static String newest(Path root, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("backup-") && n.endsWith(suffix))
          .max(String::compareTo)
          .orElse("no backup ending in " + suffix);
    }
  }

  private static void expect(
      List<String> failures,
      AgentRuns runs,
      String step,
      List<String> args,
      Map<String, String> settings)
      throws IOException, InterruptedException {
    int status = runs.run(step, args, settings);
    if (status != ExitCode.SUCCESS.status()) {
      failures.add(
          "training step '%s' ended with %d instead of %d"
              .formatted(step, status, ExitCode.SUCCESS.status()));
    }
  }
}
