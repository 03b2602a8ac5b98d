package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Threads;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server a restore writes to, as JDBC sees it: its version, what it already holds, and the few
 * changes made outside psql (creating and dropping a database). Every call opens and closes its own
 * connection, so none is left open while psql drops databases; a {@link Session} is one connection
 * for a run that holds an advisory lock and makes its changes under it.
 */
public final class TargetServer {

  private static final Logger log = LoggerFactory.getLogger(TargetServer.class);

  private static final String BOOTSTRAP_SUPERUSER = "SELECT rolname FROM pg_roles WHERE oid = 10";
  private static final String ROLES = "SELECT rolname FROM pg_roles ORDER BY 1";
  private static final String CONNECTABLE =
      "SELECT datname FROM pg_database WHERE datallowconn AND datname <> 'template0'"
          + " ORDER BY datname";

  private final PgCredentials credentials;
  private final String maintenanceDatabase;
  private final String where;
  private final ServerProbe.ServerVersion version;
  private final Statements own = new Statements(Optional.empty());

  private TargetServer(
      PgCredentials credentials, String maintenanceDatabase, ServerProbe.ServerVersion version) {
    this.credentials = credentials;
    this.maintenanceDatabase = maintenanceDatabase;
    this.where =
        credentials.environment().get("PGHOST") + ":" + credentials.environment().get("PGPORT");
    this.version = version;
  }

  /**
   * What a restore reads of the server before it writes: the server, its databases (those that
   * accept connections, template0 excepted, and every name), its roles, the bootstrap superuser,
   * and the number of user tables, materialized views and large objects in each database counted
   * that has any (what the restore guard weighs).
   */
  public record Survey(
      TargetServer server,
      List<String> databases,
      Set<String> names,
      List<String> roles,
      String bootstrapSuperuser,
      Map<String, Integer> dataObjects) {

    public Survey {
      databases = List.copyOf(databases);
      names = Set.copyOf(names);
      roles = List.copyOf(roles);
      dataObjects = Collections.unmodifiableMap(new LinkedHashMap<>(dataObjects));
    }

    /** True when a database of that name exists, whether it accepts connections or not. */
    public boolean exists(String database) {
      return names.contains(database);
    }
  }

  /**
   * Connects to {@code postgres} (or {@code template1} on a server without it) and reads the {@link
   * Survey} over that one connection; the user tables of the databases {@code counted} picks (from
   * those that accept connections) are counted over one more connection each, all at once. A cold
   * JVM's first connections cost tenths of a second each (driver classes, SCRAM's key derivation
   * before the JIT has compiled it), which a restore of a few seconds notices: hence one connection
   * for everything else.
   */
  public static Survey survey(
      PgCredentials credentials, Function<List<String>, List<String>> counted) {
    Maintenance m = Maintenance.connect(credentials);
    try (Connection c = m.connection()) {
      TargetServer server = new TargetServer(credentials, m.database(), ServerProbe.version(c));
      List<String> databases = rows(c, CONNECTABLE);
      Set<String> names = new HashSet<>(rows(c, "SELECT datname FROM pg_database"));
      List<String> roles = rows(c, ROLES);
      String bootstrap = rows(c, BOOTSTRAP_SUPERUSER).get(0);
      Map<String, Integer> dataObjects = server.countDataObjects(counted.apply(databases), c);
      return new Survey(server, databases, names, roles, bootstrap, dataObjects);
    } catch (SQLException e) {
      throw ServerProbe.classify(credentials, m.database(), e);
    }
  }

