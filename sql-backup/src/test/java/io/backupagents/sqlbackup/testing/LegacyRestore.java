package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores a backup the way the legacy recovery image did: {@code gunzip -c file | psql}, into
 * {@code template1} for a dumpall, into the existing database otherwise, without stopping on errors
 * (a dumpall's DROP/CREATE of the connected role fails harmlessly).
 */
public final class LegacyRestore {

  private LegacyRestore() {}

  /** Restores a single-database backup into {@code database} (created first) on {@code target}. */
  public static String database(Path backup, PostgresServer target, String database) {
    target.createDatabase(database);
    return psql(backup, target, database, target.password());
  }

  /**
   * Restores a dumpall into a fresh {@code target}. The dump sets the superuser's password to the
   * source's, and psql's {@code \connect} lines reuse the password psql started with: so the target
   * takes the source's password for the restore, and gets its own back afterwards.
   */
  public static String dumpall(Path backup, PostgresServer target, String sourcePassword) {
    target.execute("postgres", "ALTER ROLE postgres PASSWORD '" + sourcePassword + "'");
    String output = psql(backup, target, "template1", sourcePassword);
    try (var c =
            DriverManager.getConnection(
                target.jdbcUrl("postgres"), PostgresServer.SUPERUSER, sourcePassword);
        var s = c.createStatement()) {
      s.execute("ALTER ROLE postgres PASSWORD '" + target.password() + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("could not reset the password after the restore", e);
    }
    return output;
  }

  private static String psql(Path backup, PostgresServer target, String db, String password) {
    Map<String, String> env = new HashMap<>(target.libpqEnvironment());
    env.put("PGPASSWORD", password);
    env.put("BACKUP_FILE", backup.toString());
    env.put("PSQL", target.binDir().resolve("psql").toString());
    return Commands.run(
        List.of(
            "bash",
            "-o",
            "pipefail",
            "-c",
            "gunzip -c \"$BACKUP_FILE\" | \"$PSQL\" -X -q -d " + db),
        env);
  }
}
