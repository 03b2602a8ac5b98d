package io.backupagents.sqlbackup.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties of a database itself, which a plain {@code pg_dump} without {@code --create}
 * leaves out: encoding and locale ({@code CREATE DATABASE ... WITH ...}), owner, comment,
 * database-level grants, {@code ALTER DATABASE ... SET} and {@code ALTER ROLE ... IN DATABASE ...
 * SET}, as {@code pg_dump --create} writes them.
 *
 * <p>A single-database backup carries them at its head as comment lines ({@value #PREFIX}...), so
 * {@code gunzip -c | psql -d db} reads past them as before, and a restore that creates the database
 * applies them under the new database's name.
 *
 * <p>Text is handled as ISO-8859-1, which maps every byte to one character and back, so a comment
 * in a LATIN1 or SQL_ASCII database keeps its bytes; the statements are run with the {@code SET
 * client_encoding} pg_dump wrote before them.
 */
public final class DatabaseProperties {

  /** The prefix of every line of the block in a backup. */
  public static final String PREFIX = "--| ";

  private static final String FIRST_LINE =
      "-- sql-backup: the properties of the database itself, as pg_dump --create writes them.";
  private static final String SECOND_LINE =
      "-- psql reads them as comments; sql-backup applies them when it creates the database.";
  private static final String LAST_LINE = "-- end of the database's properties";

  private static final String ID = "(" + Identifiers.PATTERN + ")";
  private static final Pattern CREATE = Pattern.compile("CREATE DATABASE " + ID + "( .*)?;\\s*");
  private static final Pattern TABLESPACE =
      Pattern.compile(" TABLESPACE = (?:" + Identifiers.PATTERN + ")");
  private static final Pattern ENCODING = Pattern.compile(" ENCODING = '([^']*)'");
  private static final List<Pattern> NAMED =
      List.of(
          Pattern.compile("ALTER DATABASE " + ID + " .*", Pattern.DOTALL),
          Pattern.compile("COMMENT ON DATABASE " + ID + " IS .*", Pattern.DOTALL),
          Pattern.compile(
              "SECURITY LABEL (?:FOR \\S+ )?ON DATABASE " + ID + " IS .*", Pattern.DOTALL),
          Pattern.compile(
              "(?:GRANT|REVOKE) [A-Z, ]+ ON DATABASE " + ID + " (?:TO|FROM) .*", Pattern.DOTALL),
          Pattern.compile(
              "ALTER ROLE (?:" + Identifiers.PATTERN + ") IN DATABASE " + ID + " .*",
              Pattern.DOTALL));

  private static final List<Pattern> AFTER_DATA =
      List.of(
          Pattern.compile("ALTER DATABASE " + ID + " (?!OWNER TO ).*", Pattern.DOTALL),
          Pattern.compile(
              "ALTER ROLE (?:" + Identifiers.PATTERN + ") IN DATABASE " + ID + " .*",
              Pattern.DOTALL));

  /**
   * What the scripts' sessions need whatever the role or the database sets, as pg_dump's preamble
   * does: no timeout, writes allowed.
   */
  private static final String SESSION =
      "SET statement_timeout = 0;\nSET lock_timeout = 0;\n"
          + "SET idle_in_transaction_session_timeout = 0;\nSET default_transaction_read_only = off;\n";

  private static final Pattern CLIENT_ENCODING =
      Pattern.compile("SET client_encoding = '([^']*)';");
  private static final Pattern LATIN = Pattern.compile("LATIN(10|[1-9])");
  private static final int[] LATIN_PARTS = {1, 2, 3, 4, 9, 10, 13, 14, 15, 16};

  private final String clientEncoding;
  private final String create;
  private final List<String> others;

  private DatabaseProperties(String clientEncoding, String create, List<String> others) {
    this.clientEncoding = clientEncoding;
    this.create = create;
    this.others = List.copyOf(others);
  }

  /**
   * Reads the output of {@code pg_dump --create --schema-only --exclude-schema=*}: its {@code SET
   * client_encoding}, its {@code CREATE DATABASE} and the statements about the database that
   * follow; psql meta-commands and the other session settings are left out.
   */
  public static Optional<DatabaseProperties> fromPgDump(byte[] output) {
    List<String> statements = statements(new String(output, StandardCharsets.ISO_8859_1));
    String encoding = null;
    String create = null;
    List<String> others = new ArrayList<>();
    for (String statement : statements) {
      if (statement.startsWith("SET client_encoding = ") && encoding == null) {
        encoding = statement;
      } else if (CREATE.matcher(statement).matches() && create == null) {
        create = statement;
      } else if (create != null && namesDatabase(statement)) {
        others.add(statement);
      }
    }
    if (create == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DatabaseProperties(
            encoding == null ? "SET client_encoding = 'UTF8';" : encoding, create, others));
  }

  /**
   * Reads the block from the head of a plain dump, if it has one: only its first lines are read.
   */
  public static Optional<DatabaseProperties> fromBackupHead(InputStream sql) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(sql, StandardCharsets.ISO_8859_1));
    if (!FIRST_LINE.equals(reader.readLine())) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null && !line.equals(LAST_LINE)) {
      if (line.startsWith(PREFIX)) {
        text.append(line, PREFIX.length(), line.length()).append('\n');
      }
    }
    return fromPgDump(text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The block a backup starts with: every statement's lines behind {@value #PREFIX}. */
  public byte[] block() {
    StringBuilder out = new StringBuilder();
    out.append(FIRST_LINE).append('\n').append(SECOND_LINE).append('\n');
    for (String statement : all()) {
      statement.lines().forEach(l -> out.append(PREFIX).append(l).append('\n'));
    }
    out.append(LAST_LINE).append("\n\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Whether {@code line} belongs to the block (so a reader of the dump's head passes it). */
  public static boolean isBlockLine(String line) {
    return line.startsWith(PREFIX)
        || line.equals(FIRST_LINE)
        || line.equals(SECOND_LINE)
        || line.equals(LAST_LINE);
  }

  /** The name of the database the properties were read from, for messages. */
  public String sourceName() {
    Matcher m = CREATE.matcher(create);
    m.matches();
    String name = Identifiers.unquote(m.group(1));
    return new String(name.getBytes(StandardCharsets.ISO_8859_1), clientCharset());
  }

  /** The charset of pg_dump's client encoding, as far as Java knows it (else UTF-8). */
  private Charset clientCharset() {
    Matcher m = CLIENT_ENCODING.matcher(clientEncoding);
    String encoding = m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : "UTF8";
    Matcher latin = LATIN.matcher(encoding);
    String java =
        latin.matches()
            ? "ISO-8859-" + LATIN_PARTS[Integer.parseInt(latin.group(1)) - 1]
            : encoding.replaceFirst("^WIN(\\d+)$", "windows-$1").replace('_', '-');
    try {
      return encoding.equals("UTF8") ? StandardCharsets.UTF_8 : Charset.forName(java);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8; // SQL_ASCII and the encodings Java lacks
    }
  }

  /** The encoding the database was created with, e.g. {@code LATIN1}. */
  public Optional<String> encoding() {
    Matcher m = ENCODING.matcher(create);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Whether the database had a tablespace of its own (which a restore does not ask for). */
  public boolean hadTablespace() {
    return TABLESPACE.matcher(create).find();
  }

  /**
   * The {@code CREATE DATABASE} of a database named {@code target} with the source's encoding and
   * locale, in the default tablespace (the target server need not have the source's).
   */
  public String createAs(String target) {
    Matcher m = CREATE.matcher(create);
    m.matches();
    String options = m.group(2) == null ? "" : TABLESPACE.matcher(m.group(2)).replaceAll("");
    return "CREATE DATABASE " + Identifiers.quote(target) + options + ";";
  }

  /**
   * The statements that give a database named {@code target} these properties after it was created:
   * owner, comment, grants and settings, with the name replaced. The text is as pg_dump wrote it
   * (one character per byte, in its client encoding); the name is in UTF-8, as the catalog holds
   * it, see {@link #script}.
   */
  public List<String> applyTo(String target) {
    return renamed(others, target);
  }

  /**
   * The statements of {@link #applyTo} that wait until the data is in: the database's settings
   * ({@code ALTER DATABASE ... SET}, {@code ALTER ROLE ... IN DATABASE ... SET}) and its connection
   * limits and flags, which could stop the restore's own session (a database set read-only refuses
   * every CREATE TABLE). Owner, comment and grants are given at its creation.
   */
  public List<String> afterData(String target) {
    return renamed(others.stream().filter(DatabaseProperties::waitsForData).toList(), target);
  }

  private static boolean waitsForData(String statement) {
    return AFTER_DATA.stream().anyMatch(p -> p.matcher(statement).matches());
  }

  private static List<String> renamed(List<String> statements, String target) {
    String name =
        new String(
            Identifiers.quote(target).getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1);
    List<String> renamed = new ArrayList<>();
    for (String statement : statements) {
      for (Pattern p : NAMED) {
        Matcher m = p.matcher(statement);
        if (m.matches()) {
          renamed.add(statement.substring(0, m.start(1)) + name + statement.substring(m.end(1)));
          break;
        }
      }
    }
    return renamed;
  }

  /**
   * The psql script that creates {@code target} with these properties, as pg_dump's {@code
   * --create} output does it: {@code CREATE DATABASE} where psql starts, then the rest connected to
   * the new database, with pg_dump's client encoding. Text in the shared catalogs (the comment, a
   * role's name) is stored in whatever bytes the session that wrote it sent, and pg_dump read it in
   * a session of the source database, where no conversion applies; written back in a session of the
   * new database, which has the same encoding, its bytes are kept exactly. Names are sent in UTF-8,
   * as psql and the catalog of a UTF8 server hold them.
   */
  public byte[] script(String target) {
    String connect = Identifiers.connInfo(target);
    String head =
        "SET client_encoding = 'UTF8';\n"
            + SESSION
            + createAs(target)
            + "\n\\connect -reuse-previous=on \""
            + connect.replace("\"", "\"\"")
            + "\"\n";
    List<String> atCreation =
        applyTo(target).stream().filter(statement -> !waitsForData(statement)).toList();
    byte[] a = head.getBytes(StandardCharsets.UTF_8);
    byte[] b = inClientEncoding(atCreation);
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** The psql script, run in {@code target}, of its {@link #afterData} statements. */
  public byte[] afterDataScript(String target) {
    return inClientEncoding(afterData(target));
  }

  private byte[] inClientEncoding(List<String> statements) {
    StringBuilder text = new StringBuilder(clientEncoding).append('\n').append(SESSION);
    statements.forEach(s -> text.append(s).append('\n'));
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** How many statements about the database follow its creation (owner, grants, ...). */
  public int statementCount() {
    return others.size();
  }

  private List<String> all() {
    List<String> all = new ArrayList<>();
    all.add(clientEncoding);
    all.add(create);
    all.addAll(others);
    return all;
  }

  private static boolean namesDatabase(String statement) {
    return NAMED.stream().anyMatch(p -> p.matcher(statement).matches());
  }

  /**
   * Splits SQL text into statements (each with its semicolon, without trailing blank space),
   * leaving out comments and psql meta-commands between statements.
   */
  private static List<String> statements(String text) {
    List<String> statements = new ArrayList<>();
    SqlScanner scanner = new SqlScanner();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      boolean between = scanner.atStatementStart() && current.isEmpty();
      if (between && (line.startsWith("\\") || line.startsWith("--") || line.isBlank())) {
        continue;
      }
      current.append(line).append('\n');
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.ISO_8859_1);
      scanner.scan(bytes, 0, bytes.length);
      if (scanner.atStatementStart()) {
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    return statements;
  }
}
