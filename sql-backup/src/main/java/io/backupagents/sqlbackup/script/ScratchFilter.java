package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.DatabaseProperties;
import io.backupagents.sqlbackup.sql.Identifiers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one database of a dump into a restore that stays inside a scratch database: {@code
 * \connect} lines and statements about databases themselves (DROP/CREATE/ALTER DATABASE, their
 * comments and grants, template flags), roles (a section's {@code ALTER ROLE ... IN DATABASE ...
 * SET}, user mappings) and tablespaces are left out, and so are ownership and privilege statements
 * and subscriptions, and policies lose their {@code TO} roles, so that the restore needs no role
 * and touches nothing outside the scratch database. What remains (schemas, tables, data, indexes,
 * functions, large objects) is what verification proves restorable, in one transaction (see {@link
 * OneTransactionFilter}).
 *
 * <p>In a pg_dumpall file it stops before the next database's header, {@code -- Database "x" dump},
 * or the cluster trailer.
 */
public final class ScratchFilter extends SqlStreamFilter {

  private static final Pattern DATABASE_HEADER = Pattern.compile("-- Database \"(.*)\" dump");
  private static final List<Pattern> LEFT_OUT =
      List.of(
          Pattern.compile("(CREATE|DROP|ALTER) DATABASE .*"),
          Pattern.compile("COMMENT ON DATABASE .*"),
          Pattern.compile("SECURITY LABEL .* ON DATABASE .*"),
          Pattern.compile("(GRANT|REVOKE) .* ON DATABASE .*"),
          Pattern.compile("UPDATE pg_catalog\\.pg_database .*"),
          Pattern.compile("ALTER .* OWNER TO .*"),
          Pattern.compile("(GRANT|REVOKE) .*"),
          Pattern.compile("ALTER DEFAULT PRIVILEGES .*"),
          Pattern.compile("(SET|RESET) SESSION AUTHORIZATION.*"),
          Pattern.compile("SET ROLE .*"),
          Pattern.compile("(CREATE|ALTER|COMMENT ON|SECURITY LABEL .* ON) SUBSCRIPTION .*"),
          // Roles and tablespaces belong to the whole server, not to the scratch database: a
          // dumpall section's ALTER ROLE r IN DATABASE db SET would change the source's roles.
          Pattern.compile("(CREATE|ALTER|DROP) (ROLE|USER|GROUP) .*"),
          // A user mapping names a role and holds credentials for a foreign server.
          Pattern.compile("(CREATE|ALTER|DROP) USER MAPPING .*"),
          Pattern.compile(
              "(CREATE|ALTER|DROP|COMMENT ON|SECURITY LABEL (?:FOR \\S+ )?ON) TABLESPACE .*"),
          Pattern.compile("(COMMENT ON|SECURITY LABEL (?:FOR \\S+ )?ON) ROLE .*"));

  private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE DATABASE .*");

  private static final String ID = "(?:" + Identifiers.PATTERN + ")";

  /** A policy's {@code TO roles}, which the scratch server may not have, as pg_dump writes it. */
  private static final Pattern POLICY_ROLES =
      Pattern.compile(
          "(CREATE POLICY "
              + ID
              + " ON "
              + ID
              + "\\."
              + ID
              + "(?: AS RESTRICTIVE)?(?: FOR (?:ALL|SELECT|INSERT|UPDATE|DELETE))?)"
              + " TO "
              + ID
              + "(?:, "
              + ID
              + ")*(.*)");

  private final boolean cluster;
  private final boolean oneTransaction;
  private Optional<String> nextDatabase = Optional.empty();
  private boolean clusterEnd;
  private boolean inHead;
  private Optional<DatabaseProperties> createDatabase = Optional.empty();

  /**
   * {@code cluster}: the input is a pg_dumpall file, read one database at a time, each restored in
   * one transaction.
   */
  public ScratchFilter(boolean cluster) {
    this(cluster, true);
  }

  /**
   * {@code oneTransaction}: psql restores in one transaction, which pg_dump's own {@code BEGIN} and
   * {@code COMMIT} around large objects must not end (see {@link OneTransactionFilter}).
   */
  public ScratchFilter(boolean cluster, boolean oneTransaction) {
    this.cluster = cluster;
    this.oneTransaction = oneTransaction;
  }

  /** The database whose header the filter stopped at, if it stopped at one. */
  public Optional<String> nextDatabase() {
    return nextDatabase;
  }

  /**
   * Copies the head of a pg_dumpall section, up to its {@code CREATE DATABASE} or its first {@code
   * \connect}, whichever comes first; {@link #createDatabase} then tells how the section's database
   * was created. The rest follows with {@link #copy}.
   */
  public void copyHead(SqlLineReader lines, OutputStream out) throws IOException {
    inHead = true;
    try {
      copy(lines, out);
    } finally {
      inHead = false;
    }
  }

  /** The section's {@code CREATE DATABASE}, once {@link #copyHead} has seen it. */
  public Optional<DatabaseProperties> createDatabase() {
    return createDatabase;
  }

  /** True when the filter stopped at the cluster trailer: no database follows. */
  boolean atClusterEnd() {
    return clusterEnd;
  }

  @Override
  protected Action onComment(String line) {
    if (!cluster) {
      return Action.PASS;
    }
    Matcher header = DATABASE_HEADER.matcher(line.strip());
    if (header.matches()) {
      nextDatabase = Optional.of(header.group(1));
      return Action.STOP;
    }
    if (line.strip().equals(DumpKind.CLUSTER.trailer())) {
      clusterEnd = true;
      return Action.STOP;
    }
    return Action.PASS;
  }

  @Override
  protected Action onMetaCommand(String line) {
    boolean connect = line.startsWith("\\connect") || line.startsWith("\\c ");
    if (connect && inHead) {
      return Action.STOP;
    }
    return connect ? Action.SKIP : Action.PASS;
  }

  @Override
  protected Action onStatement(String line) {
    if (inHead && createDatabase.isEmpty() && CREATE_DATABASE.matcher(line).matches()) {
      createDatabase =
          DatabaseProperties.fromPgDump((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
      return Action.STOP;
    }
    if (oneTransaction && OneTransactionFilter.isTransactionControl(line)) {
      return Action.SKIP;
    }
    for (Pattern p : LEFT_OUT) {
      if (p.matcher(line).matches()) {
        return Action.SKIP;
      }
    }
    Matcher policy = POLICY_ROLES.matcher(line);
    if (policy.matches()) {
      // The policy's expressions are what a restore can fail on; it applies to everyone here.
      return Action.replace(policy.group(1) + policy.group(2) + "\n");
    }
    return Action.PASS;
  }
}
