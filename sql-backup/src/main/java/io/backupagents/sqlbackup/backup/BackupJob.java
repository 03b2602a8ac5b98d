package io.backupagents.sqlbackup.backup;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.exit.FileSystemFailures;
import io.backupagents.common.launch.Job;
import io.backupagents.common.launch.RunContext;
import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.codec.OpenPgpEncryption;
import io.backupagents.sqlbackup.lock.FileRunLock;
import io.backupagents.sqlbackup.lock.LockOwner;
import io.backupagents.sqlbackup.lock.RunLock;
import io.backupagents.sqlbackup.lock.Sleeper;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.OffsiteCopy;
import io.backupagents.sqlbackup.model.Tier;
import io.backupagents.sqlbackup.offsite.RemoteTiers;
import io.backupagents.sqlbackup.offsite.S3Mirror;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.rotation.RotationExecutor;
import io.backupagents.sqlbackup.rotation.RotationPlan;
import io.backupagents.sqlbackup.rotation.RotationPlanner;
import io.backupagents.sqlbackup.settings.BackupSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.sqlbackup.store.BackupStore;
import io.backupagents.sqlbackup.store.BucketStores;
import io.backupagents.sqlbackup.store.LocalBackupStore;
import io.backupagents.sqlbackup.store.StoreSession;
import io.backupagents.sqlbackup.verify.BackupVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup run of a tier: take the lock, clean up after killed runs, dump (hourly) or promote
 * (daily, weekly, monthly), rotate, then copy the root off-site (hourly). Pruning and the off-site
 * copy only happen after the run's own work succeeded.
 */
final class BackupJob implements Job {

  private static final Logger log = LoggerFactory.getLogger(BackupJob.class);

  private final BackupSettings settings;
  private final PostgresSettings postgres;
  private final HostEnvironment host;
  private final Sleeper sleeper;
  private final BackupVerifier verifier;

  BackupJob(
      BackupSettings settings,
      PostgresSettings postgres,
      HostEnvironment host,
      Sleeper sleeper,
      BackupVerifier verifier) {
    this.settings = settings;
    this.postgres = postgres;
    this.host = host;
    this.sleeper = sleeper;
    this.verifier = verifier;
  }

  /** The tier's CronJob pushes its own group, so the four never overwrite each other's metrics. */
  @Override
  public Map<String, String> metricsGroupingKey() {
    return Map.of("backup_type", settings.tier().directoryName());
  }

  @Override
  public void run(RunContext context) throws Exception {
    try {
      runTier(context);
    } catch (Exception | Error e) {
      postDebug(e.getMessage());
      throw e;
    }
    postDebug("success");
  }

  private void runTier(RunContext context) throws Exception {
    Instant start = context.clock().instant();
    Tier tier = settings.tier();
    SqlBackupMetrics metrics = new SqlBackupMetrics(context.registry());
    settings.notes().forEach(log::warn);
    if (!tier.dumps()) {
      // Only a dump gains from checking the recipients' keys meanwhile (see PendingCheck); a run
      // that promotes and prunes waits for the check before it changes anything.
      settings.dump().encryption().ifPresent(OpenPgpEncryption::recipients);
    }
    long lockStart = System.nanoTime();
    try (StoreSession session = open(context, start)) {
      metrics.phase("lock_wait", Duration.ofNanos(System.nanoTime() - lockStart));
      session.removeLeftovers();
      Set<BackupName> written =
          tier.dumps()
              ? new DumpPhase(postgres, settings.dump(), host, metrics)
                  .run(context, session, tier, start)
              : Set.of();
      verify(written, context);
      rotate(session.store(), written, metrics);
      reportRetained(session.store(), metrics);
      preExitSleep();
      if (tier == Tier.HOURLY && settings.offsite().isPresent()) {
        mirror(settings.offsite().get(), metrics, context.clock());
      }
    }
  }

  /**
   * VERIFY_AFTER_BACKUP: proves each new backup restores before anything is pruned or copied
   * off-site; a backup that does not restore fails the run and leaves the older ones in place.
   */
  private void verify(Set<BackupName> written, RunContext context) throws InterruptedException {
    if (!verifier.enabled()) {
      return;
    }
    for (BackupName name : written) {
      log.info("VERIFY_AFTER_BACKUP: verifying {}", name);
      verifier.verify(
          settings.root().resolve(settings.tier().directoryName()).resolve(name.fileName()),
          context);
    }
  }

