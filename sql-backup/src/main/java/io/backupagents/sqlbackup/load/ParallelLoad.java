package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.script.Boundaries;
import io.backupagents.sqlbackup.script.DumpKind;
import io.backupagents.sqlbackup.script.SqlLineReader;
import io.backupagents.sqlbackup.script.SqlStreamFilter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A plain dump restored through psql with the data of its tables loaded over several connections,
 * as {@code pg_restore --jobs} does for an archive: on two cores one psql and its server backend
 * leave about a core idle while the largest tables load one after another.
 *
 * <p>The main connection runs the whole script in its order, as a single psql would. Every other
 * reader reads the same dump on its own (the file is on disk: nothing is held in memory) through
 * its own copy of the same filter, and keeps only what sets up a session ({@code SET}, {@code
 * \connect}, ...). The COPY statements that follow one another with nothing but comments between
 * them (the data section of a pg_dump, or of each database of a pg_dumpall) form a run:
 *
 * <ol>
 *   <li>Before the first COPY of a run, the main connection waits until psql has carried out
 *       everything before it (a marker query that psql prints back), then releases the run.
 *   <li>Each COPY of a released run is claimed by the first reader to reach it, which loads it; the
 *       others skip its data. Another reader loads over a psql of its own, opened for the run with
 *       the session set up as the main one is there, and closed when the run ends.
 *   <li>The main connection goes past the run only when those psql sessions have ended.
 * </ol>
 *
 * So every statement other than a COPY runs exactly where it stands in the dump, after all that
 * comes before it, and no other connection is open then (a {@code DROP DATABASE} finds none); only
 * the order of the COPYs within a run changes, as with pg_restore's jobs. A COPY inside a
 * transaction block the dump opens stays on the main connection. There is no single transaction
 * over several connections: a caller that needs "all or nothing" restores into a database of its
 * own and drops it on failure. The first failure on any connection stops all of them and is the one
 * reported.
 */
public final class ParallelLoad {

  /** The dump as one reader sees it: its lines and its own copy of the restore's filter. */
  public interface Source extends Closeable {
    SqlLineReader lines();

    SqlStreamFilter filter();

    /**
     * What the main connection is sent before the lines: the part of the dump the filter has read
     * already (a pg_dumpall section's head). Other readers leave it out.
     */
    default byte[] head() {
      return new byte[0];
    }
  }

  /**
   * Opens the dump from its start for one reader ({@code main}: the main connection's, which shows
   * progress).
   */
  @FunctionalInterface
  public interface Opener {
    Source open(boolean main) throws IOException;
  }

  /**
   * The readers of a plain backup file: the main one shows {@code progress} and reads through
   * {@code mainFilter} (whose counts the caller reports), the others through new {@code filters}.
   */
  public static Opener readers(
      Path file,
      RestoreProgress progress,
      DumpKind kind,
      SqlStreamFilter mainFilter,
      Supplier<SqlStreamFilter> filters) {
    return main ->
        main
            ? source(SqlFeed.restoreStream(file, progress, kind), mainFilter)
            : source(SqlFeed.restoreStream(file, kind), filters.get());
  }

  /** A source reading {@code sql} through {@code filter}. */
  private static Source source(InputStream sql, SqlStreamFilter filter) {
    return source(new SqlLineReader(sql), filter, new byte[0], sql);
  }

