package io.backupagents.sqlbackup.sql;

import java.util.Optional;

/** SQL identifiers and psql {@code \connect} arguments as pg_dump writes them. */
public final class Identifiers {

  /** A quoted identifier (quotes doubled inside) or a plain one. */
  public static final String PATTERN = "\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*";

  private Identifiers() {}

  /** The name an identifier stands for: quotes removed; plain ones are as pg_dump wrote them. */
  public static String unquote(String identifier) {
    if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
      return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    return identifier;
  }

  /** Always quoted, so any name is safe in SQL text. */
  public static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * A libpq connection string naming database {@code name}, with libpq's quoting: {@code
   * dbname='...'} (backslash and quote escaped by a backslash).
   */
  public static String connInfo(String name) {
    return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A single-quoted SQL string literal. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /**
   * The database a {@code \connect} (or {@code \c}) line switches to, in the forms pg_dump writes:
   * {@code \connect app}, {@code \connect "my app"} and {@code \connect -reuse-previous=on
   * "dbname='my app'"}. Empty when the line keeps the database ({@code \connect - user}) or cannot
   * be read.
   */
  public static Optional<String> connectTarget(String line) {
    String rest = line.strip();
    int space = rest.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    rest = rest.substring(space + 1).strip();
    if (rest.startsWith("-reuse-previous=")) {
      int next = rest.indexOf(' ');
      rest = next < 0 ? "" : rest.substring(next + 1).strip();
    }
    String argument;
    if (rest.startsWith("\"")) {
      int end = closingQuote(rest);
      if (end < 0) {
        return Optional.empty();
      }
      argument = unquote(rest.substring(0, end + 1));
    } else {
      int end = rest.indexOf(' ');
      argument = end < 0 ? rest : rest.substring(0, end);
    }
    if (argument.isEmpty() || argument.equals("-")) {
      return Optional.empty();
    }
    return argument.startsWith("dbname=")
        ? connInfoValue(argument.substring("dbname=".length()))
        : Optional.of(argument);
  }

  /** The index of the quote that closes a quoted identifier starting at 0, or -1. */
  private static int closingQuote(String text) {
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == '"') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** A libpq connection-string value: plain, or single-quoted with backslash escapes. */
  private static Optional<String> connInfoValue(String value) {
    if (!value.startsWith("'")) {
      int end = value.indexOf(' ');
      return Optional.of(end < 0 ? value : value.substring(0, end));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        sb.append(value.charAt(++i));
      } else if (c == '\'') {
        return Optional.of(sb.toString());
      } else {
        sb.append(c);
      }
    }
    return Optional.empty();
  }
}
