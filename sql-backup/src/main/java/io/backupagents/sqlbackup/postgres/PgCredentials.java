package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.fs.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Hands the connection and password to PostgreSQL's client tools and to JDBC without ever putting
 * the password on a command line: client tools get a private {@code 0600} password file through
 * {@code PGPASSFILE} (libpq reads it; {@code /proc/<pid>/cmdline} and {@code environ} show only its
 * path), JDBC gets it in connection properties. {@link #close()} deletes the file.
 */
public final class PgCredentials implements AutoCloseable {

  /** The private directories holding a run's password file: {@code $TMPDIR/pgpass-*}. */
  public static final String PASS_DIRECTORY_PREFIX = "pgpass-";

  private final PostgresSettings settings;
  private final Optional<String> password;
  private final Path passFile;
  private final RunDirectory ownDirectory; // null: the user's own password file
  private PgTlsFiles tls;

  private PgCredentials(
      PostgresSettings settings, Optional<String> password, Path passFile, RunDirectory ownDir) {
    this.settings = settings;
    this.password = password;
    this.passFile = passFile;
    this.ownDirectory = ownDir;
  }

  /**
   * The password as {@link #createPasswords} finds it, and the TLS client key (if any) written
   * {@code 0600} under {@code tempRoot} for the run.
   */
  public static PgCredentials create(
      PostgresSettings settings, Path tempRoot, Path home, Clock clock) throws IOException {
    PgCredentials credentials = createPasswords(settings, tempRoot, home, clock);
    try {
      credentials.tls = PgTlsFiles.create(settings.tls(), tempRoot, clock);
      return credentials;
    } catch (IOException | RuntimeException e) {
      credentials.close();
      throw e;
    }
  }

  /**
   * With PGADMINPASS: writes it to a new password file in a private directory under {@code
   * tempRoot}. Without: uses PGPASSFILE (or {@code $HOME/.pgpass} as given by {@code home}).
   */
  private static PgCredentials createPasswords(
      PostgresSettings settings, Path tempRoot, Path home, Clock clock) throws IOException {
    // A run killed by SIGKILL (or the OOM killer) could not delete its password file: remove it.
    RunDirectory.removeAbandoned(tempRoot, PASS_DIRECTORY_PREFIX, Duration.ofMinutes(1), clock);
    if (settings.password().isPresent()) {
      // Deleted on close and on SIGTERM; see RunDirectory.
      RunDirectory dir = RunDirectory.create(tempRoot, PASS_DIRECTORY_PREFIX);
      Path file = dir.path().resolve("pgpass");
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file, "*:*:*:*:" + escape(settings.password().get()) + "\n", StandardCharsets.UTF_8);
      return new PgCredentials(settings, settings.password(), file, dir);
    }
    Path file = settings.passFile().orElse(home.resolve(".pgpass"));
    Optional<String> fromFile =
        Files.isReadable(file)
            ? PgPassFile.lookup(
                Files.readAllLines(file, StandardCharsets.UTF_8),
                settings.host(),
                settings.port(),
                settings.user())
            : Optional.empty();
    return new PgCredentials(settings, fromFile, file, null);
  }

  /** Whether a password is known (from PGADMINPASS or the password file). */
  public boolean hasPassword() {
    return password.isPresent();
  }

  /** libpq variables for a client tool: where to connect, as whom, and the password file. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGHOST", settings.host());
    env.put("PGPORT", Integer.toString(settings.port()));
    env.put("PGUSER", settings.user());
    env.put("PGPASSFILE", passFile.toString());
    env.put("PGCONNECT_TIMEOUT", Long.toString(Math.max(2, settings.connectTimeout().toSeconds())));
    env.put("PGAPPNAME", "sql-backup");
    env.putAll(tls.environment());
    return env;
  }

  /** JDBC URL for {@code database} on the configured server. */
  public String jdbcUrl(String database) {
    // A socket directory cannot be reached over JDBC's TCP; the server is then local.
    String host = settings.host().startsWith("/") ? "localhost" : settings.host();
    return "jdbc:postgresql://"
        + host
        + ":"
        + settings.port()
        + "/"
        + DatabaseNames.urlPath(database);
  }

  /** JDBC properties: user, password (if known), timeouts. */
  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", settings.user());
    password.ifPresent(pw -> p.setProperty("password", pw));
    Duration timeout = settings.connectTimeout();
    p.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
    p.setProperty("loginTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
    p.setProperty("ApplicationName", "sql-backup");
    p.putAll(tls.jdbcProperties());
    return p;
  }

  /** libpq's password file format escapes ':' and '\'. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace(":", "\\:");
  }

  /** The TLS settings of this connection. */
  public PgTls tls() {
    return settings.tls();
  }

  @Override
  public void close() throws IOException {
    try {
      if (tls != null) {
        tls.close();
      }
    } finally {
      if (ownDirectory != null) {
        ownDirectory.close();
      }
    }
  }

  /** The lines of a libpq password file: host:port:database:user:password, '*' matches all. */
  static final class PgPassFile {
    private PgPassFile() {}

    static Optional<String> lookup(List<String> lines, String host, int port, String user) {
      for (String line : lines) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        List<String> f = split(line);
        if (f.size() == 5
            && matches(f.get(0), host)
            && matches(f.get(1), Integer.toString(port))
            && matches(f.get(3), user)) {
          return Optional.of(f.get(4));
        }
      }
      return Optional.empty();
    }

    private static boolean matches(String pattern, String value) {
      return pattern.equals("*") || pattern.equals(value);
    }

    private static List<String> split(String line) {
      List<String> fields = new java.util.ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\\' && i + 1 < line.length()) {
          current.append(line.charAt(++i));
        } else if (c == ':' && fields.size() < 4) {
          fields.add(current.toString());
          current.setLength(0);
        } else {
          current.append(c);
        }
      }
      fields.add(current.toString());
      return fields;
    }
  }
}