  /**
   * A source reading {@code lines} through {@code filter}, the main connection sent {@code head}
   * first; closing it closes {@code resource}.
   */
  public static Source source(
      SqlLineReader lines, SqlStreamFilter filter, byte[] head, Closeable resource) {
    return new Source() {
      @Override
      public byte[] head() {
        return head;
      }

      @Override
      public SqlLineReader lines() {
        return lines;
      }

      @Override
      public SqlStreamFilter filter() {
        return filter;
      }

      @Override
      public void close() throws IOException {
        resource.close();
      }
    };
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What every psql of the restore is started with. */
  record Psql(
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials,
      String database,
      PsqlRun.Options options) {}

  private ParallelLoad() {}

  /**
   * Restores the dump {@code sources} opens into {@code database} over {@code connections} psql
   * connections (one: a single psql, as {@code gunzip -c | psql} would), and returns the number of
   * SQL errors reported (DO_NOT_STOP_ON_ERROR).
   */
  public static int run(
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials,
      String database,
      PsqlRun.Options options,
      int connections,
      Opener sources)
      throws InterruptedException {
    if (connections == 1) {
      return PsqlRun.run(
          runner,
          clients,
          credentials,
          database,
          options,
          SqlFeed.guarded(
              out -> {
                try (Source source = sources.open(true)) {
                  source.filter().copy(source.lines(), out);
                }
              }));
    }
    if (options.singleTransaction()) {
      throw new IllegalArgumentException("one transaction cannot span several connections");
    }
    Psql psql = new Psql(runner, clients, credentials, database, options);
    Claims claims = new Claims();
    AtomicInteger errors = new AtomicInteger();
    List<Thread> helpers = new ArrayList<>();
    for (int i = 1; i < connections; i++) {
      String name = "table-data-" + i;
      helpers.add(
          Thread.ofPlatform().name(name).start(() -> help(psql, sources, claims, errors, name)));
    }
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Markers markers = new Markers("sql-backup sync " + HexFormat.of().formatHex(random) + " ");
    AtomicBoolean stopped = new AtomicBoolean();
    try {
      errors.addAndGet(
          PsqlRun.run(
              runner,
              clients,
              credentials,
              database,
              options,
              SqlFeed.guarded(
                  out -> {
                    MainRouter router = new MainRouter(out, markers, claims);
                    try (Source source = sources.open(true)) {
                      router.write(source.head());
                      source.filter().telling(router, false).copy(source.lines(), router);
                      router.endRun();
                    } catch (Stopped e) {
                      // psql failing on its own stops its reader too: then its failure counts.
                      stopped.set(!markers.ended.isDone());
                      throw e;
                    }
                  }),
              markers));
    } catch (RuntimeException | InterruptedException e) {
      claims.fail(e, stopped.get());
    } finally {
      claims.finish();
      helpers.forEach(helper -> uninterruptibly(helper::join));
    }
    Throwable failure = claims.failure();
    if (failure == null) {
      return errors.get();
    }
    if (failure instanceof AgentException agent) {
      throw agent;
    }
    if (failure instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnsoundBackupException unsound) {
        throw PsqlRun.unsound(unsound, options);
      }
    }
    throw new AgentException(
        ExitCode.OPERATION_FAILED,
        options.what() + " failed reading the backup: " + failure.getMessage(),
        failure);
  }

  /** Something to wait for. */
  @FunctionalInterface
  private interface Wait {
    void await() throws InterruptedException;
  }

