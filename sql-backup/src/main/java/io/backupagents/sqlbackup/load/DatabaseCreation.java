package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessFailedException;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.CodecException;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the database a single-database backup is restored into with the properties the backup
 * carries (encoding, locale, owner, comment, grants, settings; see {@link DatabaseProperties}), or
 * with the server's defaults when it carries none (backups of the legacy image and of earlier
 * versions).
 */
public final class DatabaseCreation {

  private static final Logger log = LoggerFactory.getLogger(DatabaseCreation.class);
  private static final Duration PG_RESTORE_TIMEOUT = Duration.ofMinutes(10);

  private DatabaseCreation() {}

  /** The properties a checked backup carries, if any. */
  public static Optional<DatabaseProperties> of(
      BackupIntegrity.Checked checked, ProcessRunner runner, ClientTools.Clients clients)
      throws InterruptedException {
    try {
      if (checked.archive().isEmpty()) {
        try (InputStream sql = SqlFeed.open(checked.fetched().file())) {
          return DatabaseProperties.fromBackupHead(sql);
        }
      }
      // An archive always holds them: pg_restore --create writes them as pg_dump --create would.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      java.nio.file.Path archive = checked.archive().get().restorable();
      boolean fed = EncryptedArchiveFeed.needed(archive);
      List<String> argv =
          new java.util.ArrayList<>(
              List.of(clients.tool("pg_restore"), "--create", "--schema-only", "--file=-"));
      if (!fed) {
        argv.add(archive.toString());
      }
      ProcessSpec spec =
          ProcessSpec.of("pg_restore --create --schema-only", argv)
              .withTimeout(PG_RESTORE_TIMEOUT)
              .withStdout(in -> in.transferTo(out));
      runner.run(fed ? spec.withStdin(EncryptedArchiveFeed.of(archive)) : spec);
      return DatabaseProperties.fromPgDump(out.toByteArray());
    } catch (CodecException e) {
      throw e.toAgentException(checked.name().fileName());
    } catch (IOException | ProcessFailedException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          "could not read the database properties of " + checked.name() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Creates {@code database} with {@code properties}; on failure nothing is left behind and the
   * cause says which statement failed.
   */
  public static void create(
      TargetServer target,
      String database,
      Optional<DatabaseProperties> properties,
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials)
      throws InterruptedException {
    if (properties.isEmpty()) {
      log.info(
          "creating database {} with the server's defaults: the backup carries no database"
              + " properties (made by the legacy image or an earlier version)",
          database);
      target.create(database);
      return;
    }
    DatabaseProperties p = properties.get();
    int later = p.afterData(database).size();
    log.info(
        "creating database {} as the backup's {} was: encoding {}, locale, owner, comment and"
            + " grants ({} statements){}{}",
        database,
        p.sourceName(),
        p.encoding().orElse("of the server"),
        p.statementCount() + 1 - later,
        p.hadTablespace() ? "; in the default tablespace, not the source's own" : "",
        later > 0 ? "; its " + later + " settings follow once the data is in" : "");
    try {
      script(
          "creation of database " + database,
          target.maintenanceDatabase(),
          p.script(database),
          runner,
          clients,
          credentials);
    } catch (AgentException e) {
      if (target.exists(database)) {
        target.drop(database);
      }
      throw new AgentException(
          e.exitCode(),
          e.getMessage()
              + " (the database was not kept; the target server needs the roles and locales the"
              + " source had)",
          e);
    }
  }

  /**
   * Gives the database the restore created the settings of {@link DatabaseProperties#afterData},
   * once its data is in.
   */
  public static void settle(
      String database,
      Optional<DatabaseProperties> properties,
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials)
      throws InterruptedException {
    if (properties.isEmpty() || properties.get().afterData(database).isEmpty()) {
      return;
    }
    DatabaseProperties p = properties.get();
    script(
        "the settings of database " + database + " (its data is restored)",
        database,
        p.afterDataScript(database),
        runner,
        clients,
        credentials);
    log.info(
        "gave database {} the backup's settings ({} statements)",
        database,
        p.afterData(database).size());
  }

  /** Runs {@code script} through psql in {@code database}, stopping at its first error. */
  private static void script(
      String what,
      String database,
      byte[] script,
      ProcessRunner runner,
      ClientTools.Clients clients,
      PgCredentials credentials)
      throws InterruptedException {
    PsqlRun.run(
        runner,
        clients,
        credentials,
        database,
        new PsqlRun.Options(what, true, false, Optional.of(PG_RESTORE_TIMEOUT)),
        stdin -> stdin.write(script));
  }
}
