package io.backupagents.sqlbackup.load;

import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.BackupDecoding;
import io.backupagents.sqlbackup.script.DumpKind;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SQL of a plain backup, decompressed on the fly into psql's standard input: nothing is
 * unpacked to disk. If reading the backup fails half-way, psql is made to give up instead of
 * committing what it got (closing its input would look like a normal end of the script).
 */
public final class SqlFeed {

  private static final int BUFFER = 1 << 16;

  /**
   * Makes a COPY in progress fail (a row of more columns than any table has: COPY keeps none of its
   * rows, not even one cut short by the abort) and ends it, then closes psql's own session. Outside
   * a COPY the row is blank space.
   */
  private static final byte[] ABORT =
      ("\n"
              + "\t".repeat(1700)
              + "\n\\.\nSELECT pg_catalog.pg_terminate_backend(pg_catalog.pg_backend_pid());\n")
          .getBytes(StandardCharsets.US_ASCII);

  /** Writes SQL to psql. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private SqlFeed() {}

  /** The decompressed content of a plain backup. */
  public static InputStream open(Path file) throws IOException {
    return decoded(file, Files.newInputStream(file));
  }

  /** The decompressed content of a plain backup, counting stored bytes read as progress. */
  public static InputStream open(Path file, RestoreProgress progress) throws IOException {
    return decoded(file, progress.counting(Files.newInputStream(file)));
  }

  private static InputStream decoded(Path file, InputStream raw) throws IOException {
    try {
      return BackupDecoding.plainSql(file.getFileName().toString(), raw);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * The SQL of a checked backup for a restore: decompressed a few blocks ahead in a thread of its
   * own ({@link InflatingStream}), and its last line checked once more as it ends, so a file that
   * changed since its check fails the restore (psql is made to give up) instead of ending it early.
   */
  public static InputStream restoreStream(Path file, RestoreProgress progress, DumpKind kind)
      throws IOException {
    return restoreStream(file, open(file, progress), kind);
  }

  /** {@link #restoreStream(Path, RestoreProgress, DumpKind)} for a reader nobody watches. */
  public static InputStream restoreStream(Path file, DumpKind kind) throws IOException {
    return restoreStream(file, open(file), kind);
  }

  private static InputStream restoreStream(Path file, InputStream sql, DumpKind kind) {
    DumpTail tail = new DumpTail();
    return new InflatingStream(
        sql,
        tail::add,
        () -> {
          if (!kind.isCompleteTail(tail.text())) {
            throw new UnsoundBackupException(
                PlainBackupCheck.cutShort(file.getFileName().toString(), kind).getMessage(), null);
          }
        });
  }

  /** Buffers what {@code body} writes and makes psql give up when the body fails reading. */
  public static ProcessSpec.StdinWriter guarded(Body body) {
    return stdin -> {
      WatchedOutput psql = new WatchedOutput(stdin);
      BufferedOutputStream buffered = new BufferedOutputStream(psql, BUFFER);
      try {
        body.writeTo(buffered);
        buffered.flush();
      } catch (IOException e) {
        if (!psql.failed) {
          abort(stdin);
        }
        throw e;
      }
    };
  }

  /** Makes psql give up: ends a COPY in progress and closes its session. */
  static void abort(OutputStream stdin) {
    try {
      stdin.write(ABORT);
      stdin.flush();
    } catch (IOException e) {
      // psql is gone already: its exit status tells the story.
    }
  }

  /** Remembers whether writing to psql failed (psql exited), as opposed to reading the backup. */
  static final class WatchedOutput extends FilterOutputStream {
    private volatile boolean failed;

    WatchedOutput(OutputStream out) {
      super(out);
    }

    boolean failed() {
      return failed;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }
}
