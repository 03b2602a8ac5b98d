package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.Identifiers;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a {@code pg_dumpall --clean --if-exists} file restore into a fresh server without a single
 * SQL error, by changing exactly the statements that cannot succeed there:
 *
 * <ul>
 *   <li>{@code DROP ROLE}, {@code CREATE ROLE} and {@code ALTER ROLE ... WITH} of the role the
 *       restore connects as and of the server's bootstrap superuser are left out: the first cannot
 *       be dropped while connected and both exist already. They keep their attributes and their
 *       password on the target (so psql's later {@code \connect}s still log in).
 *   <li>{@code DROP DATABASE} of the database psql is connected to (it cannot drop the database it
 *       is in) is preceded by a {@code \connect} to another maintenance database. The restore
 *       starts in {@code postgres}, which the dump only drops after leaving it, so this is a safety
 *       net for servers without one.
 *   <li>With {@code RESTORE_FORCE}, {@code DROP DATABASE} gets {@code WITH (FORCE)}, which
 *       disconnects sessions that would make it fail (PostgreSQL 13 and later).
 * </ul>
 *
 * Role statements are only looked at in the dump's global part, before the first {@code \connect};
 * nothing else changes.
 *
 * <p>With a {@link Selection}, only the chosen databases are restored: of the global part, their
 * {@code DROP DATABASE} and the statements that create the roles they need and the target lacks
 * (never a {@code DROP ROLE}, never a change to a role the target has); of the sections, theirs,
 * whole, with their data. Everything else is left out.
 */
public final class ClusterRestoreFilter extends SqlStreamFilter {

  private static final Pattern ROLE_STATEMENT =
      Pattern.compile(
          "(?:DROP ROLE (?:IF EXISTS )?|CREATE ROLE |ALTER ROLE )("
              + Identifiers.PATTERN
              + ")(?<with> WITH .*)?;\\s*");
  private static final Pattern DROP_DATABASE =
      Pattern.compile(
          "DROP DATABASE (?<ifExists>IF EXISTS )?(?<name>"
              + Identifiers.PATTERN
              + ")(?<force> WITH \\(FORCE\\))?;\\s*");

  /**
   * A restore of some databases of the dump.
   *
   * @param databases the databases to restore
   * @param neededRoles the roles their sections name
   * @param newRoles the roles to create: those needed that the target lacks
   */
  public record Selection(Set<String> databases, Set<String> neededRoles, Set<String> newRoles) {
    public Selection {
      databases = Set.copyOf(databases);
      neededRoles = Set.copyOf(neededRoles);
      newRoles = Set.copyOf(newRoles);
    }
  }

  private static final Pattern DATABASE_HEADER = Pattern.compile("-- Database \"(.*)\" dump");
  private static final Pattern ROLE_OBJECT =
      Pattern.compile(
          "(?:CREATE ROLE |ALTER ROLE |COMMENT ON ROLE |SECURITY LABEL (?:FOR \\S+ )?ON ROLE )("
              + Identifiers.PATTERN
              + ")[ ;].*");
  private static final Pattern MEMBERSHIP =
      Pattern.compile(
          "GRANT (" + Identifiers.PATTERN + ") TO (" + Identifiers.PATTERN + ")(?<rest>[ ;].*)");
  private static final Pattern GRANTED_BY =
      Pattern.compile(" GRANTED BY (?:" + Identifiers.PATTERN + ")");
  private static final Pattern HEADER =
      Pattern.compile("(?:SET |SELECT pg_catalog\\.set_config\\().*");

  private final Optional<Selection> selection;
  private boolean inChosen = true;
  private final Set<String> keptRoles;
  private final boolean force;
  private String currentDatabase;
  private boolean globals = true;
  private Optional<String> restrictKey = Optional.empty();
  private int roleStatementsLeftOut;

  /**
   * @param keptRoles roles whose DROP/CREATE/ALTER ROLE ... WITH statements are left out
   * @param initialDatabase the database psql starts in
   * @param force whether DROP DATABASE disconnects other sessions
   */
  public ClusterRestoreFilter(Set<String> keptRoles, String initialDatabase, boolean force) {
    this(keptRoles, initialDatabase, force, Optional.empty());
  }

  /** The same, restoring only what {@code selection} chooses. */
  public ClusterRestoreFilter(
      Set<String> keptRoles, String initialDatabase, boolean force, Optional<Selection> selection) {
    this.selection = selection;
    this.keptRoles = Set.copyOf(keptRoles);
    this.currentDatabase = initialDatabase;
    this.force = force;
  }

  /** How many role statements were left out. */
  public int roleStatementsLeftOut() {
    return roleStatementsLeftOut;
  }

  @Override
  protected Action onComment(String line) {
    Matcher header = DATABASE_HEADER.matcher(line.strip());
    if (header.matches() && selection.isPresent()) {
      globals = false;
      inChosen = selection.get().databases().contains(header.group(1));
    }
    return inChosen ? Action.PASS : Action.SKIP;
  }

  @Override
  protected Action onMetaCommand(String line) {
    if (!inChosen && !line.startsWith("\\restrict ") && !line.startsWith("\\unrestrict")) {
      return Action.SKIP; // a \connect to a database not restored
    }
    if (line.startsWith("\\restrict ")) {
      restrictKey = Optional.of(line.substring("\\restrict ".length()).strip());
    } else if (line.startsWith("\\unrestrict")) {
      restrictKey = Optional.empty();
    } else if (line.startsWith("\\connect ") || line.startsWith("\\c ")) {
      globals = false;
      Identifiers.connectTarget(line).ifPresent(db -> currentDatabase = db);
    }
    return Action.PASS;
  }

  @Override
  protected Action onStatement(String line) {
    if (!inChosen) {
      return Action.SKIP;
    }
    if (globals && selection.isPresent()) {
      if (!chosenGlobal(line, selection.get())) {
        return Action.SKIP;
      }
      if (MEMBERSHIP.matcher(line).matches() && line.contains(" GRANTED BY ")) {
        // The grantor may be a role this restore does not create.
        return Action.replace(GRANTED_BY.matcher(line).replaceFirst("") + "\n");
      }
    }
    if (globals) {
      Matcher role = ROLE_STATEMENT.matcher(line);
      if (role.matches()
          && keptRoles.contains(Identifiers.unquote(role.group(1)))
          && (!line.startsWith("ALTER") || role.group("with") != null)) {
        roleStatementsLeftOut++;
        return Action.SKIP;
      }
    }
    Matcher drop = DROP_DATABASE.matcher(line);
    if (!drop.matches()) {
      return Action.PASS;
    }
    String name = Identifiers.unquote(drop.group("name"));
    StringBuilder replacement = new StringBuilder();
    if (name.equals(currentDatabase)) {
      String elsewhere = name.equals("postgres") ? "template1" : "postgres";
      replacement.append(reconnect(elsewhere));
      currentDatabase = elsewhere;
    }
    if (force && drop.group("force") == null) {
      // A template cannot be dropped: pg_dumpall's own DROPs assume a fresh server, where the
      // database is absent. A no-op when it is absent or no template.
      replacement
          .append("UPDATE pg_catalog.pg_database SET datistemplate = false WHERE datname = ")
          .append(Identifiers.literal(name))
          .append(" AND datistemplate;\n")
          .append("DROP DATABASE ")
          .append(drop.group("ifExists") == null ? "" : "IF EXISTS ")
          .append(drop.group("name"))
          .append(" WITH (FORCE);\n");
    } else {
      replacement.append(line).append('\n');
    }
    return replacement.toString().equals(line + "\n")
        ? Action.PASS
        : Action.replace(replacement.toString());
  }

  /** Whether a statement of the global part belongs to a restore of the chosen databases. */
  private static boolean chosenGlobal(String line, Selection chosen) {
    if (HEADER.matcher(line).matches()) {
      return true;
    }
    Matcher drop = DROP_DATABASE.matcher(line);
    if (drop.matches()) {
      return chosen.databases().contains(Identifiers.unquote(drop.group("name")));
    }
    Matcher role = ROLE_OBJECT.matcher(line);
    if (role.matches()) {
      return chosen.newRoles().contains(Identifiers.unquote(role.group(1)));
    }
    Matcher grant = MEMBERSHIP.matcher(line);
    if (grant.matches()) {
      // A membership of a role this restore creates, between roles the databases need.
      String granted = Identifiers.unquote(grant.group(1));
      String member = Identifiers.unquote(grant.group(2));
      return chosen.neededRoles().containsAll(List.of(granted, member))
          && (chosen.newRoles().contains(granted) || chosen.newRoles().contains(member));
    }
    return false;
  }

  /** A \connect that also works in psql's restricted mode: lifted for that line, then restored. */
  private String reconnect(String database) {
    String connect = "\\connect " + database + "\n";
    return restrictKey
        .map(key -> "\\unrestrict " + key + "\n" + connect + "\\restrict " + key + "\n")
        .orElse(connect);
  }
}
