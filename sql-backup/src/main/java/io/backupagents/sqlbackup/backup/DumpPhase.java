package io.backupagents.sqlbackup.backup;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Background;
import io.backupagents.common.launch.RunContext;
import io.backupagents.sqlbackup.dump.DumpCommand;
import io.backupagents.sqlbackup.dump.DumpDatabaseStep;
import io.backupagents.sqlbackup.dump.DumpErrors;
import io.backupagents.sqlbackup.dump.DumpFormat;
import io.backupagents.sqlbackup.dump.DumpSettings;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.model.VerifiedDump;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.postgres.ServerProbe;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.store.StoreSession;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hourly run's dumps: checks the server (reachable, password, databases) and picks client tools
 * of a fitting version before anything is written, then dumps each database (or the whole server)
 * and publishes each verified dump. One failed database does not stop the others, but fails the
 * run.
 */
final class DumpPhase {

  private static final Logger log = LoggerFactory.getLogger(DumpPhase.class);

  private final PostgresSettings postgres;
  private final DumpSettings dump;
  private final HostEnvironment host;
  private final SqlBackupMetrics metrics;

  DumpPhase(
      PostgresSettings postgres,
      DumpSettings dump,
      HostEnvironment host,
      SqlBackupMetrics metrics) {
    this.postgres = postgres;
    this.dump = dump;
    this.host = host;
    this.metrics = metrics;
  }

  /** How plain dumps are compressed, for the start-up line. */
  private String compression() {
    if (dump.format() != DumpFormat.PLAIN) {
      return dump.encryption().isPresent() ? "; encrypted (OpenPGP)" : "";
    }
    return "; " + dump.encoding().describe();
  }

  /** Dumps into {@code tier} of the session's store; returns the names published. */
  Set<BackupName> run(RunContext context, StoreSession session, Tier tier, Instant start)
      throws IOException, InterruptedException {
    try (PgCredentials credentials =
            PgCredentials.create(postgres, host.tempDir(), host.home(), context.clock());
        // A cold JVM's first connection takes tenths of a second: the installed clients are
        // looked for (some by running them) meanwhile.
        Background<ServerProbe.ServerVersion> probing =
            Background.start("the probe of the server", () -> probe(credentials))) {
      ClientTools tools =
          ClientTools.standard(
              postgres.binDir(), host.pgInstallRoot(), host.path(), context.processes());
      List<ClientTools.Clients> found = tools.candidates(tools());
      ServerProbe.ServerVersion version = probing.get();
      ClientTools.Clients clients = tools.forServer(version, found, tools());
      log.info(
          "PostgreSQL {} at {}:{}; dumping with the clients of PostgreSQL {} in {}{}",
          version.full(),
          postgres.host(),
          postgres.port(),
          clients.major(),
          clients.dir(),
          compression());
      DumpDatabaseStep step =
          new DumpDatabaseStep(
              context.processes(), clients, credentials.environment(), context.clock());
      Set<BackupName> written = new LinkedHashSet<>();
      List<AgentException> failures = new ArrayList<>();
      Duration total = Duration.ZERO;
      Duration busy = Duration.ZERO;
      for (DumpCommand command : commands()) {
        BackupName name = dump.backupName(start, command.label());
        try {
          VerifiedDump d = step.run(command, name, session.tempFor(tier, name));
          publish(session, d, tier);
          written.add(name);
          total = total.plus(d.elapsed());
          busy = busy.plus(d.compressBusy());
          metrics.backupSize(command.label(), d.size());
          metrics.dumpSize(command.label(), d.dumpBytes());
          metrics.dumpWarnings(command.label(), d.warnings());
        } catch (AgentException e) {
          log.error("{}", e.getMessage());
          failures.add(e);
        }
      }
      metrics.phase("dump", total);
      metrics.phase("compress", busy);
      failIfAny(failures, commands().size());
      return written;
    }
  }

  private void publish(StoreSession session, VerifiedDump d, Tier tier) {
    try {
      session.store().publish(d, tier);
      log.info("published {}/{} (sha256 {})", tier, d.name(), d.sha256());
    } catch (IOException | RuntimeException e) {
      ExitCode code =
          DumpErrors.mentionsDiskFull(e) ? ExitCode.NO_SPACE : ExitCode.OPERATION_FAILED;
      throw e instanceof AgentException a
          ? a
          : new AgentException(
              code,
              "publishing " + d.name() + " in " + session.store().describe() + " failed: " + e,
              e);
    } finally {
      try {
        session.discard(d);
      } catch (IOException e) {
        log.warn("could not remove {}: {}", d.file(), e.toString());
      }
    }
  }

  private ServerProbe.ServerVersion probe(PgCredentials credentials) {
    if (postgres.dumpAll()) {
      try {
        return ServerProbe.versionWarningOfClosedDatabases(credentials, "postgres", log::warn);
      } catch (AgentException e) {
        if (e.exitCode() != ExitCode.NOT_FOUND) {
          throw e;
        }
        return ServerProbe.versionWarningOfClosedDatabases(credentials, "template1", log::warn);
      }
    }
    ServerProbe.ServerVersion version = null;
    for (String db : postgres.databases()) {
      // Every database is checked before the first dump: a typo fails the run at once.
      ServerProbe.ServerVersion v = ServerProbe.version(credentials, db);
      version = version == null ? v : version;
    }
    return version;
  }

  private String[] tools() {
    List<String> tools = new ArrayList<>();
    tools.add(postgres.dumpAll() ? "pg_dumpall" : "pg_dump");
    if (dump.format() != DumpFormat.PLAIN) {
      tools.add("pg_restore");
    }
    return tools.toArray(String[]::new);
  }

  private List<DumpCommand> commands() {
    if (postgres.dumpAll()) {
      return List.of(new DumpCommand(Optional.empty(), dump));
    }
    return postgres.databases().stream().map(db -> new DumpCommand(Optional.of(db), dump)).toList();
  }

  private static void failIfAny(List<AgentException> failures, int of) {
    if (failures.isEmpty()) {
      return;
    }
    if (failures.size() == 1) {
      throw failures.get(0);
    }
    throw new AgentException(
        failures.get(0).exitCode(),
        failures.size()
            + " of "
            + of
            + " dumps failed: "
            + failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")),
        failures.get(0));
  }
}
