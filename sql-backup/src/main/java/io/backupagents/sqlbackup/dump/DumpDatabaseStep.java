package io.backupagents.sqlbackup.dump;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.fs.FileTrees;
import io.backupagents.common.fs.PartialFiles;
import io.backupagents.common.logging.Progress;
import io.backupagents.common.logging.Units;
import io.backupagents.common.process.ProcessFailedException;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.BackupDecoding;
import io.backupagents.sqlbackup.codec.PlainEncoder;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.VerifiedDump;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.sql.DatabaseProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one dump into a temporary file and checks it: every process exited 0, a plain dump ends with
 * its "dump complete" trailer, an archive is readable by {@code pg_restore --list}, and the file is
 * fsynced. Nothing is published here; on any failure the temporary file is removed.
 */
public final class DumpDatabaseStep {

  private static final Logger log = LoggerFactory.getLogger(DumpDatabaseStep.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
  private static final Duration PROPERTIES_TIMEOUT = Duration.ofMinutes(5);
  private static final long WRITEBACK_EVERY = 32L << 20;

  private final ProcessRunner processes;
  private final ClientTools.Clients clients;
  private final Map<String, String> libpqEnvironment;
  private final Clock clock;

  public DumpDatabaseStep(
      ProcessRunner processes,
      ClientTools.Clients clients,
      Map<String, String> libpqEnvironment,
      Clock clock) {
    this.processes = processes;
    this.clients = clients;
    this.libpqEnvironment = Map.copyOf(libpqEnvironment);
    this.clock = clock;
  }

  /** Dumps as {@code command} says into {@code temp} (which must not exist). */
  public VerifiedDump run(DumpCommand command, BackupName name, Path temp)
      throws InterruptedException {
    String what = command.tool() + command.database().map(db -> " of " + db).orElse("");
    long start = System.nanoTime();
    StderrLog stderr = new StderrLog(what);
    try {
      VerifiedDump dump =
          switch (command.settings().format()) {
            case PLAIN -> plain(command, name, temp, what, stderr);
            case CUSTOM -> custom(command, name, temp, what, stderr);
            case DIRECTORY -> directory(command, name, temp, what, stderr);
          };
      long elapsed = System.nanoTime() - start;
      log.info(
          "{} wrote {} ({} dumped) in {}",
          what,
          Units.bytes(dump.size()),
          Units.bytes(dump.dumpBytes()),
          Units.duration(Duration.ofNanos(elapsed)));
      return withElapsed(dump, Duration.ofNanos(elapsed), stderr.warnings());
    } catch (ProcessFailedException e) {
      deleteQuietly(temp);
      throw DumpErrors.classify(what, e);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw ioFailure(what, temp, e);
    } catch (RuntimeException | InterruptedException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private VerifiedDump plain(
      DumpCommand command, BackupName name, Path temp, String what, StderrLog stderr)
      throws IOException, ProcessFailedException, InterruptedException {
    DumpSettings s = command.settings();
    // Its own stderr log: the dump's warnings are counted once, from the dump itself.
    byte[] properties =
        command.database().isPresent()
            ? properties(command, new StderrLog(what + " (database properties)"))
            : null;
    try (FileChannel channel = create(temp)) {
      WritebackStream file = writeback(channel);
      HashingOutputStream hashing = new HashingOutputStream(file);
      // Compression (and encryption) happen on the way to the file: no plaintext touches disk.
      Late<PlainEncoder> encoder =
          new Late<>(() -> s.encoding().plain(hashing, BackupDecoding.innerName(name.fileName())));
      PlainEncoder gz;
      try {
        Progress progress = new Progress(what, 0, clock, PROGRESS_EVERY, log::info);
        // A line every interval even while pg_dump writes nothing (waiting for a lock, say).
        Progress.Heartbeat beat = progress.heartbeat();
        try {
          processes.run(
              spec(command, stderr, Path.of("-"))
                  .withBulkStdout(
                      in -> {
                        PlainEncoder started = encoder.get();
                        if (properties != null) {
                          started.write(properties);
                        }
                        started.transferFrom(progress.counting(in));
                      }));
        } finally {
          beat.close();
        }
        gz = encoder.get();
        gz.finish();
      } finally {
        encoder.ifMade(PlainEncoder::abort);
      }
      String tail = new String(gz.tail(256), StandardCharsets.UTF_8);
      if (!tail.contains(command.completeTrailer())) {
        throw new AgentException(
            ExitCode.OPERATION_FAILED,
            what
                + " exited 0 but its output ends without \""
                + command.completeTrailer()
                + "\" after "
                + Units.bytes(gz.inputBytes())
                + ": the dump is incomplete and was not kept");
      }
      durable(file, channel);
      return new VerifiedDump(
          name,
          temp,
          hashing.count(),
          hashing.sha256Hex(),
          gz.inputBytes(),
          Duration.ZERO,
          Duration.ofNanos(gz.busyNanos()),
          0);
    }
  }

  /**
   * The database's own properties as a comment block for the head of a single-database plain dump
   * (see {@link DatabaseProperties}): pg_dump without {@code --create} leaves them out.
   */
  private byte[] properties(DumpCommand command, StderrLog stderr)
      throws IOException, ProcessFailedException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    processes.run(
        ProcessSpec.of("pg_dump", command.propertiesArgv(clients))
            .withEnvironment(libpqEnvironment)
            .withStderrLine(stderr)
            .withTimeout(PROPERTIES_TIMEOUT)
            .withStdout(in -> in.transferTo(out)));
    Optional<DatabaseProperties> properties = DatabaseProperties.fromPgDump(out.toByteArray());
    if (properties.isEmpty()) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          "pg_dump --create of " + command.database().get() + " wrote no CREATE DATABASE");
    }
    return properties.get().block();
  }

