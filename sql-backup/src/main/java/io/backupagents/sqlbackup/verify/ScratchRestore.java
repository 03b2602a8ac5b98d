package io.backupagents.sqlbackup.verify;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Background;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.logging.Units;
import io.backupagents.sqlbackup.load.ArchiveBackup;
import io.backupagents.sqlbackup.load.BackupIntegrity;
import io.backupagents.sqlbackup.load.DatabaseCreation;
import io.backupagents.sqlbackup.load.ParallelLoad;
import io.backupagents.sqlbackup.load.PgRestoreRun;
import io.backupagents.sqlbackup.load.PsqlRun;
import io.backupagents.sqlbackup.load.RestoreProgress;
import io.backupagents.sqlbackup.load.SqlFeed;
import io.backupagents.sqlbackup.load.TargetServer;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.script.DumpKind;
import io.backupagents.sqlbackup.script.ScratchFilter;
import io.backupagents.sqlbackup.script.SqlLineReader;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the databases of one checked backup into the scratch database, one at a time: create it
 * (marked as verify's), restore one database through {@link ScratchFilter}, compare it with its
 * source, drop it, next.
 */
final class ScratchRestore {

  /** Marks the scratch database, so a leftover from a killed run is recognised and replaced. */
  static final String SCRATCH_COMMENT = "sql-backup verify: scratch database, dropped after use";

  /** The advisory lock a run holds on its scratch database's server: this and the name. */
  static final String LOCK_PREFIX = "sql-backup verify: ";

  private static final Logger log = LoggerFactory.getLogger(ScratchRestore.class);

  /**
   * Where the restore goes and what it is compared with.
   *
   * @param session a session on the scratch server, which takes the lock and makes the scratch
   *     database
   */
  record Target(
      TargetServer.Session session,
      PgCredentials scratch,
      SanityCheck.Source source,
      ClientTools.Clients clients) {}

  private final VerifySettings settings;
  private final TargetServer.Session session;
  private final TargetServer target;
  private final PgCredentials scratch;
  private final SanityCheck.Source source;
  private final ClientTools.Clients clients;
  private final Optional<Duration> timeout;
  private final int jobs;
  private final Supplier<Path> workDir;
  private final RunContext context;

  /**
   * @param workDir makes a directory the run deletes at its end (for pg_restore's lists)
   */
  ScratchRestore(
      VerifySettings settings,
      Target where,
      Optional<Duration> timeout,
      int jobs,
      Supplier<Path> workDir,
      RunContext context) {
    this.settings = settings;
    this.session = where.session();
    this.target = session.server();
    this.scratch = where.scratch();
    this.source = where.source();
    this.clients = where.clients();
    this.timeout = timeout;
    this.jobs = jobs;
    this.workDir = workDir;
    this.context = context;
  }

  /**
   * Restores and checks every database of the backup, returning what each held, after taking the
   * scratch database's lock on its server (held until the session ends): a second verify run with
   * the same scratch database would take it for a leftover and drop it under the first (sessions
   * and all).
   */
  List<SanityCheck.Report> all(BackupIntegrity.Checked checked)
      throws IOException, InterruptedException {
    String name = settings.scratchDatabase();
    if (!session.tryLock(LOCK_PREFIX + name)) {
      throw new AgentException(
          ExitCode.GUARD_REFUSED,
          "another verify run is using the scratch database "
              + name
              + " on "
              + target.where()
              + ": verify runs at the same time against one server need different VERIFY_DATABASE"
              + " names");
    }
    String label = BackupName.databaseOf(checked.name().label());
    if (checked.archive().isPresent()) {
      Optional<DatabaseProperties> properties =
          DatabaseCreation.of(checked, context.processes(), clients);
      return List.of(one(label, properties, () -> archive(checked, properties)));
    }
    List<SanityCheck.Report> reports = new ArrayList<>();
    Path file = checked.fetched().file();
    DumpKind kind = checked.kind().orElseThrow();
    if (!checked.cluster()) {
      Optional<DatabaseProperties> properties =
          DatabaseCreation.of(checked, context.processes(), clients);
      return List.of(one(label, properties, () -> database(checked, file, kind)));
    }
    try (RestoreProgress progress =
            RestoreProgress.start("verify", Files.size(file), context.clock());
        InputStream sql = SqlFeed.restoreStream(file, progress, kind);
        SectionReaders others = new SectionReaders(file, kind)) {
      SqlLineReader lines = new SqlLineReader(sql);
      ScratchFilter globals = new ScratchFilter(true);
      globals.copy(lines, OutputStream.nullOutputStream()); // roles are not restored
      Optional<String> next = globals.nextDatabase();
      for (int section = 0; next.isPresent(); section++) {
        lines.next(); // the header line itself
        ScratchFilter filter = new ScratchFilter(true, jobs == 1);
        // The section's head, up to its CREATE DATABASE, says how to create the scratch database.
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        filter.copyHead(lines, head);
        int index = section;
        reports.add(
            one(
                next.get(),
                filter.createDatabase(),
                jobs == 1
                    ? () -> section(checked, lines, filter, head.toByteArray())
                    : () ->
                        sectionInParallel(
                            checked, lines, filter, head.toByteArray(), others, index)));
        next = filter.nextDatabase();
      }
    }
    return reports;
  }

  /**
   * Restores one database of a dumpall with its table data over {@code jobs} connections, as a
   * single-database backup is: the main connection reads on from where the section starts; every
   * other reader reads the file once through, section by section ({@link SectionReaders}). The
   * section's head (what pg_dump writes before its CREATE DATABASE: settings, psql's restricted
   * mode) goes to the main connection first.
   */
  private void sectionInParallel(
      BackupIntegrity.Checked checked,
      SqlLineReader lines,
      ScratchFilter filter,
      byte[] head,
      SectionReaders others,
      int section)
      throws InterruptedException {
    // The main stream reads on into the next section: closing the source leaves it open.
    ParallelLoad.Source main = ParallelLoad.source(lines, filter, head, () -> {});
    try {
      load(checked, isMain -> isMain ? main : others.open(section));
    } finally {
      others.sectionDone();
    }
  }

  /** Restores what {@code readers} read into the scratch database over {@code jobs} connections. */
  private void load(BackupIntegrity.Checked checked, ParallelLoad.Opener readers)
      throws InterruptedException {
    restoreFailure(
        checked,
        () ->
            ParallelLoad.run(
                context.processes(),
                clients,
                scratch,
                settings.scratchDatabase(),
                new PsqlRun.Options("restore of " + checked.name(), true, jobs == 1, timeout),
                jobs,
                readers));
  }

  /**
   * The readers of a dumpall other than the main one: each reads the file once, from its start,
   * through the sections in order. A reader serves one connection of a section's restore, and the
   * next section's once that restore is over (one that ends its part early must not be handed to
   * another connection of the same section).
   */
  private static final class SectionReaders implements Closeable {

    private final Path file;
    private final DumpKind kind;
    private final Deque<Reader> idle = new ArrayDeque<>();
    private final List<Reader> busy = new ArrayList<>();

    SectionReaders(Path file, DumpKind kind) {
      this.file = file;
      this.kind = kind;
    }

    /** One reader, positioned at the start of section {@code section}'s restore. */
    ParallelLoad.Source open(int section) throws IOException {
      Reader reader;
      synchronized (this) {
        reader = idle.poll();
      }
      if (reader == null) {
        reader = new Reader(SqlFeed.restoreStream(file, kind));
      }
      synchronized (this) {
        busy.add(reader);
      }
      // A reader's stream goes on into the next section: SectionReaders closes it at the end.
      return ParallelLoad.source(reader.lines, reader.startOf(section), new byte[0], () -> {});
    }

    /** The section's restore is over: its readers serve the next section. */
    synchronized void sectionDone() {
      idle.addAll(busy);
      busy.clear();
    }

    @Override
    public synchronized void close() throws IOException {
      sectionDone();
      IOException failure = null;
      for (Reader r : idle) {
        try {
          r.sql.close();
        } catch (IOException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }

    /** One pass over the file; {@code next} is the section whose header comes next. */
    private static final class Reader {
      final InputStream sql;
      final SqlLineReader lines;
      int next = -1; // the globals have not been read past yet

      Reader(InputStream sql) {
        this.sql = sql;
        this.lines = new SqlLineReader(sql);
      }

      /** Reads up to the restore of {@code section} and returns its filter, past the head. */
      ScratchFilter startOf(int section) throws IOException {
        OutputStream none = OutputStream.nullOutputStream();
        if (next < 0) {
          new ScratchFilter(true).copy(lines, none);
          next = 0;
        }
        while (next < section) {
          lines.next();
          ScratchFilter skipped = new ScratchFilter(true, false);
          skipped.copyHead(lines, none);
          skipped.copy(lines, none);
          next++;
        }
        if (next != section) {
          throw new IllegalStateException("section " + section + " is behind this reader");
        }
        lines.next();
        ScratchFilter filter = new ScratchFilter(true, false);
        filter.copyHead(lines, none);
        next = section + 1; // the restore reads the section to its end
        return filter;
      }
    }
  }

  /** Restores into a fresh scratch database, checks it, and drops it whatever happens. */
  private SanityCheck.Report one(
      String sourceDatabase, Optional<DatabaseProperties> properties, Restore restore)
      throws IOException, InterruptedException {
    String name = settings.scratchDatabase();
    prepareScratch(properties);
    SanityCheck.Restored restored;
    try {
      Instant start = context.clock().instant();
      restore.run();
      log.info(
          "{}: restored into {} in {}; comparing it with its source",
          sourceDatabase,
          name,
          Units.duration(Duration.between(start, context.clock().instant())));
      restored = SanityCheck.count(scratch, name, settings);
    } catch (IOException | InterruptedException | RuntimeException e) {
      target.drop(name);
      throw e;
    }
    // Counted: the scratch database goes while the source is read.
    Background<Void> drop =
        Background.start(
            "the drop of " + name,
            () -> {
              target.drop(name);
              return null;
            });
    SanityCheck.Report report;
    try {
      report = SanityCheck.compare(restored, source, sourceDatabase, settings);
    } catch (RuntimeException e) {
      try {
        drop.get();
      } catch (RuntimeException dropFailure) {
        e.addSuppressed(dropFailure);
      }
      throw e;
    }
    drop.get();
    log.info("{}", describe(report));
    return report;
  }

  /**
   * Restores a single-database backup into the scratch database, its table data over {@code jobs}
   * connections: the scratch database goes after the check whatever happens, so one transaction is
   * not needed.
   */
  private void database(BackupIntegrity.Checked checked, Path file, DumpKind kind)
      throws IOException, InterruptedException {
    try (RestoreProgress progress =
        RestoreProgress.start("verify", Files.size(file), context.clock())) {
      load(
          checked,
          ParallelLoad.readers(
              file,
              progress,
              kind,
              new ScratchFilter(false, jobs == 1),
              () -> new ScratchFilter(false, jobs == 1)));
    }
  }

  private void section(
      BackupIntegrity.Checked checked, SqlLineReader lines, ScratchFilter f, byte[] head)
      throws InterruptedException {
    psql(
        checked,
        "restore of " + checked.name(),
        out -> {
          out.write(head);
          f.copy(lines, out);
        });
  }

  /** Runs SQL through psql into the scratch database, in one transaction. */
  private void psql(BackupIntegrity.Checked checked, String what, SqlFeed.Body sql)
      throws InterruptedException {
    restoreFailure(
        checked,
        () ->
            PsqlRun.run(
                context.processes(),
                clients,
                scratch,
                settings.scratchDatabase(),
                new PsqlRun.Options(what, true, true, timeout),
                SqlFeed.guarded(sql)));
  }

  /**
   * Restores an archive with pg_restore, leaving out what names roles (owners, grants, user
   * mappings, subscriptions) and restoring its policies afterwards through {@link ScratchFilter},
   * which drops their roles as from a plain dump.
   */
  private void archive(BackupIntegrity.Checked checked, Optional<DatabaseProperties> properties)
      throws IOException, InterruptedException {
    ArchiveBackup.Checked archive = checked.archive().orElseThrow();
    ScratchArchiveList list = ScratchArchiveList.of(archive.toc());
    List<String> args = new ArrayList<>(List.of("--no-owner", "--no-acl", "--no-subscriptions"));
    Optional<Path> policies = Optional.empty();
    if (list.needed()) {
      Path lists = workDir.get();
      args.add("--use-list=" + Files.writeString(lists.resolve("restored.list"), list.restored()));
      if (list.policyCount() > 0) {
        policies = Optional.of(Files.writeString(lists.resolve("policies.list"), list.policies()));
      }
      log.info(
          "{} user mappings left out of the scratch restore, {} policies restored after it without"
              + " their roles (the scratch server need not have them)",
          list.userMappings(),
          list.policyCount());
    }
    restoreFailure(
        checked,
        () ->
            PgRestoreRun.run(
                context.processes(),
                clients,
                scratch,
                settings.scratchDatabase(),
                archive,
                jobs,
                new PsqlRun.Options("restore of " + checked.name(), true, false, timeout),
                args,
                () -> {
                  target.drop(settings.scratchDatabase());
                  target.createScratch(settings.scratchDatabase(), properties, SCRATCH_COMMENT);
                },
                context.clock()));
    if (policies.isPresent()) {
      byte[] sql = ArchiveBackup.script(context.processes(), clients, archive, policies.get());
      ScratchFilter filter = new ScratchFilter(false);
      psql(
          checked,
          "restore of the policies of " + checked.name(),
          out -> filter.copy(new SqlLineReader(new ByteArrayInputStream(sql)), out));
    }
  }

  /** A restore that fails on the backup's content means the backup does not restore. */
  private void restoreFailure(BackupIntegrity.Checked checked, Step step)
      throws InterruptedException {
    try {
      step.run();
    } catch (AgentException e) {
      if (e.exitCode() != ExitCode.OPERATION_FAILED) {
        throw e;
      }
      throw new AgentException(
          ExitCode.VERIFY_FAILED, checked.name() + " does not restore: " + e.getMessage(), e);
    }
  }

  private void prepareScratch(Optional<DatabaseProperties> properties) {
    String name = settings.scratchDatabase();
    if (session.exists(name)) {
      if (!SCRATCH_COMMENT.equals(session.comment(name))) {
        throw new AgentException(
            ExitCode.GUARD_REFUSED,
            "database "
                + name
                + " exists on "
                + target.where()
                + " and verify did not make it: set VERIFY_DATABASE to a name not in use");
      }
      log.info("replacing scratch database {} left by an earlier run", name);
      session.drop(name);
    }
    session.createScratch(name, properties, SCRATCH_COMMENT);
  }

  private static String describe(SanityCheck.Report r) {
    String largest =
        r.largest().stream()
            .map(
                t ->
                    t.table()
                        + " "
                        + t.rows()
                        + (t.sourceRows().isPresent()
                            ? " (source " + t.sourceRows().getAsLong() + ")"
                            : ""))
            .collect(Collectors.joining(", "));
    return r.database()
        + ": "
        + r.tables()
        + " tables"
        + (r.sourceTables().isPresent() ? " (source " + r.sourceTables().getAsInt() + ")" : "")
        + (largest.isEmpty() ? "" : "; rows: " + largest);
  }

  @FunctionalInterface
  private interface Restore {
    void run() throws IOException, InterruptedException;
  }

  @FunctionalInterface
  private interface Step {
    Object run() throws InterruptedException;
  }
}
