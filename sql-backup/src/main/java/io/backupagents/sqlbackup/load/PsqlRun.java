package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessFailedException;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.DatabaseNames;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds SQL to psql on its standard input: ON_ERROR_STOP unless told otherwise, optionally in one
 * transaction (a failure then leaves the database as it was), SQL errors counted and logged, the
 * password only in the password file. psql's exit status becomes an exit code with a one-line
 * cause.
 */
public final class PsqlRun {

  private static final Logger log = LoggerFactory.getLogger(PsqlRun.class);
  private static final int LOGGED_ERRORS = 20;

  /**
   * How to run psql.
   *
   * @param what names the restore in messages, e.g. "restore of backup-...sql.gz into app"
   */
  public record Options(
      String what, boolean stopOnError, boolean singleTransaction, Optional<Duration> timeout) {}

  /** Reads what psql prints: its query results. */
  public interface Output {
    void line(String line);

    /** psql's output has ended: it exited. */
    void end();
  }

  private PsqlRun() {}

  /** Runs psql in {@code database} and returns the number of SQL errors it reported. */
  public static int run(
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials,
      String database,
      Options options,
      ProcessSpec.StdinWriter input)
      throws InterruptedException {
    return run(runner, clients, credentials, database, options, input, null);
  }

  /**
   * Runs psql in {@code database}, showing what it prints to {@code stdout} (null: nobody), and
   * returns the number of SQL errors it reported.
   */
  public static int run(
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials,
      String database,
      Options options,
      ProcessSpec.StdinWriter input,
      Output stdout)
      throws InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(
            clients.tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--set=ON_ERROR_STOP=" + (options.stopOnError() ? "1" : "0"),
            "--dbname=" + DatabaseNames.connInfo(database),
            "--file=-"));
    if (options.singleTransaction()) {
      argv.add("--single-transaction");
    }
    Map<String, String> env = new HashMap<>(credentials.environment());
    // DROP ... IF EXISTS on a fresh server notices every missing object: keep only warnings.
    env.put("PGOPTIONS", "-c client_min_messages=warning");
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<UnsoundBackupException> unsound = new AtomicReference<>();
    List<String> firstErrors = new ArrayList<>();
    ProcessSpec spec =
        ProcessSpec.of("psql", argv)
            .withEnvironment(env)
            .withStdin(
                stdin -> {
                  try {
                    input.write(stdin);
                  } catch (UnsoundBackupException e) {
                    unsound.set(e);
                    throw e;
                  }
                })
            .withStderrLine(line -> stderrLine(line, errors, firstErrors));
    if (stdout != null) {
      spec =
          spec.withStdout(
              out -> {
                try {
                  // Latin-1 never fails to decode; the lines looked for are ASCII.
                  BufferedReader lines =
                      new BufferedReader(new InputStreamReader(out, StandardCharsets.ISO_8859_1));
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    stdout.line(line);
                  }
                } finally {
                  stdout.end();
                }
              });
    }
    if (options.timeout().isPresent()) {
      spec = spec.withTimeout(options.timeout().get());
    }
    try {
      runner.run(spec);
    } catch (ProcessFailedException e) {
      if (unsound.get() != null) {
        throw unsound(unsound.get(), options); // psql failed because it was made to give up
      }
      throw failure(e, options, credentials, firstErrors);
    } catch (UnsoundBackupException e) {
      throw unsound(e, options);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          options.what() + " failed reading the backup: " + e.getMessage(),
          e);
    }
    return errors.get();
  }

  private static void stderrLine(String line, AtomicInteger errors, List<String> firstErrors) {
    if (line.contains("ERROR:") || line.contains("FATAL:")) {
      int n = errors.incrementAndGet();
      synchronized (firstErrors) {
        if (firstErrors.isEmpty()) {
          firstErrors.add(line.strip());
        }
      }
      if (n <= LOGGED_ERRORS) {
        log.warn("[psql] {}", line);
      } else if (n == LOGGED_ERRORS + 1) {
        log.warn("[psql] more SQL errors follow; only their number is reported");
      }
    } else if (line.contains("NOTICE:") || line.isBlank()) {
      log.debug("[psql] {}", line);
    } else {
      log.warn("[psql] {}", line);
    }
  }

  /** The backup turned out corrupt or incomplete while it streamed: psql was made to give up. */
  static AgentException unsound(UnsoundBackupException e, Options options) {
    return new AgentException(
        ExitCode.VERIFY_FAILED,
        options.what()
            + " gave up"
            + (options.singleTransaction() ? ", and nothing of it was kept" : "")
            + ": "
            + e.getMessage(),
        e);
  }

  private static AgentException failure(
      ProcessFailedException e, Options options, PgCredentials credentials, List<String> errors) {
    String first;
    synchronized (errors) {
      first = errors.isEmpty() ? e.lastStderrLine() : errors.get(0);
    }
    String where =
        credentials.environment().get("PGHOST") + ":" + credentials.environment().get("PGPORT");
    if (e.timedOut()) {
      return new AgentException(
          ExitCode.OPERATION_FAILED,
          options.what() + " ran past RESTORE_TIMEOUT (" + options.timeout().orElseThrow() + ")",
          e);
    }
    if (first.contains("password authentication failed")) {
      return new AgentException(
          ExitCode.AUTH_FAILED, options.what() + " was refused by " + where + ": " + first, e);
    }
    if (e.exitStatus() == 3) {
      return new AgentException(
          ExitCode.OPERATION_FAILED,
          options.what()
              + " stopped at the first SQL error"
              + (options.singleTransaction() ? ", and nothing of it was kept" : "")
              + ": "
              + first,
          e);
    }
    if (e.exitStatus() == 2) {
      return new AgentException(
          ExitCode.UNREACHABLE,
          options.what() + " lost its connection to " + where + ": " + first,
          e);
    }
    return new AgentException(
        ExitCode.OPERATION_FAILED, options.what() + " failed: " + e.getMessage(), e);
  }
}