  private VerifiedDump custom(
      DumpCommand command, BackupName name, Path temp, String what, StderrLog stderr)
      throws IOException, ProcessFailedException, InterruptedException {
    HashingOutputStream hashing;
    try (FileChannel channel = create(temp)) {
      WritebackStream file = writeback(channel);
      hashing = new HashingOutputStream(file);
      Progress progress = new Progress(what, 0, clock, PROGRESS_EVERY, log::info);
      Late<ArchiveHead> head =
          new Late<>(
              () ->
                  new ArchiveHead(
                      command
                          .settings()
                          .encoding()
                          .stored(hashing, BackupDecoding.innerName(name.fileName()))));
      Progress.Heartbeat beat = progress.heartbeat();
      try {
        processes.run(
            spec(command, stderr, Path.of("-"))
                .withBulkStdout(in -> progress.counting(in).transferTo(head.get())));
      } finally {
        beat.close();
      }
      ArchiveHead written = head.get();
      written.close();
      durable(file, channel);
      written.require(what);
    }
    if (!name.encrypted()) {
      // An encrypted archive cannot be read back here: the backup run holds public keys only.
      checkArchive(what, temp);
    }
    return new VerifiedDump(
        name,
        temp,
        hashing.count(),
        hashing.sha256Hex(),
        hashing.count(),
        Duration.ZERO,
        Duration.ZERO,
        0);
  }

  private VerifiedDump directory(
      DumpCommand command, BackupName name, Path temp, String what, StderrLog stderr)
      throws IOException, ProcessFailedException, InterruptedException {
    // Tracked: a SIGTERM while pg_dump writes it removes it (see PartialFiles).
    Path dir = PartialFiles.track(temp.resolveSibling(temp.getFileName() + ".d"));
    try {
      processes.run(spec(command, stderr, dir));
      checkArchive(what, dir);
      long dumped;
      try (var files = Files.list(dir)) {
        dumped = files.mapToLong(DumpDatabaseStep::size).sum();
      }
      HashingOutputStream hashing;
      try (FileChannel channel = create(temp)) {
        WritebackStream file = writeback(channel);
        hashing = new HashingOutputStream(file);
        OutputStream buffered = new java.io.BufferedOutputStream(hashing, 1 << 20);
        TarWriter.write(dir, name.fileName().replace(".tar", ""), buffered, clock.instant());
        buffered.flush();
        durable(file, channel);
      }
      return new VerifiedDump(
          name,
          temp,
          hashing.count(),
          hashing.sha256Hex(),
          dumped,
          Duration.ZERO,
          Duration.ZERO,
          0);
    } finally {
      deleteTree(dir);
      PartialFiles.untrack(dir);
    }
  }

  private ProcessSpec spec(DumpCommand command, StderrLog stderr, Path dir) {
    ProcessSpec spec =
        ProcessSpec.of(command.tool(), command.argv(clients, dir))
            .withEnvironment(libpqEnvironment)
            .withStderrLine(stderr);
    return command.settings().timeout().map(spec::withTimeout).orElse(spec);
  }

  private void checkArchive(String what, Path archive)
      throws InterruptedException, ProcessFailedException {
    try {
      processes.run(
          ProcessSpec.of(
                  "pg_restore --list",
                  List.of(clients.tool("pg_restore"), "--list", archive.toString()))
              .withTimeout(Duration.ofMinutes(10)));
    } catch (ProcessFailedException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          what + " wrote an archive pg_restore cannot read: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not check the archive of " + what + ": " + e, e);
    }
  }

  private static AgentException ioFailure(String what, Path temp, IOException e) {
    Path dir = temp.toAbsolutePath().getParent();
    if (DumpErrors.isDiskFull(e, dir)) {
      return new AgentException(
          ExitCode.NO_SPACE,
          what
              + " failed: the file system of "
              + dir
              + " is full ("
              + e.getMessage()
              + "); the partial file was removed, older backups are untouched",
          e);
    }
    return new AgentException(
        ExitCode.OPERATION_FAILED, what + " failed writing " + temp + ": " + e, e);
  }

  private static FileChannel create(Path temp) throws IOException {
    return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Writes into {@code channel}, flushed to disk as the dump goes on. */
  private static WritebackStream writeback(FileChannel channel) {
    return new WritebackStream(
        Channels.newOutputStream(channel), () -> channel.force(false), WRITEBACK_EVERY);
  }

  /** Makes what {@code file} wrote into {@code channel} durable. */
  private static void durable(WritebackStream file, FileChannel channel) throws IOException {
    file.finish();
    channel.force(true);
  }

  /**
   * What the dump is written through, made once the dump's process has started rather than before:
   * its set-up (zstd's native library, the encryption's session key for each recipient) then runs
   * while pg_dump reads the server's catalogs, a time in which the two cores of a small pod have
   * room, instead of delaying the dump's start.
   */
  private static final class Late<T> {
    interface Maker<T> {
      T make() throws IOException;
    }

    private final Maker<T> maker;
    private T made;

    Late(Maker<T> maker) {
      this.maker = maker;
    }

    T get() throws IOException {
      if (made == null) {
        made = maker.make();
      }
      return made;
    }

    void ifMade(java.util.function.Consumer<T> action) {
      if (made != null) {
        action.accept(made);
      }
    }
  }

  private static VerifiedDump withElapsed(VerifiedDump d, Duration elapsed, int warnings) {
    return new VerifiedDump(
        d.name(),
        d.file(),
        d.size(),
        d.sha256(),
        d.dumpBytes(),
        elapsed,
        d.compressBusy(),
        warnings);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("could not remove the temporary file {}: {}", p, e.toString());
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      log.warn("could not remove the temporary directory {}: {}", dir, e.toString());
    }
  }
}
