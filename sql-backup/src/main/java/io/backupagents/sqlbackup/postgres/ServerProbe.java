package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Asks the server, over JDBC, which version it runs; maps connection failures to exit codes. */
public final class ServerProbe {

  /** The server's version: its major (e.g. 15) and the full string (e.g. 15.20). */
  public record ServerVersion(int major, String full) {}

  private ServerProbe() {}

  public static ServerVersion version(PgCredentials credentials, String database) {
    try (Connection c = connect(credentials, database)) {
      return version(c);
    } catch (SQLException e) {
      throw classify(credentials, database, e);
    }
  }

  /**
   * The server's version and its databases that refuse connections ({@code ALLOW_CONNECTIONS
   * false}, template0 aside), which pg_dumpall leaves out without a word.
   */
  public static ServerVersion versionWarningOfClosedDatabases(
      PgCredentials credentials, String database, Consumer<String> warn) {
    try (Connection c = connect(credentials, database);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT datname FROM pg_catalog.pg_database WHERE NOT datallowconn"
                    + " AND datname <> 'template0' ORDER BY 1")) {
      List<String> closed = new ArrayList<>();
      while (rs.next()) {
        closed.add(rs.getString(1));
      }
      if (!closed.isEmpty()) {
        warn.accept(
            "database(s) "
                + String.join(", ", closed)
                + " do not accept connections (ALLOW_CONNECTIONS false): pg_dumpall leaves them"
                + " out of this backup");
      }
      return version(c);
    } catch (SQLException e) {
      throw classify(credentials, database, e);
    }
  }

  /** The version of the server {@code c} is connected to. */
  public static ServerVersion version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      int num = rs.getInt(1);
      return new ServerVersion(num / 10000, (num / 10000) + "." + (num % 100));
    }
  }

  /**
   * What the agent's own sessions need whatever the role or the database sets, as pg_dump's do:
   * only the catalogs on the search path (a table named pg_class in another schema cannot stand in
   * for the catalog's), no statement, lock or idle timeout, writes allowed. Set by a statement, not
   * as a startup option, which connection poolers may refuse. The timeouts newer servers added are
   * reset where the server knows them (setting an unknown one fails).
   */
  static final String SESSION_SETTINGS =
      "SELECT pg_catalog.set_config('search_path', 'pg_catalog', false),"
          + " pg_catalog.set_config('statement_timeout', '0', false),"
          + " pg_catalog.set_config('lock_timeout', '0', false),"
          + " pg_catalog.set_config('idle_in_transaction_session_timeout', '0', false),"
          + " pg_catalog.set_config('default_transaction_read_only', 'off', false)";

  /** {@link #SESSION_SETTINGS} for a server of {@code major}. */
  static String sessionSettings(int major) {
    return SESSION_SETTINGS
        + (major >= 14 ? ", pg_catalog.set_config('idle_session_timeout', '0', false)" : "")
        + (major >= 17 ? ", pg_catalog.set_config('transaction_timeout', '0', false)" : "");
  }

  /**
   * Opens a connection with {@link #SESSION_SETTINGS}, or throws an {@link AgentException} saying
   * why it could not.
   */
  public static Connection connect(PgCredentials credentials, String database) {
    Connection c = null;
    try {
      c = DriverManager.getConnection(credentials.jdbcUrl(database), credentials.jdbcProperties());
      try (Statement s = c.createStatement()) {
        // The major comes with the connection's start-up (server_version): no round trip.
        s.execute(sessionSettings(c.getMetaData().getDatabaseMajorVersion()));
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw classify(credentials, database, e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the failure that made us close it is the one reported
      }
    }
  }

  /** Maps a JDBC failure to an exit code with a one-line cause (never the password). */
  public static AgentException classify(
      PgCredentials credentials, String database, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where =
        credentials.environment().get("PGHOST") + ":" + credentials.environment().get("PGPORT");
    String user = credentials.environment().get("PGUSER");
    java.util.Optional<AgentException> tls = TlsErrors.classify(credentials.tls(), where, e);
    if (tls.isPresent()) {
      return tls.get();
    }
    // pgjdbc refuses by itself (08004) when the server asks for a password and none was given.
    boolean noPassword = state.equals("08004") && !credentials.hasPassword();
    if (state.equals("28P01") || state.equals("28000") || noPassword) {
      String hint =
          credentials.hasPassword()
              ? "check PGADMINPASS"
              : "no password was given: set PGADMINPASS or PGPASSFILE";
      return new AgentException(
          ExitCode.AUTH_FAILED,
          "PostgreSQL at " + where + " refused role " + user + " (" + state + "): " + hint,
          e);
    }
    if (state.equals("3D000")) {
      return new AgentException(
          ExitCode.NOT_FOUND, "database " + database + " does not exist on " + where, e);
    }
    if (state.startsWith("08") || state.equals("57P03")) {
      return new AgentException(
          ExitCode.UNREACHABLE,
          "PostgreSQL at " + where + " could not be reached: " + firstLine(e.getMessage()),
          e);
    }
    return new AgentException(
        ExitCode.OPERATION_FAILED,
        "PostgreSQL at " + where + " failed (" + state + "): " + firstLine(e.getMessage()),
        e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
