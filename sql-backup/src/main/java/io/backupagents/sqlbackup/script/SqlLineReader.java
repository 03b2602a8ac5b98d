package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.SqlScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a dump into lines without ever holding more than a bounded buffer: a line longer than
 * {@link #HEAD_LIMIT} (a COPY row with a large value, a long comment) is seen by its head only and
 * its rest is streamed on: a filter judges such a statement by its head.
 */
public final class SqlLineReader {

  /** The longest line seen whole; longer ones are streamed. */
  static final int HEAD_LIMIT = 1 << 17;

  private final InputStream in;
  private final byte[] buffer = new byte[HEAD_LIMIT * 2];
  private int pos;
  private int limit;
  private boolean eof;
  private int lineStart;
  private int lineEnd;
  private boolean complete;

  public SqlLineReader(InputStream in) {
    this.in = in;
  }

  /**
   * Moves to the next line (the rest of an incomplete line must have been copied or skipped).
   * Returns false at the end of the input.
   */
  public boolean next() throws IOException {
    int newline = indexOfNewline(pos, limit);
    while (newline < 0 && !eof && limit - pos < HEAD_LIMIT) {
      fill();
      newline = indexOfNewline(pos, limit);
    }
    if (pos == limit) {
      return false;
    }
    lineStart = pos;
    if (newline >= 0 && newline - pos < HEAD_LIMIT) {
      lineEnd = newline + 1;
      complete = true;
    } else if (limit - pos < HEAD_LIMIT) {
      lineEnd = limit; // the last line, without a newline
      complete = true;
    } else {
      lineEnd = pos + HEAD_LIMIT;
      complete = false;
    }
    pos = lineEnd;
    return true;
  }

  /** Makes the current complete line the next one again. */
  void unread() {
    pos = lineStart;
  }

  /** Whether the whole line (with its newline, if any) is in view. */
  boolean complete() {
    return complete;
  }

  byte[] buffer() {
    return buffer;
  }

  int start() {
    return lineStart;
  }

  /** The length of the line in view, newline included. */
  int length() {
    return lineEnd - lineStart;
  }

  /** The first byte of the line in view, or -1 for an empty line. */
  int firstByte() {
    return lineEnd > lineStart && buffer[lineStart] != '\n' ? buffer[lineStart] : -1;
  }

  /** The line in view as text, without its line break. */
  String text() {
    int end = lineEnd;
    if (end > lineStart && buffer[end - 1] == '\n') {
      end--;
    }
    if (end > lineStart && buffer[end - 1] == '\r') {
      end--;
    }
    return new String(buffer, lineStart, end - lineStart, StandardCharsets.UTF_8);
  }

  /**
   * Streams COPY data from the next line on, up to and including its end line {@code \\.}, in large
   * pieces rather than line by line: data is most of a dump. Returns false when the input ends
   * first.
   *
   * <p>In COPY's text format every backslash in data starts a two-byte escape ({@code \\\\}, {@code
   * \\t}, {@code \\N}, ...), and {@code \\.} occurs only as the end line, so only backslashes are
   * looked at: the bytes between them are found by a word-at-a-time search and copied as they are.
   */
  boolean copyData(OutputStream out) throws IOException {
    boolean lineStart = true; // whether the byte at pos starts a line
    while (true) {
      if (limit - pos < 4 && !eof) {
        fill();
        continue;
      }
      if (pos == limit) {
        return false; // the input ended inside COPY data
      }
      int b = Bytes.indexOf(buffer, pos, limit, (byte) '\\');
      if (b < 0) {
        out.write(buffer, pos, limit - pos);
        lineStart = buffer[limit - 1] == '\n';
        pos = limit;
        continue;
      }
      if (b + 3 >= limit && !eof) {
        // Too few bytes after the backslash to tell: keep them for after the next read.
        if (b > pos) {
          out.write(buffer, pos, b - pos);
          lineStart = buffer[b - 1] == '\n';
          pos = b;
        }
        fill();
        continue;
      }
      boolean atLineStart = b == pos ? lineStart : buffer[b - 1] == '\n';
      int end = atLineStart ? copyEnd(b) : -1;
      if (end >= 0) {
        out.write(buffer, pos, end - pos);
        pos = end;
        return true;
      }
      int next = Math.min(limit, b + 2); // the backslash and the byte it escapes
      out.write(buffer, pos, next - pos);
      lineStart = buffer[next - 1] == '\n';
      pos = next;
    }
  }

  /**
   * At a backslash at a line start {@code i}: the end of a {@code \\.} line there, or -1 when the
   * line is something else.
   */
  private int copyEnd(int i) {
    if (i + 1 >= limit || buffer[i + 1] != '.') {
      return -1;
    }
    if (i + 2 == limit) {
      return limit; // the last line, without a newline
    }
    if (buffer[i + 2] == '\n') {
      return i + 3;
    }
    if (buffer[i + 2] == '\r' && i + 3 < limit && buffer[i + 3] == '\n') {
      return i + 4;
    }
    return -1;
  }

  /** Writes the line in view. */
  void write(OutputStream out) throws IOException {
    out.write(buffer, lineStart, length());
  }

  /**
   * Streams the rest of an incomplete line, up to and including its newline, to {@code out} (null
   * to drop it), showing each piece to {@code scanner} (null for none).
   */
  void copyRest(OutputStream out, SqlScanner scanner) throws IOException {
    while (true) {
      if (pos == limit) {
        if (eof) {
          return;
        }
        pos = 0;
        limit = 0;
        fill();
        continue;
      }
      int newline = indexOfNewline(pos, limit);
      int end = newline < 0 ? limit : newline + 1;
      if (scanner != null) {
        scanner.scan(buffer, pos, end - pos);
      }
      if (out != null) {
        out.write(buffer, pos, end - pos);
      }
      pos = end;
      if (newline >= 0) {
        return;
      }
    }
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      lineStart = Math.max(0, lineStart - pos);
      lineEnd = Math.max(0, lineEnd - pos);
      pos = 0;
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  private int indexOfNewline(int from, int to) {
    return Bytes.indexOf(buffer, from, to, (byte) '\n');
  }
}
