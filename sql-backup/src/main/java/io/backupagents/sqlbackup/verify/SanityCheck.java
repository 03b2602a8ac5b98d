package io.backupagents.sqlbackup.verify;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.load.UserTables;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.ServerProbe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a database restored into the scratch database with its source as it is now: the number
 * of tables, and the rows of the largest tables. The source has moved on since the backup, so
 * differences within the tolerance pass (and always up to 100 rows and 2 tables). Rows in the
 * source are counted exactly, except in tables over 1 GiB, where the planner's estimate (kept
 * current by autovacuum) spares production a full scan.
 */
final class SanityCheck {

  private static final Logger log = LoggerFactory.getLogger(SanityCheck.class);
  private static final long EXACT_COUNT_LIMIT = 1L << 30;
  private static final long ROW_SLACK = 100;
  private static final int TABLE_SLACK = 2;

  /** A table's rows in the backup and, when the source has the table, in the source. */
  record TableRows(UserTables.Table restored, long rows, OptionalLong sourceRows) {

    /** The table's quoted name, for messages. */
    String table() {
      return restored.name();
    }
  }

  /**
   * What one database of a backup holds, next to its source.
   *
   * @param problems differences beyond the tolerance; empty when the database passes
   */
  record Report(
      String database,
      int tables,
      OptionalInt sourceTables,
      List<TableRows> largest,
      List<String> problems) {}

  private SanityCheck() {}

  /** What the scratch database holds: its user tables, and the rows of the largest. */
  record Restored(int tables, List<TableRows> largest) {

    /** The report of a database that is not compared with its source. */
    Report uncompared(String sourceDatabase) {
      return new Report(sourceDatabase, tables, OptionalInt.empty(), largest, List.of());
    }
  }

  /** Counts the tables of the scratch database and the rows of its largest. */
  static Restored count(PgCredentials scratch, String scratchDatabase, VerifySettings settings) {
    try (Connection c = ServerProbe.connect(scratch, scratchDatabase)) {
      List<UserTables.Table> tables = UserTables.list(c);
      List<TableRows> largest = new ArrayList<>();
      for (UserTables.Table t : tables.subList(0, Math.min(settings.tables(), tables.size()))) {
        largest.add(new TableRows(t, UserTables.rows(c, t.oid()), OptionalLong.empty()));
      }
      return new Restored(tables.size(), largest);
    } catch (SQLException e) {
      throw ServerProbe.classify(scratch, scratchDatabase, e);
    }
  }

  /**
   * The source server, asked for each database compared until it does not answer: a backup of many
   * databases then waits for it once (up to PG_CONNECT_TIMEOUT), not once per database. It is first
   * asked after the first restore, so that a backup that fails its check or its restore does not
   * wait for it at all.
   */
  static final class Source {

    private final PgCredentials credentials;
    private boolean unanswered;

    Source(PgCredentials credentials) {
      this.credentials = credentials;
    }

    /** A connection to {@code database}, or empty (with the cause logged) when there is none. */
    Optional<Connection> connect(String database) {
      if (unanswered) {
        return Optional.empty();
      }
      try {
        return Optional.of(ServerProbe.connect(credentials, database));
      } catch (AgentException e) {
        if (e.exitCode() == ExitCode.NOT_FOUND) {
          log.warn(
              "source database {} does not exist any more: its backup is checked without comparing"
                  + " it with a source",
              database);
        } else {
          unanswered = true;
          log.warn(
              "the source server cannot be reached ({}): backups are checked without comparing"
                  + " them with it",
              e.getMessage());
        }
        return Optional.empty();
      }
    }
  }

  /** Compares what was restored with the source database as it is now, when it can be reached. */
  static Report compare(
      Restored restored, Source source, String sourceDatabase, VerifySettings settings) {
    Optional<Connection> sourceConnection = source.connect(sourceDatabase);
    if (sourceConnection.isEmpty()) {
      return restored.uncompared(sourceDatabase);
    }
    try (Connection c = sourceConnection.get()) {
      return compare(
          c, sourceDatabase, restored.tables(), restored.largest(), settings.tolerancePercent());
    } catch (SQLException e) {
      log.warn("comparing with source database {} failed: {}", sourceDatabase, e.getMessage());
      return restored.uncompared(sourceDatabase);
    }
  }

  private static Report compare(
      Connection c, String database, int tables, List<TableRows> restored, int tolerance)
      throws SQLException {
    int sourceTables = UserTables.list(c).size();
    List<String> problems = new ArrayList<>();
    if (tables < sourceTables - Math.max(TABLE_SLACK, sourceTables * tolerance / 100)) {
      problems.add(database + ": the backup has " + tables + " tables, the source " + sourceTables);
    }
    List<TableRows> compared = new ArrayList<>();
    for (TableRows t : restored) {
      OptionalLong rows = sourceRows(c, t.restored().rawName());
      compared.add(new TableRows(t.restored(), t.rows(), rows));
      if (rows.isPresent()
          && Math.abs(t.rows() - rows.getAsLong())
              > Math.max(ROW_SLACK, rows.getAsLong() * tolerance / 100)) {
        problems.add(
            database
                + ": table "
                + t.table()
                + " has "
                + t.rows()
                + " rows in the backup, "
                + rows.getAsLong()
                + " in the source");
      }
    }
    return new Report(database, tables, OptionalInt.of(sourceTables), compared, problems);
  }

  /** The source's rows in the table so named; empty when the source has no such table now. */
  private static OptionalLong sourceRows(Connection c, byte[] rawName) throws SQLException {
    OptionalLong oid = UserTables.find(c, rawName);
    if (oid.isEmpty()) {
      return OptionalLong.empty();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT c.reltuples::bigint, pg_relation_size(c.oid) FROM pg_class c WHERE c.oid = ?")) {
      s.setLong(1, oid.getAsLong());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return OptionalLong.empty();
        }
        long estimate = rs.getLong(1);
        return estimate >= 0 && rs.getLong(2) > EXACT_COUNT_LIMIT
            ? OptionalLong.of(estimate)
            : OptionalLong.of(UserTables.rows(c, oid.getAsLong()));
      }
    }
  }
}
