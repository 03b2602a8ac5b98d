package io.backupagents.sqlbackup.source;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.RunDirectory;
import io.backupagents.common.logging.Units;
import io.backupagents.common.s3.S3Location;
import io.backupagents.sqlbackup.model.BackupName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a chosen backup readable as a local file: a local copy as it is; a copy in S3 downloaded,
 * with its checksum record, into a temporary file in the work directory (only that backup, never
 * the bucket). Temporary files start with {@code .tmp-restore-}, so no listing takes them for
 * backups; they are deleted on {@link #close()}, and ones a killed run left are removed a day
 * later.
 */
public final class BackupFetcher implements AutoCloseable {

  public static final String TEMP_PREFIX = ".tmp-restore-";

  private static final Logger log = LoggerFactory.getLogger(BackupFetcher.class);
  private static final long SPACE_MARGIN = 64L << 20;
  private static final Duration STALE_AFTER = Duration.ofDays(1);

  /**
   * A backup ready to be read.
   *
   * @param origin where it came from, for logs
   */
  public record Fetched(BackupName name, Path file, Optional<String> sha256, String origin) {}

  private final Path workDir;
  private final BackupSources sources;
  private final Clock clock;
  private final List<RunDirectory> temporary = new ArrayList<>();

  public BackupFetcher(Path workDir, BackupSources sources, Clock clock) {
    this.workDir = workDir;
    this.sources = sources;
    this.clock = clock;
  }

  /** The work directory: the configured one, else the recovery root when writable, else TMPDIR. */
  public static Path workDirectory(Optional<Path> configured, Path recoveryRoot, Path tempDir) {
    if (configured.isPresent()) {
      return configured.get();
    }
    return Files.isDirectory(recoveryRoot) && Files.isWritable(recoveryRoot)
        ? recoveryRoot
        : tempDir;
  }

  public Fetched fetch(FoundBackup backup, BackupCopy copy) {
    return switch (copy) {
      case BackupCopy.Local local ->
          new Fetched(
              backup.name(),
              local.file(),
              local.checksum().map(this::readRecord),
              local.file().toString());
      case BackupCopy.Remote remote -> download(backup, remote);
    };
  }

  /** A new private directory in the work directory, deleted on close. */
  public Path temporaryDirectory() {
    try {
      // Removed on close and on SIGTERM; after a SIGKILL by the next run (see removeStale).
      RunDirectory dir = RunDirectory.create(workDir, TEMP_PREFIX);
      temporary.add(dir);
      return dir.path();
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not create a directory in " + workDir + ": " + e, e);
    }
  }

  private Fetched download(FoundBackup backup, BackupCopy.Remote remote) {
    String name = backup.name().fileName();
    String url = "s3://" + remote.location().bucket() + "/" + remote.key();
    try {
      Files.createDirectories(workDir);
      removeStale();
      boolean unpacked = backup.name().format() == BackupName.Format.DIRECTORY_TAR;
      requireSpace(remote.size() * (unpacked ? 2 : 1));
      // The file keeps its name (for messages and tools) inside a private directory.
      Path file = temporaryDirectory().resolve(name);
      Optional<String> sha256 =
          remote.checksumKey().flatMap(key -> readRemoteRecord(remote.location(), key));
      log.info("downloading {} ({}) to {}", url, Units.bytes(remote.size()), workDir);
      Instant start = clock.instant();
      sources.store(remote.location()).download(remote.key(), file);
      Duration took = Duration.between(start, clock.instant());
      log.info(
          "downloaded {} in {} ({}/s)",
          name,
          Units.duration(took),
          Units.bytes(remote.size() * 1000 / Math.max(1, took.toMillis())));
      return new Fetched(backup.name(), file, sha256, url);
    } catch (IOException e) {
      boolean full = String.valueOf(e.getMessage()).contains("No space left");
      throw new AgentException(
          full ? ExitCode.NO_SPACE : ExitCode.OPERATION_FAILED,
          "download of " + url + " to " + workDir + " failed: " + e.getMessage(),
          e);
    }
  }

  private void requireSpace(long needed) throws IOException {
    long usable = Files.getFileStore(workDir).getUsableSpace();
    if (usable < needed + SPACE_MARGIN) {
      throw new AgentException(
          ExitCode.NO_SPACE,
          workDir
              + " has "
              + Units.bytes(usable)
              + " free, the backup needs "
              + Units.bytes(needed)
              + ": set RESTORE_DOWNLOAD_DIR to a larger volume");
    }
  }

  /** The digest in the record at {@code key}; empty when the object went away since the listing. */
  private Optional<String> readRemoteRecord(S3Location location, String key) {
    return sources
        .store(location)
        .getBytes(key)
        .map(
            b ->
                ChecksumCheck.parse(
                    new String(b, StandardCharsets.UTF_8),
                    key.substring(key.lastIndexOf('/') + 1)));
  }

  private String readRecord(Path record) {
    try {
      return ChecksumCheck.read(record);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + record + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the downloads a killed run left behind at once (their owner's lock is free; a
   * concurrent run's is held), and lock-less ones of earlier versions after a day.
   */
  private void removeStale() throws IOException {
    for (Path p : RunDirectory.removeAbandoned(workDir, TEMP_PREFIX, STALE_AFTER, clock)) {
      log.info("removed {}, left by an earlier run", p);
    }
  }

  @Override
  public void close() {
    for (RunDirectory d : temporary) {
      try {
        d.close();
      } catch (IOException e) {
        log.warn("could not remove {}: {}", d.path(), e.toString());
      }
    }
    temporary.clear();
  }
}
