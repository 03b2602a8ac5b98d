package io.backupagents.sqlbackup.script;

import io.backupagents.sqlbackup.sql.SqlScanner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a dump to psql while a subclass drops or replaces whole statements, psql meta-commands or
 * comment lines. Only lines that start a statement are shown to the subclass (the {@link
 * SqlScanner} knows when a line is inside a string or a function body), and COPY data passes
 * untouched, so a filter can never damage data or code it does not mean to change.
 *
 * <p>Meta-commands other than those pg_dump and pg_dumpall write are dropped with a warning: a dump
 * is data, and must not run shell commands or write files where the agent runs.
 */
public abstract class SqlStreamFilter {

  private static final Logger log = LoggerFactory.getLogger(SqlStreamFilter.class);
  private static final Set<String> DUMP_META_COMMANDS =
      Set.of("connect", "c", "restrict", "unrestrict", "encoding", "set", "unset");

  /** What to do with a line that starts a statement. */
  record Action(Kind kind, String replacement) {

    enum Kind {
      PASS,
      SKIP,
      REPLACE,
      STOP
    }

    static final Action PASS = new Action(Kind.PASS, null);

    /** Drop the statement, however many lines it spans. */
    static final Action SKIP = new Action(Kind.SKIP, null);

    /** Stop copying before this line (it stays for the next reader). */
    static final Action STOP = new Action(Kind.STOP, null);

    /** Write {@code text} (lines ending with a newline) instead of this line. */
    static Action replace(String text) {
      return new Action(Kind.REPLACE, text);
    }
  }

  private final SqlScanner scanner = new SqlScanner();
  private Boundaries boundaries = Boundaries.NONE;
  private boolean quiet;
  private boolean inCopy;
  private boolean copyStatement;
  private boolean skipping;
  private boolean skipCopyData;
  private final CleaningStatements cleaning = new CleaningStatements();

  /** How many of pg_dump's cleaning statements were left out (see {@link CleaningStatements}). */
  public final int cleaningStatementsLeftOut() {
    return cleaning.leftOut();
  }

  /** A statement's first line, without its line break. */
  protected abstract Action onStatement(String line);

  /** A psql meta-command line such as {@code \connect app}. */
  protected abstract Action onMetaCommand(String line);

  /** A comment line ({@code -- ...}) between statements. */
  protected Action onComment(String line) {
    return Action.PASS;
  }

  /**
   * Makes this filter tell {@code boundaries} where the pieces it writes begin, and, when {@code
   * quiet}, leave its warnings to another reader of the same dump.
   */
  public final SqlStreamFilter telling(Boundaries boundaries, boolean quiet) {
    this.boundaries = boundaries;
    this.quiet = quiet;
    return this;
  }

  /**
   * Copies lines to {@code out} until the input ends (false) or the subclass stops before a line
   * (true; that line is read again next).
   */
  public final boolean copy(SqlLineReader lines, OutputStream out) throws IOException {
    while (true) {
      if (inCopy) {
        inCopy = false;
        // The data of a COPY statement left out goes with it.
        boolean skipped = skipCopyData;
        OutputStream data = skipped ? OutputStream.nullOutputStream() : out;
        skipCopyData = false;
        if (!lines.copyData(data)) {
          return false;
        }
        if (!skipped) {
          boundaries.copyEnd();
        }
      }
      if (!lines.next()) {
        return false;
      }
      if (scanner.atStatementStart() && !skipping) {
        if (startOfStatement(lines, out)) {
          lines.unread();
          return true;
        }
      } else {
        continuation(lines, out);
      }
      if (copyStatement && scanner.atStatementStart()) {
        copyStatement = false;
        inCopy = true; // pg_dump's COPY ... FROM stdin; its data lines follow up to "\."
      }
    }
  }

