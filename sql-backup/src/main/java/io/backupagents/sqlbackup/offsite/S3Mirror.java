package io.backupagents.sqlbackup.offsite;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.launch.Threads;
import io.backupagents.common.logging.Progress;
import io.backupagents.common.logging.Units;
import io.backupagents.common.s3.ContentDigests;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Errors;
import io.backupagents.common.s3.S3Store;
import io.backupagents.sqlbackup.metrics.SqlBackupMetrics;
import io.backupagents.sqlbackup.model.OffsiteCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code s3://bucket/prefix/} mirror the backup root, as {@code rclone sync} did: uploads new
 * and changed files with rclone's metadata, then deletes remote backups the root no longer has,
 * unless an upload failed or the deletion guard refuses.
 */
public final class S3Mirror {

  private static final Logger log = LoggerFactory.getLogger(S3Mirror.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final S3Store store;
  private final OffsiteCopy settings;
  private final SqlBackupMetrics metrics;
  private final Clock clock;

  public S3Mirror(S3Store store, OffsiteCopy settings, SqlBackupMetrics metrics, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** What a mirror run did. */
  public record Outcome(int uploaded, long uploadedBytes, int deleted, int unchanged) {}

  public Outcome mirror(Path root) throws IOException, InterruptedException {
    List<LocalFile> local = LocalScan.scan(root);
    List<RemoteObject> remote = new ArrayList<>();
    int requests = store.list(settings.location().listPrefix(), remote::add);
    MirrorPlan plan =
        MirrorPlanner.plan(
            local,
            remote,
            settings.location(),
            new MirrorPlanner.Policy(settings.delete(), settings.maxDeletePercent()));
    log.info(
        "mirror to {}: {} local files, {} remote objects ({} list requests): {} to upload, {} to"
            + " check, {} unchanged, {} to delete{}",
        settings.location(),
        local.size(),
        remote.size(),
        requests,
        plan.uploads().size(),
        plan.toVerify().size(),
        plan.unchanged(),
        plan.deletions().size(),
        plan.foreign() > 0 ? ", " + plan.foreign() + " other objects left alone" : "");
    List<LocalFile> uploads = new ArrayList<>(plan.uploads());
    int unchanged = plan.unchanged();
    for (MirrorPlan.Verification v : plan.toVerify()) {
      if (sameContent(root, v)) {
        unchanged++;
      } else {
        uploads.add(v.local());
      }
    }
    long bytes = upload(root, uploads);
    metrics.uploaded(uploads.size(), bytes);
    if (plan.refusal().isPresent()) {
      metrics.guardRefusal();
      throw new AgentException(ExitCode.GUARD_REFUSED, plan.refusal().get());
    }
    delete(plan.deletions());
    return new Outcome(uploads.size(), bytes, plan.deletions().size(), unchanged);
  }

  private long upload(Path root, List<LocalFile> files) throws InterruptedException {
    AtomicLong bytes = new AtomicLong();
    ConcurrentLinkedQueue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
    Semaphore slots = new Semaphore(settings.uploads());
    Progress progress =
        new Progress(
            "off-site copy of " + files.size() + " files to " + settings.location(),
            files.stream().mapToLong(LocalFile::size).sum(),
            clock,
            PROGRESS_EVERY,
            log::info);
    // The heartbeat keeps the 30-second promise while every upload is stalled.
    Progress.Heartbeat beat = progress.heartbeat();
    try (ExecutorService pool = Threads.pool("upload")) {
      for (LocalFile f : files) {
        slots.acquire();
        pool.execute(
            () -> {
              try {
                uploadOne(root, f);
                bytes.addAndGet(f.size());
                progress.add(f.size());
              } catch (IOException e) {
                failures.add(S3Errors.classify("upload of " + f.relativePath(), e));
              } catch (RuntimeException e) {
                failures.add(e);
              } finally {
                slots.release();
              }
            });
      }
    } finally {
      beat.close();
    }
    if (!failures.isEmpty()) {
      int failed = failures.size();
      AgentException first = S3Errors.classify("the mirror", failures.peek());
      String message =
          failed
              + " of "
              + files.size()
              + " uploads to "
              + settings.location()
              + " failed (first: "
              + first.getMessage()
              + "); the local backups are kept and no remote backup was deleted";
      ExitCode code = failed < files.size() ? ExitCode.PARTIAL : first.exitCode();
      throw new AgentException(code, message, first);
    }
    return bytes.get();
  }

  private void uploadOne(Path root, LocalFile f) throws IOException {
    Path file = root.resolve(f.relativePath());
    // The modification time read by the scan is what rclone compares: send exactly that.
    store.upload(file, settings.location().key(f.relativePath()), f.modified());
    log.info("uploaded {} ({})", f.relativePath(), Units.bytes(f.size()));
  }

  private boolean sameContent(Path root, MirrorPlan.Verification v) throws IOException {
    Optional<String> remoteMd5 = v.remote().md5Hex();
    if (remoteMd5.isEmpty()) {
      remoteMd5 = store.head(v.remote().key()).flatMap(RemoteObject::md5Hex);
    }
    if (remoteMd5.isEmpty()) {
      return false;
    }
    ContentDigests local = ContentDigests.of(root.resolve(v.local().relativePath()), 0);
    return HexFormat.of().formatHex(local.whole()).equals(remoteMd5.get());
  }

  private void delete(List<RemoteObject> deletions) {
    if (deletions.isEmpty()) {
      metrics.deleted("s3", 0);
      return;
    }
    store.delete(deletions.stream().map(RemoteObject::key).toList());
    deletions.forEach(o -> log.info("deleted {} from {}", o.key(), store.bucket()));
    metrics.deleted("s3", deletions.size());
  }
}
