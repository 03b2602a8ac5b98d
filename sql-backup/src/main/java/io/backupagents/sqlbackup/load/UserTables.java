package io.backupagents.sqlbackup.load;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user tables of a database, read so that no table name ever crosses the connection as text: a
 * SQL_ASCII database may name a table with bytes that are not UTF-8, which the server refuses to
 * send to a UTF-8 client. Names travel as the bytes of the server's encoding, rows are counted by
 * the server from the table's oid.
 */
public final class UserTables {

  /** A user table: its oid, its quoted name's bytes in the server's encoding, and its size. */
  public record Table(long oid, byte[] rawName, long bytes) {

    /** The quoted name for messages; bytes that are not UTF-8 are shown as {@code \xNN}. */
    public String name() {
      return readable(rawName);
    }
  }

  /** Not the catalogs', not TOAST or temporary ones, not an extension's; largest first. */
  private static final String LIST = relations("'r', 'p'");

  /**
   * The number of objects that hold data the restore guard protects: user tables, materialized
   * views and large objects.
   */
  static final String DATA_OBJECTS =
      "SELECT (SELECT count(*) FROM ("
          + relations("'r', 'p', 'm'")
          + ") t) + (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata)";

  // query_to_xml runs the count inside the server and needs no XML library (xpath would).
  private static final String ROWS =
      "SELECT query_to_xml(format('SELECT count(*) AS n FROM %s', ?::oid::regclass), false, true,"
          + " '')::text";
  private static final Pattern ROW_COUNT = Pattern.compile("<n>(\\d+)</n>");

  private UserTables() {}

  private static String relations(String kinds) {
    return "SELECT c.oid, convert_to(format('%I.%I', n.nspname, c.relname),"
        + " current_setting('server_encoding')), pg_total_relation_size(c.oid)"
        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ("
        + kinds
        + ") AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
        + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
        + " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
        + " AND d.objid = c.oid AND d.deptype = 'e')";
  }

  /** Every user table, largest first. */
  public static List<Table> list(Connection c) throws SQLException {
    List<Table> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(LIST + " ORDER BY 3 DESC, 2")) {
      while (rs.next()) {
        tables.add(new Table(rs.getLong(1), rs.getBytes(2), rs.getLong(3)));
      }
    }
    return tables;
  }

  /** The exact number of rows of the table with {@code oid}. */
  public static long rows(Connection c, long oid) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ROWS)) {
      s.setLong(1, oid);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        Matcher m = ROW_COUNT.matcher(rs.getString(1));
        if (!m.find()) {
          throw new SQLException("no row count in " + rs.getString(1));
        }
        return Long.parseLong(m.group(1));
      }
    }
  }

  /** The oid of the table named {@code rawName} (as {@link Table#rawName}) here, if it exists. */
  public static OptionalLong find(Connection c, byte[] rawName) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE"
                + " convert_to(format('%I.%I', n.nspname, c.relname),"
                + " current_setting('server_encoding')) = ?")) {
      s.setBytes(1, rawName);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  private static String readable(byte[] raw) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      StringBuilder sb = new StringBuilder();
      for (byte b : raw) {
        int c = b & 0xff;
        if (c < 0x80) {
          sb.append((char) c);
        } else {
          sb.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
        }
      }
      return sb.toString();
    }
  }
}
