package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.Identifiers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A first pass over a pg_dumpall file for a restore of some of its databases: which databases it
 * holds, which roles it defines, and which of those the chosen databases' sections name (owners,
 * grantees, default privileges, policies), so the restore creates those roles and no others. It
 * writes nothing.
 *
 * <p>Roles are found by the identifiers on the first line of each statement of a chosen section
 * (pg_dump writes {@code OWNER TO}, {@code GRANT ... TO} and the like there), outside string
 * literals. An identifier that happens to equal a role's name makes that role count as needed too:
 * one role too many is harmless, one too few would fail the restore.
 */
public final class DumpallSurvey extends SqlStreamFilter {

  private static final Pattern DATABASE_HEADER = Pattern.compile("-- Database \"(.*)\" dump");
  private static final Pattern CREATE_ROLE =
      Pattern.compile("CREATE ROLE (" + Identifiers.PATTERN + ");\\s*");

  private final Set<String> chosen;
  private final List<String> databases = new ArrayList<>();
  private final Set<String> roles = new LinkedHashSet<>();
  private final Set<String> identifiers = new TreeSet<>();
  private boolean globals = true;
  private boolean inChosen;

  public DumpallSurvey(Set<String> chosen) {
    this.chosen = Set.copyOf(chosen);
  }

  /** The databases the dump holds, in its order. */
  public List<String> databases() {
    return List.copyOf(databases);
  }

  /** The roles the dump defines that the chosen databases' sections name. */
  public Set<String> neededRoles() {
    Set<String> needed = new TreeSet<>(roles);
    needed.retainAll(identifiers);
    return needed;
  }

  @Override
  protected Action onComment(String line) {
    Matcher header = DATABASE_HEADER.matcher(line.strip());
    if (header.matches()) {
      globals = false;
      String name = header.group(1);
      databases.add(name);
      inChosen = chosen.contains(name);
    }
    return Action.PASS;
  }

  @Override
  protected Action onMetaCommand(String line) {
    return Action.PASS;
  }

  @Override
  protected Action onStatement(String line) {
    if (globals) {
      Matcher role = CREATE_ROLE.matcher(line);
      if (role.matches()) {
        roles.add(Identifiers.unquote(role.group(1)));
      }
    } else if (inChosen) {
      identifiers.addAll(identifiersIn(line));
    }
    return Action.PASS;
  }

  /** The identifiers of one line of SQL, quoted ones unquoted, string literals skipped. */
  static List<String> identifiersIn(String line) {
    List<String> found = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = i + 1;
        while (end < n
            && !(line.charAt(end) == '\'' && (end + 1 >= n || line.charAt(end + 1) != '\''))) {
          end += line.charAt(end) == '\'' ? 2 : 1;
        }
        i = end + 1;
      } else if (c == '"') {
        StringBuilder id = new StringBuilder();
        int j = i + 1;
        while (j < n) {
          if (line.charAt(j) == '"') {
            if (j + 1 < n && line.charAt(j + 1) == '"') {
              id.append('"');
              j += 2;
              continue;
            }
            break;
          }
          id.append(line.charAt(j++));
        }
        found.add(id.toString());
        i = j + 1;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i + 1;
        while (j < n
            && (Character.isLetterOrDigit(line.charAt(j))
                || line.charAt(j) == '_'
                || line.charAt(j) == '$')) {
          j++;
        }
        found.add(line.substring(i, j));
        i = j;
      } else {
        i++;
      }
    }
    return found;
  }
}
