package io.backupagents.sqlbackup.script;

import java.io.IOException;

/**
 * Told where each piece the filter writes begins, before it is written, so that a caller can send
 * it somewhere else (see the parallel load of table data). Pieces are whole statements,
 * meta-command lines, comment lines and COPY data: what the filter leaves out is never shown.
 */
public interface Boundaries {

  /** What a piece is. */
  enum Piece {
    /** A blank line or a comment. */
    NEUTRAL,
    /**
     * A statement or meta-command that changes the session only: {@code SET}, {@code RESET}, {@code
     * set_config}, {@code \connect}, {@code \restrict}, ...
     */
    SESSION,
    /** A {@code COPY ... FROM stdin;} statement: its data follows, then {@link #copyEnd}. */
    COPY,
    /** Any other statement. */
    OTHER
  }

  /** A piece starting with {@code firstLine} is about to be written. */
  void next(Piece piece, String firstLine) throws IOException;

  /** The data of the last COPY statement has been written, its end line included. */
  void copyEnd() throws IOException;

  Boundaries NONE =
      new Boundaries() {
        @Override
        public void next(Piece piece, String firstLine) {}

        @Override
        public void copyEnd() {}
      };

  /** The kind of a piece by its first line ({@code meta} for a meta-command line). */
  static Piece pieceOf(String line, boolean meta) {
    if (meta) {
      return Piece.SESSION;
    }
    String text = line.strip();
    if (text.isEmpty() || text.startsWith("--")) {
      return Piece.NEUTRAL;
    }
    if (startsWithWord(text, "SET")
        || startsWithWord(text, "RESET")
        || text.startsWith("SELECT pg_catalog.set_config(")) {
      return Piece.SESSION;
    }
    if (startsWithWord(text, "COPY") && text.endsWith(" FROM stdin;")) {
      return Piece.COPY;
    }
    return Piece.OTHER;
  }

  private static boolean startsWithWord(String text, String word) {
    return text.regionMatches(true, 0, word, 0, word.length())
        && text.length() > word.length()
        && Character.isWhitespace(text.charAt(word.length()));
  }
}
