package io.backupagents.sqlbackup.sql;

/**
 * Follows SQL text closely enough to know where statements start: quoted strings and identifiers,
 * escape strings, dollar-quoted bodies, comments, and the semicolon that ends a statement. Lines
 * inside a function body or a multi-line string therefore never look like statements to a filter.
 *
 * <p>Works on bytes: every delimiter is ASCII, and no byte of a multi-byte UTF-8 character is.
 */
public final class SqlScanner {

  private enum State {
    NORMAL,
    SINGLE,
    ESCAPE_STRING,
    ESCAPE_NEXT,
    DOUBLE,
    DOLLAR_TAG,
    DOLLAR,
    LINE_COMMENT,
    BLOCK_COMMENT
  }

  private State state = State.NORMAL;
  private boolean pending;
  private int previous = '\n';
  private final StringBuilder tag = new StringBuilder();
  private int tagMatched;
  private int blockDepth;
  private int parenDepth;

  /** True between statements: no statement text is waiting for its semicolon. */
  public boolean atStatementStart() {
    return state == State.NORMAL && !pending && parenDepth == 0;
  }

  /**
   * True when the next byte is SQL code: not inside a string, a quoted identifier, a dollar-quoted
   * body or a comment.
   */
  public boolean inCode() {
    return state == State.NORMAL;
  }

  public void scan(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      int c = bytes[i] & 0xff;
      step(c);
      previous = c;
    }
  }

  private void step(int c) {
    switch (state) {
      case NORMAL -> normal(c);
      case SINGLE -> {
        if (c == '\'') {
          state = State.NORMAL; // a doubled quote re-enters the string at the next byte
        }
      }
      case ESCAPE_STRING -> {
        if (c == '\\') {
          state = State.ESCAPE_NEXT;
        } else if (c == '\'') {
          state = State.NORMAL;
        }
      }
      case ESCAPE_NEXT -> state = State.ESCAPE_STRING;
      case DOUBLE -> {
        if (c == '"') {
          state = State.NORMAL;
        }
      }
      case DOLLAR_TAG -> dollarTag(c);
      case DOLLAR -> dollarBody(c);
      case LINE_COMMENT -> {
        if (c == '\n') {
          state = State.NORMAL;
        }
      }
      case BLOCK_COMMENT -> blockComment(c);
    }
  }

  private void normal(int c) {
    switch (c) {
      case '\'' -> {
        state = (previous == 'E' || previous == 'e') ? State.ESCAPE_STRING : State.SINGLE;
        pending = true;
      }
      case '"' -> {
        state = State.DOUBLE;
        pending = true;
      }
      case '$' -> {
        if (!isIdentifierByte(previous)) {
          tag.setLength(0);
          state = State.DOLLAR_TAG;
        }
        pending = true;
      }
      case '-' -> {
        // A lone '-' is an operator inside a statement (already pending); two start a comment.
        if (previous == '-') {
          state = State.LINE_COMMENT;
        }
      }
      case '*' -> {
        if (previous == '/') {
          state = State.BLOCK_COMMENT;
          blockDepth = 1;
        } else {
          pending = true;
        }
      }
      // As in psql, a semicolon inside parentheses (a rule's actions) does not end the statement.
      case '(' -> {
        parenDepth++;
        pending = true;
      }
      case ')' -> parenDepth = Math.max(0, parenDepth - 1);
      case ';' -> pending = parenDepth > 0;
      case ' ', '\t', '\r', '\n', '/' -> {}
      default -> pending = true;
    }
  }

  private void dollarTag(int c) {
    if (c == '$') {
      state = State.DOLLAR;
      tagMatched = 0;
    } else if (Character.isLetter(c) || c == '_' || (Character.isDigit(c) && !tag.isEmpty())) {
      tag.append((char) c);
    } else {
      state = State.NORMAL; // a parameter such as $1, not a dollar quote
      normal(c);
    }
  }

  /** Inside $tag$...$tag$: looks for the closing delimiter. */
  private void dollarBody(int c) {
    int length = tag.length() + 2;
    int expected = tagMatched == 0 || tagMatched == length - 1 ? '$' : tag.charAt(tagMatched - 1);
    if (c == expected) {
      tagMatched++;
      if (tagMatched == length) {
        state = State.NORMAL;
        tagMatched = 0;
      }
    } else {
      tagMatched = c == '$' ? 1 : 0;
    }
  }

  private void blockComment(int c) {
    if (c == '*' && previous == '/') {
      blockDepth++;
    } else if (c == '/' && previous == '*') {
      blockDepth--;
      if (blockDepth == 0) {
        state = State.NORMAL;
      }
    }
  }

  private static boolean isIdentifierByte(int c) {
    return Character.isLetterOrDigit(c) || c == '_' || c >= 0x80;
  }
}
