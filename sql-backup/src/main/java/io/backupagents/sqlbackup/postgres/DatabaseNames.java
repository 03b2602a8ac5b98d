package io.backupagents.sqlbackup.postgres;

import io.backupagents.sqlbackup.sql.Identifiers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Database names as settings write them and as the client tools and JDBC take them. Any name
 * PostgreSQL allows is accepted (spaces, quotes, commas, non-ASCII letters), so a name is never
 * pasted into a command line or a URL as it is.
 */
public final class DatabaseNames {

  /** PostgreSQL's NAMEDATALEN - 1: the longest name, in bytes. */
  static final int MAX_BYTES = 63;

  private DatabaseNames() {}

  /**
   * Splits a comma-separated list. An element that starts with a double quote is a quoted
   * identifier, SQL style ({@code ""} for a quote inside), so {@code "a,b"} names {@code a,b}; any
   * other element is the name itself, spaces around it removed.
   *
   * @param problems receives one line per malformed element
   */
  public static List<String> parseList(String value, String setting, List<String> problems) {
    List<String> names = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (i <= n) {
      while (i < n && value.charAt(i) == ' ') {
        i++;
      }
      String name;
      if (i < n && value.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        boolean closed = false;
        while (j < n) {
          char c = value.charAt(j++);
          if (c == '"') {
            if (j < n && value.charAt(j) == '"') {
              sb.append('"');
              j++;
            } else {
              closed = true;
              break;
            }
          } else {
            sb.append(c);
          }
        }
        int comma = value.indexOf(',', j);
        String after = value.substring(j, comma < 0 ? n : comma).strip();
        if (!closed || !after.isEmpty()) {
          problems.add(
              setting
                  + ": the quoted name starting at "
                  + value.substring(i, Math.min(n, i + 20))
                  + " is not closed by a double quote before the next comma");
        }
        name = sb.toString();
        i = comma < 0 ? n + 1 : comma + 1;
      } else {
        int comma = value.indexOf(',', i);
        name = value.substring(i, comma < 0 ? n : comma).strip();
        i = comma < 0 ? n + 1 : comma + 1;
        if (name.isEmpty()) {
          continue;
        }
      }
      check(name, setting).ifPresent(problems::add);
      names.add(name);
    }
    return List.copyOf(names);
  }

  /** A problem with {@code name} as a database name, if it has one. */
  static Optional<String> check(String name, String setting) {
    if (name.isEmpty()) {
      return Optional.of(setting + ": a database name is empty");
    }
    if (name.indexOf('\0') >= 0) {
      return Optional.of(setting + ": a database name cannot hold a NUL character");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return Optional.of(
          setting
              + "="
              + name
              + ": a database name has at most "
              + MAX_BYTES
              + " bytes, this one has "
              + bytes);
    }
    return Optional.empty();
  }

  /**
   * The {@code --dbname} argument of pg_dump, psql and pg_restore: a connection string, so that a
   * name holding {@code =} is not taken for one, with libpq's quoting.
   */
  public static String connInfo(String name) {
    return Identifiers.connInfo(name);
  }

  /** The name as the path of a JDBC URL (pgjdbc URL-decodes it). */
  static String urlPath(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }
}