  /**
   * Handles a line that starts a statement; true when the subclass stops before it. A line longer
   * than the reader shows whole (a comment or a setting of 100 KiB) is judged by its head: it is
   * passed or left out whole like any other, never run unseen.
   */
  private boolean startOfStatement(SqlLineReader lines, OutputStream out) throws IOException {
    String text = lines.text();
    boolean meta = text.startsWith("\\");
    Action action;
    if (meta) {
      // No meta-command pg_dump writes is longer than a line in view.
      action =
          lines.complete() && isDumpMetaCommand(text) ? onMetaCommand(text) : refuse(text, quiet);
    } else if (text.startsWith("--")) {
      cleaning.comment(text);
      action = onComment(text);
    } else if (cleaning.leaveOut(text)) {
      action = Action.SKIP;
    } else if (PortableSettings.rewrite(text).isPresent()) {
      action = Action.replace(PortableSettings.rewrite(text).get());
    } else {
      action = onStatement(text);
      copyStatement = text.regionMatches(true, 0, "COPY ", 0, 5);
    }
    if (action.kind() == Action.Kind.REPLACE && !lines.complete()) {
      throw new IOException(
          "the backup has a statement line longer than "
              + SqlLineReader.HEAD_LIMIT
              + " bytes that this restore would have to rewrite, which it cannot do: "
              + text.substring(0, 60)
              + "...");
    }
    switch (action.kind()) {
      case STOP -> {
        return true;
      }
      case PASS -> {
        boundaries.next(Boundaries.pieceOf(text, meta), text);
        lines.write(out);
      }
      case REPLACE -> replace(action.replacement(), out);
      case SKIP -> skipCopyData = copyStatement;
    }
    OutputStream rest = action.kind() == Action.Kind.PASS ? out : null;
    if (meta) {
      if (!lines.complete()) {
        lines.copyRest(rest, null);
      }
      return false;
    }
    scanner.scan(lines.buffer(), lines.start(), lines.length());
    if (!lines.complete()) {
      lines.copyRest(rest, scanner);
    }
    skipping = action.kind() == Action.Kind.SKIP && !scanner.atStatementStart();
    return false;
  }

  /** Writes a replacement line by line, each a piece of its own kind. */
  private void replace(String replacement, OutputStream out) throws IOException {
    int start = 0;
    while (start < replacement.length()) {
      int end = replacement.indexOf('\n', start);
      end = end < 0 ? replacement.length() : end + 1;
      String line = replacement.substring(start, end);
      boundaries.next(Boundaries.pieceOf(line, line.startsWith("\\")), line.strip());
      out.write(line.getBytes(StandardCharsets.UTF_8));
      start = end;
    }
  }

  /**
   * A line inside a statement: it goes with its statement, untouched. psql reads a backslash at the
   * start of such a line as data too (it is inside a string, a function body or a statement psql
   * has not yet sent), so no line here is a meta-command.
   */
  private void continuation(SqlLineReader lines, OutputStream out) throws IOException {
    if (lines.complete() && scanner.inCode() && lines.firstByte() == '\\') {
      // Outside any string, psql runs a backslash line even in the middle of a statement, and
      // pg_dump never writes one there: a meta-command hidden in a statement is refused.
      refuse(lines.text(), quiet);
      return;
    }
    OutputStream target = skipping ? null : out;
    if (target != null) {
      lines.write(target);
    }
    scanner.scan(lines.buffer(), lines.start(), lines.length());
    if (!lines.complete()) {
      lines.copyRest(target, scanner);
    }
    if (skipping && scanner.atStatementStart()) {
      skipping = false;
    }
  }

  private static boolean isDumpMetaCommand(String line) {
    String command = line.substring(1).split("\\s", 2)[0].toLowerCase(Locale.ROOT);
    return DUMP_META_COMMANDS.contains(command);
  }

  private static Action refuse(String line, boolean quiet) {
    String command = line.split("\\s", 2)[0];
    if (command.length() > 40) {
      command = command.substring(0, 40) + "...";
    }
    if (!quiet) {
      log.warn(
          "dropped the psql meta-command {} from the backup: dumps do not contain it", command);
    }
    return Action.SKIP;
  }
}
