package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessFailedException;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.CodecException;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.DatabaseNames;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a custom or directory archive with {@code pg_restore --jobs}, stopping at the first
 * error unless told otherwise. Callers add {@code --clean --if-exists} where the archive's objects
 * replace existing ones ({@link #REPLACE}); an empty database gets none, since pg_restore's
 * cleaning can fail where the objects are missing. Progress is reported in archive items.
 */
public final class PgRestoreRun {

  private static final Logger log = LoggerFactory.getLogger(PgRestoreRun.class);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);
  private static final Pattern IGNORED = Pattern.compile("errors ignored on restore: (\\d+)");

  /** The arguments that make the archive's objects replace those of an existing database. */
  public static final List<String> REPLACE = List.of("--clean", "--if-exists");

  private PgRestoreRun() {}

  /**
   * Undoes what a parallel restore that stopped left in the target, so that one job can start over:
   * a database the restore created is made afresh; one whose objects the restore replaces ({@link
   * #REPLACE}) needs nothing.
   */
  @FunctionalInterface
  public interface StartOver {

    /** For a restore that replaces the archive's objects where they exist. */
    StartOver NOTHING = () -> {};

    void prepare() throws InterruptedException;
  }

  /**
   * Runs pg_restore into {@code database} and returns the number of errors it went past. A parallel
   * restore that stops at a failed statement starts over once with one job (after {@code
   * startOver}): jobs run a step as soon as the steps the archive says it needs are done, so a
   * dependency pg_dump did not record makes a sound archive fail (older pg_dump versions missed
   * those of foreign keys referencing partitioned tables, and PostgreSQL's regression database has
   * failed that way once in many runs with 15.18); one job restores in the archive's order.
   */
  public static int run(
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials,
      String database,
      ArchiveBackup.Checked archive,
      int jobs,
      PsqlRun.Options options,
      List<String> extraArgs,
      StartOver startOver,
      Clock clock)
      throws InterruptedException {
    boolean fed = EncryptedArchiveFeed.needed(archive.restorable());
    // pg_restore reads an encrypted archive from a pipe, which allows one job only.
    int effectiveJobs = fed ? 1 : jobs;
    log.info(
        "restoring with pg_restore, {} {}{}",
        effectiveJobs,
        effectiveJobs == 1 ? "job" : "jobs",
        fed && jobs > 1 ? " (the encrypted archive is read from its standard input)" : "");
    Attempt first = new Attempt(runner, clients, credentials, database, archive, options, clock);
    try {
      return first.run(effectiveJobs, extraArgs);
    } catch (AgentException e) {
      if (effectiveJobs == 1 || !first.statementFailed) {
        throw e;
      }
      log.warn(
          "pg_restore with {} jobs stopped at a failed statement ({}); starting over with one job,"
              + " which restores in the archive's order",
          effectiveJobs,
          first.firstError);
      try {
        startOver.prepare();
        int ignored =
            new Attempt(runner, clients, credentials, database, archive, options, clock)
                .run(1, extraArgs);
        log.info("the restore with one job succeeded where {} jobs had stopped", effectiveJobs);
        return ignored;
      } catch (AgentException serial) {
        serial.addSuppressed(e);
        throw serial;
      }
    }
  }

  /** One pg_restore process, and the first error it reported. */
  private static final class Attempt {
    private final ProcessRunner runner;
    private final ClientTools.Clients clients;
    private final PgCredentials credentials;
    private final String database;
    private final ArchiveBackup.Checked archive;
    private final PsqlRun.Options options;
    private final Clock clock;
    private String firstError;
    private boolean statementFailed;

    Attempt(
        ProcessRunner runner,
        ClientTools.Clients clients,
        PgCredentials credentials,
        String database,
        ArchiveBackup.Checked archive,
        PsqlRun.Options options,
        Clock clock) {
      this.runner = runner;
      this.clients = clients;
      this.credentials = credentials;
      this.database = database;
      this.archive = archive;
      this.options = options;
      this.clock = clock;
    }

    int run(int jobs, List<String> extraArgs) throws InterruptedException {
      boolean fed = EncryptedArchiveFeed.needed(archive.restorable());
      List<String> argv =
          new ArrayList<>(
              List.of(
                  clients.tool("pg_restore"),
                  "--no-password",
                  "--verbose",
                  "--jobs=" + jobs,
                  "--dbname=" + DatabaseNames.connInfo(database)));
      if (options.stopOnError()) {
        argv.add("--exit-on-error");
      }
      argv.addAll(extraArgs);
      if (!fed) {
        argv.add(archive.restorable().toString());
      }
      Map<String, String> env = new HashMap<>(credentials.environment());
      env.put("PGOPTIONS", "-c client_min_messages=warning");
      AtomicInteger items = new AtomicInteger();
      AtomicInteger ignored = new AtomicInteger();
      AtomicReference<String> error = new AtomicReference<>();
      AtomicReference<Instant> lastLine = new AtomicReference<>(clock.instant());
      ProcessSpec spec =
          ProcessSpec.of("pg_restore", argv)
              .withEnvironment(env)
              .withStderrLine(
                  line -> {
                    if (line.contains("error:")) {
                      error.compareAndSet(null, line.strip());
                      log.warn("[pg_restore] {}", line);
                    } else if (line.contains("processing item")
                        || line.contains("launching item")
                        || line.contains("creating ")
                        || line.contains("processing data")) {
                      items.incrementAndGet();
                      progress(items.get(), archive.items(), clock, lastLine);
                    } else {
                      log.debug("[pg_restore] {}", line);
                    }
                    Matcher m = IGNORED.matcher(line);
                    if (m.find()) {
                      ignored.set(Integer.parseInt(m.group(1)));
                    }
                  });
      if (options.timeout().isPresent()) {
        spec = spec.withTimeout(options.timeout().get());
      }
      Optional<EncryptedArchiveFeed> feed =
          fed ? Optional.of(EncryptedArchiveFeed.of(archive.restorable())) : Optional.empty();
      if (feed.isPresent()) {
        spec = spec.withStdin(feed.get());
      }
      try {
        runner.run(spec);
        return 0;
      } catch (CodecException e) {
        throw e.toAgentException(archive.restorable().getFileName().toString());
      } catch (ProcessFailedException e) {
        if (feed.isPresent() && feed.get().failure().isPresent()) {
          throw feed.get()
              .failure()
              .get()
              .toAgentException(archive.restorable().getFileName().toString());
        }
        if (!options.stopOnError() && !e.timedOut() && e.exitStatus() == 1 && ignored.get() > 0) {
          return ignored.get(); // pg_restore exits 1 after going past errors
        }
        firstError = error.get() == null ? e.lastStderrLine() : error.get();
        ExitCode code = e.timedOut() ? ExitCode.OPERATION_FAILED : classify(firstError);
        statementFailed =
            !e.timedOut()
                && code == ExitCode.OPERATION_FAILED
                && firstError.contains("could not execute query");
        throw new AgentException(
            code,
            options.what()
                + (e.timedOut() ? " ran past RESTORE_TIMEOUT" : " failed")
                + ": "
                + firstError,
            e);
      } catch (IOException e) {
        throw new AgentException(
            ExitCode.OPERATION_FAILED, options.what() + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static ExitCode classify(String cause) {
    if (cause.contains("password authentication failed")) {
      return ExitCode.AUTH_FAILED;
    }
    return cause.contains("connection to server")
        ? ExitCode.UNREACHABLE
        : ExitCode.OPERATION_FAILED;
  }

  private static void progress(
      int done, int total, Clock clock, AtomicReference<Instant> lastLine) {
    Instant now = clock.instant();
    Instant last = lastLine.get();
    if (Duration.between(last, now).compareTo(PROGRESS_INTERVAL) >= 0
        && lastLine.compareAndSet(last, now)) {
      log.info("restore: {} of about {} archive items", done, total);
    }
  }
}