  private StoreSession open(RunContext context, Instant start)
      throws IOException, InterruptedException {
    LockOwner me = LockOwner.of(host.hostname(), settings.tier().directoryName(), start);
    if (settings.bucketVolume().isPresent()) {
      return BucketStores.open(
          settings.bucketVolume().get(), me, settings.lock(), context.clock(), sleeper);
    }
    if (!Files.isDirectory(settings.root())) {
      throw new AgentException(
          ExitCode.NOT_FOUND,
          "the backup root "
              + settings.root()
              + " does not exist or is not a directory: mount the backup volume there (or set"
              + " BACKUP_ROOT_DIR)");
    }
    RunLock lock;
    try {
      lock = FileRunLock.acquire(settings.root(), me, settings.lock(), context.clock(), sleeper);
    } catch (IOException e) {
      // The lock is the run's first write to the volume: a full or read-only one shows here.
      Optional<AgentException> volume = FileSystemFailures.classify(e, settings.root());
      if (volume.isPresent()) {
        throw volume.get();
      }
      throw e;
    }
    return StoreSession.local(new LocalBackupStore(settings.root()), lock);
  }

  private void rotate(BackupStore store, Set<BackupName> written, SqlBackupMetrics metrics)
      throws IOException {
    long t0 = System.nanoTime();
    Tier tier = settings.tier();
    List<RotationPlan.Promotion> promotions =
        RotationPlanner.promotions(
            tier,
            settings.priorTier(),
            tier.dumps() ? List.of() : store.list(settings.priorTier()));
    RotationPlan plan =
        RotationPlanner.plan(tier, settings.count(), store.list(tier), promotions, written);
    RotationExecutor.Outcome outcome = new RotationExecutor(store).execute(plan);
    metrics.promoted(outcome.promoted().size());
    metrics.pruned(store.location(), outcome.pruned().size());
    metrics.phase("rotation", Duration.ofNanos(System.nanoTime() - t0));
    log.info(
        "{} rotation in {}: {} promoted, {} pruned, keeping {} per database",
        tier,
        store.describe(),
        outcome.promoted().size(),
        outcome.pruned().size(),
        settings.count());
  }

  static void reportRetained(BackupStore store, SqlBackupMetrics metrics) throws IOException {
    for (Tier t : Tier.values()) {
      var backups = store.list(t);
      metrics.retained(
          t.directoryName(),
          store.location(),
          backups.size(),
          backups.stream().mapToLong(b -> b.size()).sum(),
          backups.isEmpty() ? null : backups.get(backups.size() - 1).name().time());
    }
  }

  private void mirror(OffsiteCopy mirror, SqlBackupMetrics metrics, Clock clock)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    try (S3Connection connection = S3Connection.open(mirror.s3())) {
      S3Store s3 = new S3Store(connection, mirror.location().bucket());
      try {
        S3Mirror.Outcome o = new S3Mirror(s3, mirror, metrics, clock).mirror(settings.root());
        log.info(
            "off-site copy {} is up to date: {} uploaded, {} unchanged, {} deleted",
            mirror.location(),
            o.uploaded(),
            o.unchanged(),
            o.deleted());
      } finally {
        metrics.phase("upload", Duration.ofNanos(System.nanoTime() - t0));
        RemoteTiers.report(s3, mirror.location(), metrics);
      }
    }
  }

  private void preExitSleep() throws InterruptedException {
    if (!settings.preExitSleep().isZero()) {
      log.info("BACKUP_PRE_EXIT_SLEEP_M: sleeping {} before going on", settings.preExitSleep());
      sleeper.sleep(settings.preExitSleep());
    }
  }

  private void postDebug(String outcome) throws InterruptedException {
    if (settings.postDebug()) {
      log.warn("POST_DEBUG is set: the run ended ({}); sleeping until the pod is deleted", outcome);
      while (true) {
        sleeper.sleep(Duration.ofHours(1));
      }
    }
  }
}
