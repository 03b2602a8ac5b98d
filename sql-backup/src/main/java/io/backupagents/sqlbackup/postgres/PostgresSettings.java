package io.backupagents.sqlbackup.postgres;

import io.backupagents.common.settings.SettingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Validated connection settings for the PostgreSQL server. */
public record PostgresSettings(
    String host,
    int port,
    String user,
    Optional<String> password,
    Optional<Path> passFile,
    List<String> databases,
    Optional<Path> binDir,
    Duration connectTimeout,
    PgTls tls) {

  /** The legacy images' "no password" sentinel for PGADMINPASS. */
  static final String NO_PASSWORD = "-";

  public static PostgresSettings read(SettingsReader r) {
    Optional<String> password =
        r.optional(PostgresSetting.PGADMINPASS).filter(p -> !p.equals(NO_PASSWORD));
    List<String> problems = new ArrayList<>();
    List<String> databases =
        r.optional(PostgresSetting.DATABASE)
            .map(d -> DatabaseNames.parseList(d, "DATABASE", problems))
            .orElse(List.of());
    problems.forEach(r::problem);
    String host = r.string(PostgresSetting.PGHOST);
    refuseConnectionUrl(r, PostgresSetting.PGHOST.key(), host);
    Duration timeout = r.duration(PostgresSetting.PG_CONNECT_TIMEOUT);
    Optional<Path> passFile = r.path(PostgresSetting.PGPASSFILE);
    if (password.isEmpty()) {
      passFile.flatMap(PostgresSettings::unreadable).ifPresent(r::problem);
    }
    return new PostgresSettings(
        host,
        r.integer(PostgresSetting.PGPORT, 1, 65535),
        r.string(PostgresSetting.PGUSER),
        password,
        passFile,
        databases,
        r.path(PostgresSetting.PG_BIN_DIR),
        timeout.isZero() ? Duration.ofSeconds(30) : timeout,
        PgTls.read(r));
  }

  /**
   * Refuses a connection URL or {@code user:password@host} in a host setting, without showing the
   * value: its password would reach logs and messages (the password has settings of its own).
   */
  public static void refuseConnectionUrl(SettingsReader r, String name, String host) {
    if (host != null && (host.contains("://") || host.matches("[^/@]*:[^/]*@.*"))) {
      r.problem(
          name
              + " holds a connection URL or a user and password (not shown): expected a host"
              + " name, address or socket directory; the password has a setting of its own");
    }
  }

  /**
   * A PGPASSFILE that names no readable file is a settings error (a missing Secret mount), not an
   * unreachable server: retrying cannot help.
   */
  private static Optional<String> unreadable(Path file) {
    if (Files.isRegularFile(file) && Files.isReadable(file)) {
      return Optional.empty();
    }
    String why = Files.exists(file) ? "cannot be read by this user" : "no such file";
    return Optional.of(
        "PGPASSFILE="
            + file
            + ": "
            + why
            + "; expected a readable libpq password file (mount it there) or set PGADMINPASS");
  }

  /** True when the whole server is dumped with pg_dumpall. */
  public boolean dumpAll() {
    return databases.isEmpty();
  }

  /** Never print the password. */
  @Override
  public String toString() {
    return "PostgresSettings[" + user + "@" + host + ":" + port + ", databases=" + databases + "]";
  }
}