  /**
   * The number of user tables in each of {@code databases} that has any: the maintenance database's
   * over {@code c}, every other one's over its own connection, all at once.
   */
  private Map<String, Integer> countDataObjects(List<String> databases, Connection c)
      throws SQLException {
    Map<String, Future<Integer>> others = new LinkedHashMap<>();
    Integer here = null;
    try (ExecutorService counters = Threads.pool("count")) {
      for (String db : databases) {
        if (!db.equals(maintenanceDatabase)) {
          others.put(db, counters.submit(() -> count(query(db, UserTables.DATA_OBJECTS))));
        }
      }
      if (databases.contains(maintenanceDatabase)) {
        here = count(rows(c, UserTables.DATA_OBJECTS));
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String db : databases) {
      int n = db.equals(maintenanceDatabase) ? here : done(others.get(db));
      if (n > 0) {
        counts.put(db, n);
      }
    }
    return counts;
  }

  private static int count(List<String> rows) {
    return Integer.parseInt(rows.get(0));
  }

  /** The result of a finished count, or the failure it ended with (an AgentException mostly). */
  private static int done(Future<Integer> count) {
    try {
      return count.resultNow();
    } catch (IllegalStateException e) {
      if (count.exceptionNow() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(count.exceptionNow());
    }
  }

  /** A connection to {@code postgres}, or to {@code template1} on a server without it. */
  private record Maintenance(String database, Connection connection) {
    static Maintenance connect(PgCredentials credentials) {
      try {
        return new Maintenance("postgres", ServerProbe.connect(credentials, "postgres"));
      } catch (AgentException e) {
        if (e.exitCode() != ExitCode.NOT_FOUND) {
          throw e;
        }
        return new Maintenance("template1", ServerProbe.connect(credentials, "template1"));
      }
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

  public int databaseCount() {
    return Integer.parseInt(query(maintenanceDatabase, "SELECT count(*) FROM pg_database").get(0));
  }

  public boolean exists(String database) {
    return own.exists(database);
  }

  /** The comment on a database, or null. */
  public String comment(String database) {
    return own.comment(database);
  }

  /** Creates a database from template0 (a clean copy) with the server's defaults. */
  void create(String database) {
    own.execute("CREATE DATABASE " + Identifiers.quote(database) + " TEMPLATE template0");
  }

  /**
   * Creates verify's scratch database with the source database's encoding and locale when they are
   * known, so that its text restores as it was stored (a SQL_ASCII or LATIN1 database does not
   * restore into UTF8). A locale this server lacks (or a form its version does not read) falls back
   * to the source's encoding with the C locale, which takes every encoding. Its sessions commit
   * without waiting for the disk ({@code synchronous_commit} off): it is dropped after use, and a
   * restore over several connections commits each of its statements on its own.
   */
  public void createScratch(
      String database, Optional<DatabaseProperties> properties, String comment) {
    own.createScratch(database, properties, comment);
  }

  /** Drops a database, disconnecting its sessions (PostgreSQL 13 and later) first. */
  public void drop(String database) {
    own.drop(database);
  }

  /**
   * Opens a session of its own in the maintenance database, for a run that takes an advisory lock
   * and makes its changes in a row under it (verify's scratch database): one login for all of them.
   * Each login costs tenths of a second of CPU on a JVM that just started (SCRAM's key derivation
   * before the JIT has compiled it), which two cores shared with a restore notice.
   */
  public static Session session(PgCredentials credentials) {
    Maintenance m = Maintenance.connect(credentials);
    try {
      return new Session(
          new TargetServer(credentials, m.database(), ServerProbe.version(m.connection())),
          m.connection());
    } catch (SQLException e) {
      closeQuietly(m.connection());
      throw ServerProbe.classify(credentials, m.database(), e);
    }
  }

  /**
   * A session in the maintenance database, open until closed (or until the agent's process ends);
   * the advisory locks it takes are held as long. Its statements run one at a time: it is used by
   * one thread at a time.
   */
  public static final class Session implements AutoCloseable {

    private final TargetServer server;
    private final Connection connection;
    private final Statements statements;

    private Session(TargetServer server, Connection connection) {
      this.server = server;
      this.connection = connection;
      this.statements = server.new Statements(Optional.of(connection));
    }

    /** The server, whose own calls open connections of their own. */
    public TargetServer server() {
      return server;
    }

    /**
     * Takes the session-level advisory lock named {@code name}, held until the session is closed;
     * false when another session holds it.
     */
    public boolean tryLock(String name) {
      return statements.run(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext(?))")) {
              s.setString(1, name);
              try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
              }
            }
          });
    }

    /** As {@link TargetServer#exists}, over this session. */
    public boolean exists(String database) {
      return statements.exists(database);
    }

    /** As {@link TargetServer#comment}, over this session. */
    public String comment(String database) {
      return statements.comment(database);
    }

    /** As {@link TargetServer#createScratch}, over this session. */
    public void createScratch(
        String database, Optional<DatabaseProperties> properties, String comment) {
      statements.createScratch(database, properties, comment);
    }

    /** As {@link TargetServer#drop}, over this session. */
    public void drop(String database) {
      statements.drop(database);
    }

    /** Ends the session, and with it its locks. */
    @Override
    public void close() {
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing a session: {}", e.toString());
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * The statements run in the maintenance database: over a session, or each call over a connection
   * of its own, so that none is left open while psql drops databases.
   */
  private final class Statements {

    private final Optional<Connection> session;

    Statements(Optional<Connection> session) {
      this.session = session;
    }

    <T> T run(SqlWork<T> work) {
      try {
        if (session.isPresent()) {
          return work.apply(session.get());
        }
        try (Connection c = ServerProbe.connect(credentials, maintenanceDatabase)) {
          return work.apply(c);
        }
      } catch (SQLException e) {
        throw ServerProbe.classify(credentials, maintenanceDatabase, e);
      }
    }

    boolean exists(String database) {
      return run(c -> !rows(c, "SELECT 1 FROM pg_database WHERE datname = ?", database).isEmpty());
    }

    String comment(String database) {
      List<String> rows =
          run(
              c ->
                  rows(
                      c,
                      "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                          + " WHERE datname = ?",
                      database));
      return rows.isEmpty() ? null : rows.get(0);
    }

    void drop(String database) {
      execute(
          "DROP DATABASE IF EXISTS "
              + Identifiers.quote(database)
              + (version.major() >= 13 ? " WITH (FORCE)" : ""));
    }

    void createScratch(String database, Optional<DatabaseProperties> properties, String comment) {
      String name = Identifiers.quote(database);
      String commentOn = "COMMENT ON DATABASE " + name + " IS " + Identifiers.literal(comment);
      String noWait = "ALTER DATABASE " + name + " SET synchronous_commit TO off";
      if (properties.isEmpty()) {
        execute("CREATE DATABASE " + name + " TEMPLATE template0", commentOn, noWait);
        return;
      }
      DatabaseProperties p = properties.get();
      try {
        execute(p.createAs(database), commentOn, noWait);
      } catch (AgentException e) {
        String encoding = p.encoding().orElse("UTF8");
        log.warn(
            "the scratch database cannot have the source's locale ({}): it is created with"
                + " encoding {} and the C locale, so sorting may differ from the source's",
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
            commentOn,
            noWait);
      }
    }

    /** Runs statements one by one: CREATE/DROP DATABASE cannot run in a transaction block. */
    void execute(String... statements) {
      run(
          c -> {
            try (Statement s = c.createStatement()) {
              for (String statement : statements) {
                s.execute(statement);
              }
            }
            return null;
          });
    }
  }

  /** The first column of every row of {@code sql}, as text, over {@code c}. */
  private static List<String> rows(Connection c, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
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
    }
  }

  /** The first column of every row, as text, over a connection to {@code database} of its own. */
  List<String> query(String database, String sql, String... parameters) {
    try (Connection c = ServerProbe.connect(credentials, database)) {
      return rows(c, sql, parameters);
    } catch (SQLException e) {
      throw ServerProbe.classify(credentials, database, e);
    }
  }
}
