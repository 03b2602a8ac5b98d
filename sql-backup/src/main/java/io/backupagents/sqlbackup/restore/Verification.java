package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.HostEnvironment;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a backup restores: checks it, restores each of its databases in turn into a scratch
 * database (on a scratch server, or on the source server), compares the result with the source, and
 * drops the scratch database again. A backup that does not restore, or restores far from its
 * source, fails with VERIFY_FAILED.
 */
final class Verification {

  /** Marks the scratch database, so a leftover from a killed run is recognised and replaced. */
  static final String SCRATCH_COMMENT = "sql-backup verify: scratch database, dropped after use";

  private static final Logger log = LoggerFactory.getLogger(Verification.class);

  private final VerifySettings settings;
  private final PostgresSettings source;
  private final HostEnvironment host;
  private final Optional<Duration> timeout;
  private final int jobs;

  Verification(
      VerifySettings settings,
      PostgresSettings source,
      HostEnvironment host,
      Optional<Duration> timeout,
      int jobs) {
    this.settings = settings;
    this.source = source;
    this.host = host;
    this.timeout = timeout;
    this.jobs = jobs;
  }

  /** Verifies one backup file and returns what each of its databases held. */
  List<SanityCheck.Report> verify(
      BackupFetcher.Fetched fetched,
      Supplier<Path> workDir,
      RunContext context,
      RestoreMetrics metrics)
      throws IOException, InterruptedException {
    PostgresSettings scratchServer = settings.scratchServer().orElse(source);
    try (PgCredentials scratch = PgCredentials.create(scratchServer, host.tempDir(), host.home());
        PgCredentials sourceCredentials =
            PgCredentials.create(source, host.tempDir(), host.home())) {
      TargetServer target = TargetServer.open(scratch);
      log.info(
          "verifying {} in scratch database {} on {}",
          fetched.name(),
          settings.scratchDatabase(),
          target.where());
      ClientTools.Clients clients =
          RestoreTools.forServer(
              host,
              scratchServer,
              context.processes(),
              target.version().major(),
              fetched.name().format());
      BackupIntegrity.Checked checked =
          BackupIntegrity.check(
              fetched, workDir, context.processes(), clients, context.clock(), metrics);
      Instant start = context.clock().instant();
      ScratchRestore restore =
          new ScratchRestore(target, scratch, reachable(sourceCredentials), clients, context);
      List<SanityCheck.Report> reports = restore.all(checked);
      metrics.phase("restore", Duration.between(start, context.clock().instant()));
      return reports;
    }
  }

  /** The source server, when it answers: the comparison is skipped when it does not. */
  private static Optional<PgCredentials> reachable(PgCredentials sourceCredentials) {
    try {
      TargetServer.open(sourceCredentials);
      return Optional.of(sourceCredentials);
    } catch (AgentException e) {
      log.warn(
          "the source server cannot be reached ({}): backups are checked without comparing them"
              + " with it",
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Fails unless the reports show enough tables and no difference beyond the tolerance. */
  void requireSane(String backup, List<SanityCheck.Report> reports) {
    int tables = reports.stream().mapToInt(SanityCheck.Report::tables).sum();
    List<String> problems = new ArrayList<>();
    reports.forEach(r -> problems.addAll(r.problems()));
    if (tables < settings.minTables()) {
      problems.add(
          "it restored "
              + tables
              + " tables, fewer than VERIFY_MIN_TABLES="
              + settings.minTables());
    }
    if (!problems.isEmpty()) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          backup + " restores, but not as expected: " + String.join("; ", problems));
    }
  }

  /** Restores the databases of one checked backup into the scratch database, one at a time. */
  private final class ScratchRestore {
    private final TargetServer target;
    private final PgCredentials scratch;
    private final Optional<PgCredentials> sourceCredentials;
    private final ClientTools.Clients clients;
    private final RunContext context;

    ScratchRestore(
        TargetServer target,
        PgCredentials scratch,
        Optional<PgCredentials> sourceCredentials,
        ClientTools.Clients clients,
        RunContext context) {
      this.target = target;
      this.scratch = scratch;
      this.sourceCredentials = sourceCredentials;
      this.clients = clients;
      this.context = context;
    }

    List<SanityCheck.Report> all(BackupIntegrity.Checked checked)
        throws IOException, InterruptedException {
      String label = checked.name().label();
      if (checked.archive().isPresent()) {
        return List.of(one(label, () -> archive(checked)));
      }
      List<SanityCheck.Report> reports = new ArrayList<>();
      Path file = checked.fetched().file();
      try (RestoreProgress progress =
              RestoreProgress.start("verify", Files.size(file), context.clock());
          InputStream sql = SqlFeed.open(file, progress)) {
        SqlLineReader lines = new SqlLineReader(sql);
        if (!checked.cluster()) {
          reports.add(one(label, () -> section(checked, lines, new ScratchFilter(false))));
          return reports;
        }
        ScratchFilter globals = new ScratchFilter(true);
        globals.copy(lines, OutputStream.nullOutputStream()); // roles are not restored
        Optional<String> next = globals.nextDatabase();
        while (next.isPresent()) {
          lines.next(); // the header line itself
          ScratchFilter filter = new ScratchFilter(true);
          reports.add(one(next.get(), () -> section(checked, lines, filter)));
          next = filter.nextDatabase();
        }
      }
      return reports;
    }

    /** Restores into a fresh scratch database, checks it, and drops it whatever happens. */
    private SanityCheck.Report one(String sourceDatabase, Restore restore)
        throws IOException, InterruptedException {
      prepareScratch();
      try {
        restore.run();
        SanityCheck.Report report =
            SanityCheck.run(
                scratch, settings.scratchDatabase(), sourceCredentials, sourceDatabase, settings);
        log.info("{}", describe(report));
        return report;
      } finally {
        target.drop(settings.scratchDatabase());
      }
    }

    private void section(BackupIntegrity.Checked checked, SqlLineReader lines, ScratchFilter f)
        throws InterruptedException {
      restoreFailure(
          checked,
          () ->
              PsqlRun.run(
                  context.processes(),
                  clients,
                  scratch,
                  settings.scratchDatabase(),
                  new PsqlRun.Options("restore of " + checked.name(), true, true, timeout),
                  SqlFeed.guarded(out -> f.copy(lines, out))));
    }

    private void archive(BackupIntegrity.Checked checked) throws InterruptedException {
      restoreFailure(
          checked,
          () ->
              PgRestoreRun.run(
                  context.processes(),
                  clients,
                  scratch,
                  settings.scratchDatabase(),
                  checked.archive().orElseThrow(),
                  jobs,
                  new PsqlRun.Options("restore of " + checked.name(), true, false, timeout),
                  List.of("--no-owner", "--no-acl"),
                  context.clock()));
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

    private void prepareScratch() {
      String name = settings.scratchDatabase();
      if (target.exists(name)) {
        if (!SCRATCH_COMMENT.equals(target.comment(name))) {
          throw new AgentException(
              ExitCode.GUARD_REFUSED,
              "database "
                  + name
                  + " exists on "
                  + target.where()
                  + " and verify did not make it: set VERIFY_DATABASE to a name not in use");
        }
        log.info("replacing scratch database {} left by an earlier run", name);
        target.drop(name);
      }
      target.create(name, SCRATCH_COMMENT);
    }
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
