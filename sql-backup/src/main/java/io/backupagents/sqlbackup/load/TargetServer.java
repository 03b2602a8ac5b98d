package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.ServerProbe;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import io.backupagents.sqlbackup.sql.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server a restore writes to, as JDBC sees it: its version, what it already holds, and the few
 * changes made outside psql (creating and dropping a database). Every call opens and closes its own
 * connection, so none is left open while psql drops databases.
 */
public final class TargetServer {

  private static final Logger log = LoggerFactory.getLogger(TargetServer.class);

  private final PgCredentials credentials;
  private final String maintenanceDatabase;
  private final String where;
  private final ServerProbe.ServerVersion version;

  private TargetServer(PgCredentials credentials, String maintenanceDatabase) {
    this.credentials = credentials;
    this.maintenanceDatabase = maintenanceDatabase;
    this.where =
        credentials.environment().get("PGHOST") + ":" + credentials.environment().get("PGPORT");
    this.version = ServerProbe.version(credentials, maintenanceDatabase);
  }

  /**
   * Connects to {@code postgres}, or {@code template1} on a server without it, and reads the
   * server's version; UNREACHABLE, AUTH_FAILED and the like when it cannot.
   */
  public static TargetServer open(PgCredentials credentials) {
    try {
      return new TargetServer(credentials, "postgres");
    } catch (AgentException e) {
      if (e.exitCode() != ExitCode.NOT_FOUND) {
        throw e;
      }
      return new TargetServer(credentials, "template1");
    }
  }

  /** The database psql starts in and administrative statements run in. */
  public String maintenanceDatabase() {
    return maintenanceDatabase;
  }

  /** host:port, for messages. */
  public String where() {
    return where;
  }

  public ServerProbe.ServerVersion version() {
    return version;
  }

  /** The role that owns the system catalogs (the one initdb made), e.g. {@code postgres}. */
  public String bootstrapSuperuser() {
    return query(maintenanceDatabase, "SELECT rolname FROM pg_roles WHERE oid = 10").get(0);
  }

  /** Every role's name. */
  public List<String> roles() {
    return query(maintenanceDatabase, "SELECT rolname FROM pg_roles ORDER BY 1");
  }

  /** Databases that accept connections, template0 excepted. */
  public List<String> databases() {
    return query(
        maintenanceDatabase,
        "SELECT datname FROM pg_database WHERE datallowconn AND datname <> 'template0'"
            + " ORDER BY datname");
  }

  public int databaseCount() {
    return Integer.parseInt(query(maintenanceDatabase, "SELECT count(*) FROM pg_database").get(0));
  }

  public boolean exists(String database) {
    return !query(maintenanceDatabase, "SELECT 1 FROM pg_database WHERE datname = ?", database)
        .isEmpty();
  }

  /** The number of user tables in each database that has any. */
  public Map<String, Integer> userTablesByDatabase(List<String> databases) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String db : databases) {
      int n = Integer.parseInt(query(db, UserTables.COUNT).get(0));
      if (n > 0) {
        counts.put(db, n);
      }
    }
    return counts;
  }

  /** The comment on a database, or null. */
  public String comment(String database) {
    List<String> rows =
        query(
            maintenanceDatabase,
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?",
            database);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Creates a database from template0 (a clean copy) with the server's defaults. */
  void create(String database) {
    execute("CREATE DATABASE " + Identifiers.quote(database) + " TEMPLATE template0");
  }

  /**
   * Creates verify's scratch database with the source database's encoding and locale when they are
   * known, so that its text restores as it was stored (a SQL_ASCII or LATIN1 database does not
   * restore into UTF8). A locale this server lacks (or a form its version does not read) falls back
   * to the source's encoding with the C locale, which takes every encoding.
   */
  public void createScratch(
      String database, Optional<DatabaseProperties> properties, String comment) {
    String name = Identifiers.quote(database);
    String commentOn = "COMMENT ON DATABASE " + name + " IS " + Identifiers.literal(comment);
    if (properties.isEmpty()) {
      execute("CREATE DATABASE " + name + " TEMPLATE template0", commentOn);
      return;
    }
    DatabaseProperties p = properties.get();
    try {
      execute(p.createAs(database), commentOn);
    } catch (AgentException e) {
      String encoding = p.encoding().orElse("UTF8");
      log.warn(
          "the scratch database cannot have the source's locale ({}): it is created with encoding"
              + " {} and the C locale, so sorting may differ from the source's",
          e.getMessage(),
          encoding);
      if (exists(database)) {
        drop(database);
      }
      execute(
          "CREATE DATABASE "
              + name
              + " TEMPLATE template0 ENCODING "
              + Identifiers.literal(encoding)
              + " LC_COLLATE 'C' LC_CTYPE 'C'",
          commentOn);
    }
  }

  /** Drops a database, disconnecting its sessions (PostgreSQL 13 and later) first. */
  public void drop(String database) {
    execute(
        "DROP DATABASE IF EXISTS "
            + Identifiers.quote(database)
            + (version.major() >= 13 ? " WITH (FORCE)" : ""));
  }

  /** Runs statements one by one: CREATE/DROP DATABASE cannot run in a transaction block. */
  private void execute(String... statements) {
    try (Connection c = ServerProbe.connect(credentials, maintenanceDatabase);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw ServerProbe.classify(credentials, maintenanceDatabase, e);
    }
  }

  /** The first column of every row, as text. */
  List<String> query(String database, String sql, String... parameters) {
    try (Connection c = ServerProbe.connect(credentials, database);
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw ServerProbe.classify(credentials, database, e);
    }
  }
}