  /** Waits whatever interrupts (a thread or a psql that must end), then keeps the interrupt. */
  private static void uninterruptibly(Wait wait) {
    boolean interrupted = false;
    while (true) {
      try {
        wait.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Another reader: loads the COPYs it claims over a psql session per run. */
  private static void help(
      Psql psql, Opener sources, Claims claims, AtomicInteger errors, String name) {
    HelperRouter router = new HelperRouter(psql, claims, errors, name);
    try (Source source = sources.open(false)) {
      source.filter().telling(router, true).copy(source.lines(), router);
      router.endRun();
    } catch (Throwable e) {
      router.failed(e);
    }
  }

  /** A reader stops because another connection failed: that failure is the one to report. */
  static final class Stopped extends IOException {
    private static final long serialVersionUID = 1L;

    Stopped(Throwable cause) {
      super("stopped: another connection of the restore failed", cause);
    }
  }

  /**
   * What the readers share: which runs the main connection has released, which COPYs (numbered in
   * the order of the dump, the same for every reader) have been claimed, the psql sessions open in
   * each run, and the first failure.
   */
  static final class Claims {

    private final Map<Integer, String> claimed = new HashMap<>();
    private final Map<Integer, List<CompletableFuture<Void>>> sessions = new HashMap<>();
    private int released;
    private boolean finished;
    private Throwable failure;
    private Throwable secondary;
    private volatile boolean failed;

    synchronized void release(int run) {
      released = Math.max(released, run);
      notifyAll();
    }

    /** The main connection has read the whole dump: it releases no more runs. */
    synchronized void finish() {
      finished = true;
      notifyAll();
    }

    synchronized void awaitRelease(int run) throws IOException {
      while (released < run && !failed && !finished) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to load table data");
        }
      }
      check();
      if (released < run) {
        throw new IOException(
            "the backup read differently on another connection: it changed during the restore");
      }
    }

    /**
     * Claims COPY {@code copy} of run {@code run} (its {@code statement} must be the one every
     * reader saw there); true when it is the caller's to load. A helper passes its session's end
     * ({@code ended}) to be waited for before the main connection goes past the run.
     */
    synchronized boolean claim(int copy, String statement, int run, CompletableFuture<Void> ended)
        throws IOException {
      String seen = claimed.putIfAbsent(copy, statement);
      if (seen != null) {
        if (!seen.equals(statement)) {
          throw new IOException(
              "the backup read differently on another connection: it changed during the restore");
        }
        return false;
      }
      if (ended != null) {
        List<CompletableFuture<Void>> open = sessions.computeIfAbsent(run, r -> new ArrayList<>());
        if (open.stream().noneMatch(session -> session == ended)) {
          open.add(ended);
        }
      }
      return true;
    }

    /** The psql sessions other readers opened in {@code run}. */
    synchronized List<CompletableFuture<Void>> sessions(int run) {
      List<CompletableFuture<Void>> open = sessions.remove(run);
      return open == null ? List.of() : open;
    }

    /**
     * Records a reader's failure and stops every reader. The first failure of a reader that was not
     * {@code stopped} by another's is the one reported.
     */
    synchronized void fail(Throwable cause, boolean stopped) {
      if (stopped) {
        if (secondary == null) {
          secondary = cause;
        }
      } else if (failure == null) {
        failure = cause;
      }
      failed = true;
      notifyAll();
    }

    /** The failure to report once every reader has ended; null when all went well. */
    synchronized Throwable failure() {
      return failure != null ? failure : secondary;
    }

    /** Throws when a connection has failed, so the others stop at their next step. */
    void check() throws Stopped {
      if (failed) {
        throw new Stopped(null);
      }
    }
  }

  /**
   * Marker queries sent to the main psql and read back from its output: a marker printed means psql
   * has carried out everything before it. A random token makes the markers this restore's alone.
   */
  static final class Markers implements PsqlRun.Output {

    private final String prefix;
    private final Map<Integer, CompletableFuture<Void>> waiting = new HashMap<>();
    private int sent;

    /** Completes when psql's output ends: it has exited. */
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    Markers(String prefix) {
      this.prefix = prefix;
    }

    /** Sends a marker and waits until psql prints it. */
    void sync(OutputStream psql) throws IOException {
      CompletableFuture<Void> done = new CompletableFuture<>();
      int n;
      synchronized (this) {
        n = ++sent;
        if (ended.isDone()) {
          throw new IOException("psql has ended");
        }
        waiting.put(n, done);
      }
      psql.write(("SELECT '" + prefix + n + "' AS sync;\n").getBytes(StandardCharsets.US_ASCII));
      psql.flush();
      try {
        done.get();
      } catch (ExecutionException e) {
        throw new IOException("psql ended before the table data could start", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while restoring");
      }
    }

    @Override
    public void line(String line) {
      String text = line.strip();
      if (!text.startsWith(prefix)) {
        return;
      }
      CompletableFuture<Void> done;
      synchronized (this) {
        done = waiting.remove(Integer.parseInt(text.substring(prefix.length())));
      }
      if (done != null) {
        done.complete(null);
      }
    }

    @Override
    public void end() {
      List<CompletableFuture<Void>> left;
      synchronized (this) {
        ended.complete(null);
        left = new ArrayList<>(waiting.values());
        waiting.clear();
      }
      left.forEach(f -> f.completeExceptionally(new IOException("psql ended before its marker")));
    }
  }

  /**
   * Follows the runs of COPYs as a reader's filter shows the dump's pieces, and sends each piece
   * where this reader's role wants it (see {@link MainRouter} and {@link HelperRouter}). Every
   * reader sees the same pieces, so every reader numbers COPYs and runs alike.
   */
  abstract static class Router extends OutputStream implements Boundaries {

    final Claims claims;
    OutputStream to = OutputStream.nullOutputStream();
    int copies;
    int runs;
    boolean inRun;
    private boolean inTransaction;
    private boolean tablesCreated;

    Router(Claims claims) {
      this.claims = claims;
    }

    @Override
    public final void next(Piece piece, String firstLine) throws IOException {
      claims.check();
      switch (piece) {
        case NEUTRAL -> to = placeOf(piece);
        case SESSION -> {
          endRun();
          if (firstLine.startsWith("\\c")) {
            tablesCreated = false; // another database
          }
          to = placeOf(piece);
        }
        case OTHER -> {
          endRun();
          inTransaction = transactionAfter(firstLine, inTransaction);
          tablesCreated |= createsTable(firstLine);
          to = placeOf(piece);
        }
        case COPY -> {
          int copy = ++copies;
          if (inTransaction || !tablesCreated) {
            // In a transaction block the dump opened, its table may be created in the same open
            // transaction; without any CREATE TABLE before it (a data-only dump) the tables may
            // have foreign keys, which check rows in the order pg_dump wrote them: in place.
            endRun();
            to = placeOf(Piece.OTHER);
          } else {
            if (!inRun) {
              inRun = true;
              runs++;
              startRun(runs);
            }
            copy(copy, firstLine);
          }
        }
      }
    }

    /** Where a piece other than a COPY this reader may load goes. */
    abstract OutputStream placeOf(Piece piece);

    abstract void startRun(int run) throws IOException;

    abstract void copy(int copy, String statement) throws IOException;

    /** Ends the run in progress, if any. */
    abstract void endRun() throws IOException;

    @Override
    public void copyEnd() throws IOException {}

    @Override
    public final void write(int b) throws IOException {
      to.write(b);
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
      claims.check();
      to.write(b, off, len);
    }
  }

  /** The main connection's reader: everything goes to its psql but COPYs others claimed. */
  static final class MainRouter extends Router {

    private final OutputStream psql;
    private final Markers markers;

    MainRouter(OutputStream psql, Markers markers, Claims claims) {
      super(claims);
      this.psql = psql;
      this.markers = markers;
      this.to = psql;
    }

    @Override
    OutputStream placeOf(Piece piece) {
      return psql;
    }

    @Override
    void startRun(int run) throws IOException {
      markers.sync(psql);
      claims.check();
      claims.release(run);
    }

    @Override
    void copy(int copy, String statement) throws IOException {
      to = claims.claim(copy, statement, runs, null) ? psql : OutputStream.nullOutputStream();
    }

    @Override
    void endRun() throws IOException {
      if (!inRun) {
        return;
      }
      inRun = false;
      psql.flush(); // the end of this connection's own last COPY
      for (CompletableFuture<Void> session : claims.sessions(runs)) {
        try {
          CompletableFuture.anyOf(session, markers.ended).get();
          if (!session.isDone()) {
            throw new IOException("psql ended while table data was loading");
          }
          session.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while loading table data");
        } catch (ExecutionException e) {
          throw new Stopped(e.getCause());
        }
      }
      claims.check();
    }

    @Override
    public void flush() throws IOException {
      psql.flush();
    }
  }

  /**
   * Another reader: keeps what sets up a session, and loads the COPYs it claims over a psql of its
   * own, opened at its first claim in a run and closed at the run's end.
   */
  static final class HelperRouter extends Router {

    private final Psql psql;
    private final AtomicInteger errors;
    private final String name;
    private final SessionSetup setup = new SessionSetup();
    private Session session;

    HelperRouter(Psql psql, Claims claims, AtomicInteger errors, String name) {
      super(claims);
      this.psql = psql;
      this.errors = errors;
      this.name = name;
    }

    @Override
    OutputStream placeOf(Piece piece) {
      return piece == Piece.SESSION ? setup.next() : OutputStream.nullOutputStream();
    }

    @Override
    void startRun(int run) throws IOException {
      claims.awaitRelease(run);
    }

    @Override
    void copy(int copy, String statement) throws IOException {
      if (session == null) {
        session = new Session();
      }
      if (!claims.claim(copy, statement, runs, session.ended)) {
        to = OutputStream.nullOutputStream();
        return;
      }
      if (!session.launched()) {
        session.launch(psql, name);
        setup.writeTo(session.stdin());
      }
      to = session.stdin();
    }

    @Override
    public void copyEnd() throws IOException {
      if (session != null && session.launched()) {
        session.stdin().flush(); // psql gets the end of the COPY it is loading now
      }
    }

    @Override
    void endRun() throws IOException {
      inRun = false;
      if (session != null) {
        Session ending = session;
        session = null;
        errors.addAndGet(ending.close(false));
      }
    }

    /** Ends this reader after {@code e}: its session too, and says which failure counts. */
    void failed(Throwable e) {
      Throwable cause = e;
      if (session != null) {
        Session ending = session;
        session = null;
        boolean psqlFailed = ending.writeFailed() || ending.ended.isCompletedExceptionally();
        try {
          ending.close(true);
        } catch (AgentException sessionFailure) {
          if (psqlFailed) {
            cause = sessionFailure; // psql failed on its own: its error is the cause
          }
        } catch (IOException | RuntimeException aborted) {
          // psql was made to give up: the reader's own failure is the one to report.
        }
      }
      claims.fail(cause, cause instanceof Stopped);
    }
  }

  /**
   * The session statements a helper has seen: those since the last {@code \connect}, after the
   * meta-commands that set psql itself up. A helper's psql gets them before its first COPY, so its
   * session is the main one's at that point. psql's restricted mode ({@code \restrict}) is not
   * copied: a helper's psql gets only these statements and COPY data.
   */
  static final class SessionSetup {
    private final ByteArrayOutputStream psqlSettings = new ByteArrayOutputStream();
    private final ByteArrayOutputStream connect = new ByteArrayOutputStream();
    private final ByteArrayOutputStream statements = new ByteArrayOutputStream();
    private final ByteArrayOutputStream piece = new ByteArrayOutputStream();

    /** Where the next session piece goes: kept aside until it is whole. */
    OutputStream next() {
      settle();
      return piece;
    }

    private void settle() {
      if (piece.size() == 0) {
        return;
      }
      String text = piece.toString(StandardCharsets.UTF_8);
      String command = text.startsWith("\\") ? text.split("\\s", 2)[0] : "";
      switch (command) {
        case "" -> statements.writeBytes(piece.toByteArray());
        case "\\connect", "\\c" -> {
          connect.reset();
          statements.reset();
          connect.writeBytes(piece.toByteArray());
        }
        case "\\restrict", "\\unrestrict" -> {}
        default -> psqlSettings.writeBytes(piece.toByteArray());
      }
      piece.reset();
    }

    void writeTo(OutputStream psql) throws IOException {
      settle();
      psqlSettings.writeTo(psql);
      connect.writeTo(psql);
      statements.writeTo(psql);
    }
  }

  /** A helper's psql, open while it loads the COPYs of one run. */
  static final class Session {
    private final CompletableFuture<OutputStream> stdin = new CompletableFuture<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final CompletableFuture<Integer> result = new CompletableFuture<>();

    /** Completes when psql has ended (exceptionally when it failed). */
    final CompletableFuture<Void> ended = result.thenApply(errors -> null);

    private volatile boolean abort;
    private volatile SqlFeed.WatchedOutput watched;
    private boolean launched;

    boolean launched() {
      return launched;
    }

    /** Whether a write to psql failed: psql had ended. */
    boolean writeFailed() {
      return watched != null && watched.failed();
    }

    /** Starts psql; its standard input is {@link #stdin()} until the session is closed. */
    void launch(Psql psql, String name) {
      launched = true;
      Thread.ofPlatform()
          .name(name + "-psql")
          .start(
              () -> {
                try {
                  result.complete(
                      PsqlRun.run(
                          psql.runner(),
                          psql.clients(),
                          psql.credentials(),
                          psql.database(),
                          psql.options(),
                          in -> {
                            watched = new SqlFeed.WatchedOutput(in);
                            stdin.complete(new BufferedOutputStream(watched, 1 << 16));
                            uninterruptibly(done::await);
                            if (abort) {
                              SqlFeed.abort(in);
                            }
                          }));
                } catch (Throwable e) {
                  result.completeExceptionally(e); // first: a reader waiting on stdin checks it
                  stdin.completeExceptionally(e);
                }
              });
    }

    OutputStream stdin() throws IOException {
      try {
        return stdin.get();
      } catch (ExecutionException e) {
        throw new IOException("psql did not start", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while starting psql");
      }
    }

    /**
     * Ends the session ({@code abort}: psql gives up on what it has) and returns its SQL error
     * count; throws psql's failure.
     */
    int close(boolean abort) throws IOException {
      if (!launched) {
        return 0;
      }
      IOException unflushed = null;
      if (!abort && stdin.isDone() && !stdin.isCompletedExceptionally()) {
        try {
          stdin().flush();
        } catch (IOException e) {
          unflushed = e;
          abort = true;
        }
      }
      this.abort = abort;
      done.countDown();
      try {
        int errors = result.get();
        if (unflushed != null) {
          throw unflushed;
        }
        return errors;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AgentException agent) {
          throw agent;
        }
        throw new IOException(e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while ending psql");
      }
    }
  }

  /** Whether a statement starting with {@code line} creates a table. */
  static boolean createsTable(String line) {
    return line.regionMatches(true, 0, "CREATE TABLE ", 0, 13)
        || line.regionMatches(true, 0, "CREATE UNLOGGED TABLE ", 0, 22);
  }

  /**
   * Whether a transaction block is open after the statement starting with {@code line}, given
   * whether one was before: {@code BEGIN} and {@code START TRANSACTION} open one, {@code COMMIT},
   * {@code END}, {@code ABORT} and {@code ROLLBACK} (but not {@code ROLLBACK TO}) close it.
   */
  static boolean transactionAfter(String line, boolean open) {
    String text = line.strip().toUpperCase(Locale.ROOT);
    String word = text.split("[\\s;]", 2)[0];
    return switch (word) {
      case "BEGIN" -> true;
      case "START" -> text.startsWith("START TRANSACTION") || open;
      case "COMMIT", "END", "ABORT" -> false;
      case "ROLLBACK" -> text.matches("ROLLBACK\\s+(WORK\\s+|TRANSACTION\\s+)?TO\\b.*") && open;
      default -> open;
    };
  }
}
