package io.backupagents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from the machine's binaries, in a temporary directory, on a free
 * loopback port, with fsync off. Password authentication over TCP (so tests exercise passwords),
 * trust over its private Unix socket. When the JVM runs as root, the server runs as the {@code
 * postgres} user (initdb refuses root). {@link #close()} stops it and removes everything.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String SUPERUSER = "postgres";

  private final Path binDir;
  private final Path baseDir;
  private final Path dataDir;
  private final int port;
  private final String password;
  private final boolean asPostgresUser;
  private volatile boolean tlsOnly;

  private PostgresServer(Path binDir, Path baseDir, int port, String password) {
    this.binDir = binDir;
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("data");
    this.port = port;
    this.password = password;
    this.asPostgresUser = Commands.isRoot();
  }

  /** Starts a new server from the newest PostgreSQL binaries found. */
  public static PostgresServer start() {
    return start(findBinDir(null));
  }

  /** Starts a new server of PostgreSQL {@code major} (see {@link ServerBinaries}). */
  public static PostgresServer start(int major) {
    return start(ServerBinaries.forMajor(major));
  }

  /** Starts a new server from the binaries in {@code binDir}. */
  public static PostgresServer start(Path binDir) {
    try {
      Path base = Files.createTempDirectory("pg-test-");
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
      PostgresServer server =
          new PostgresServer(binDir, base, FreePort.pick(), "pw-" + UUID.randomUUID());
      server.init();
      server.startServer();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The directory with initdb/pg_ctl: PG_BIN_DIR, else the newest /usr/lib/postgresql/N/bin, else
   * {@code pg_config --bindir}.
   */
  public static Path findBinDir(Integer major) {
    String fromEnv = System.getenv("PG_BIN_DIR");
    if (fromEnv != null && !fromEnv.isBlank() && major == null) {
      return Path.of(fromEnv);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Optional<Path> best =
            versions
                .filter(p -> p.getFileName().toString().matches("\\d+"))
                .filter(p -> major == null || p.getFileName().toString().equals(major.toString()))
                .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())));
        if (best.isPresent()) {
          return best.get().resolve("bin");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Optional<Path> pgConfig = RequiredTool.find("pg_config");
    if (pgConfig.isPresent()) {
      return Path.of(Commands.run(List.of(pgConfig.get().toString(), "--bindir")).strip());
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries found: set PG_BIN_DIR or install postgresql");
  }

  private void init() throws IOException {
    Path pwFile = baseDir.resolve("pwfile");
    Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
    if (asPostgresUser) {
      Commands.run(List.of("chown", "-R", "postgres:postgres", baseDir.toString()));
    }
    asServerUser(
        List.of(
            binDir.resolve("initdb").toString(),
            "-D",
            dataDir.toString(),
            "-U",
            SUPERUSER,
            "--pwfile=" + pwFile,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync"));
    Files.writeString(
        dataDir.resolve("postgresql.auto.conf"),
        String.join(
            "\n",
            "port = " + port,
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '" + baseDir + "'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 60",
            "log_min_messages = warning",
            ""),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private void startServer() {
    asServerUser(
        List.of(
            binDir.resolve("pg_ctl").toString(),
            "-D",
            dataDir.toString(),
            "-l",
            baseDir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "start"));
  }

  /**
   * Turns TLS on with {@code certificate} and accepts TCP connections only over TLS, as
   * CloudNativePG's clusters do: SCRAM passwords for every role, and a client certificate signed by
   * {@code clientCa} (no password) for {@code certificateRole}. Restarts the server.
   */
  public void requireTls(
      TestCertificates.Issued certificate, TestCertificates clientCa, String certificateRole) {
    try {
      Path tls = Files.createDirectories(baseDir.resolve("tls"));
      certificate.writeCertificate(tls.resolve("server.crt"));
      Path key = certificate.writeKey(tls.resolve("server.key"));
      clientCa.ca().writeCertificate(tls.resolve("client-ca.crt"));
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      if (asPostgresUser) {
        Commands.run(List.of("chown", "-R", "postgres:postgres", tls.toString()));
      }
      Files.writeString(
          dataDir.resolve("postgresql.auto.conf"),
          String.join(
              "\n",
              "ssl = on",
              "ssl_cert_file = '" + tls.resolve("server.crt") + "'",
              "ssl_key_file = '" + key + "'",
              "ssl_ca_file = '" + tls.resolve("client-ca.crt") + "'",
              ""),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
      Files.writeString(
          dataDir.resolve("pg_hba.conf"),
          String.join(
              "\n",
              "local all all trust",
              "hostssl all " + certificateRole + " 127.0.0.1/32 cert",
              "hostssl all all 127.0.0.1/32 scram-sha-256",
              ""),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tlsOnly = true;
    // A clean stop: an immediate one would lose the last commits (synchronous_commit is off).
    asServerUser(
        List.of(
            binDir.resolve("pg_ctl").toString(),
            "-D",
            dataDir.toString(),
            "-m",
            "fast",
            "-w",
            "stop"));
    try {
      startServer();
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + serverLog(), e);
    }
  }

  /** Stops the server at once (as a crash would), keeping its data. */
  public void stop() {
    asServerUser(
        List.of(
            binDir.resolve("pg_ctl").toString(),
            "-D",
            dataDir.toString(),
            "-m",
            "immediate",
            "-w",
            "stop"));
  }

  /** Starts a stopped server again. */
  public void restart() {
    startServer();
  }

  private void asServerUser(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Commands.run(full);
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  public Path binDir() {
    return binDir;
  }

  /** The server's major version, e.g. 15. */
  public int majorVersion() {
    return Integer.parseInt(queryString("postgres", "SHOW server_version_num")) / 10000;
  }

  /** libpq variables that reach this server as the superuser. */
  public Map<String, String> libpqEnvironment() {
    return Map.of(
        "PGHOST",
        host(),
        "PGPORT",
        Integer.toString(port),
        "PGUSER",
        SUPERUSER,
        "PGPASSWORD",
        password);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    if (tlsOnly) {
      // The fixture's own connections: encrypted, as the server demands; checking is the tests'.
      properties.setProperty("sslmode", "require");
      properties.setProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
    }
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** Runs SQL statements (separated by the driver) in {@code database}. */
  public void execute(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row, as text. */
  public String queryString(String database, String sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /** Every row's first column, as text. */
  public List<String> queryColumn(String database, String sql) {
    List<String> values = new ArrayList<>();
    try (Connection c = connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code script}, bytes as they are, through {@code psql -X -v ON_ERROR_STOP=1} connected to
   * {@code postgres} with {@code client_encoding} SQL_ASCII (no conversion either way: a script
   * sets its own with {@code SET client_encoding}, or {@code \connect}s to a database of any name).
   * Returns psql's output with each byte as one char (ISO-8859-1), so non-UTF-8 bytes survive.
   */
  public String psql(byte[] script) {
    try {
      Path file = Files.createTempFile("psql-", ".sql");
      try {
        Files.write(file, script);
        Map<String, String> env = new java.util.HashMap<>(libpqEnvironment());
        env.put("PGCLIENTENCODING", "SQL_ASCII");
        ProcessBuilder builder =
            new ProcessBuilder(
                    binDir.resolve("psql").toString(),
                    "-X",
                    "-q",
                    "-At",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-f",
                    file.toString(),
                    "-d",
                    "postgres")
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (p.waitFor() != 0) {
          throw new IllegalStateException("psql failed (" + p.exitValue() + "): " + out);
        }
        return out;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running psql", e);
    }
  }

  public void createDatabase(String name) {
    execute("postgres", "CREATE DATABASE \"" + name + "\"");
  }

  /**
   * A fingerprint of every user table in {@code database}: table name, row count and an MD5 of the
   * rows in a stable order. Equal fingerprints mean equal contents.
   */
  public Map<String, String> fingerprint(String database) {
    Map<String, String> result = new java.util.TreeMap<>();
    for (String table :
        queryColumn(
            database,
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
      result.put(
          table,
          queryString(
              database,
              "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                  + " FROM "
                  + table
                  + " t"));
    }
    return result;
  }

  /** The server's log, for failure messages. */
  public String serverLog() {
    try {
      return Files.readString(baseDir.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no server log: " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      // Already stopped.
    }
    deleteTree(baseDir);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
