package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.process.ProcessFailedException;
import io.backupagents.common.process.ProcessRunner;
import io.backupagents.common.process.ProcessSpec;
import io.backupagents.sqlbackup.codec.BackupDecoding;
import io.backupagents.sqlbackup.codec.CodecException;
import io.backupagents.sqlbackup.model.BackupName;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.postgres.ClientTools;
import io.backupagents.sqlbackup.source.ChecksumCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checks pg_dump archives before a restore: a custom archive ({@code .dump}) or a directory-format
 * dump packed in a tar ({@code .dir.tar}, unpacked into a private directory first, since pg_restore
 * reads it in parallel). The SHA-256 record is checked when there is one, then pg_restore reads the
 * table of contents and every data block (into /dev/null), which fails on a truncated or damaged
 * archive.
 */
public final class ArchiveBackup {

  private static final byte[] CUSTOM_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

  /**
   * An archive pg_restore has read end to end.
   *
   * @param restorable the file or directory to give pg_restore
   * @param items the number of entries in its table of contents
   * @param toc its table of contents, as {@code pg_restore --list} prints it
   */
  public record Checked(Path restorable, int items, String toc) {}

  private ArchiveBackup() {}

  /**
   * @param workDir where a directory dump is unpacked (the caller deletes it afterwards)
   */
  static Checked check(
      Path file,
      BackupName.Format format,
      Optional<String> expectedSha256,
      RestoreProgress progress,
      Path workDir,
      ProcessRunner runner,
      ClientTools.Clients clients)
      throws InterruptedException {
    String name = file.getFileName().toString();
    expectedSha256.ifPresent(hex -> ChecksumCheck.requireMatch(digest(file, progress), hex, name));
    Path restorable;
    if (format == BackupName.Format.DIRECTORY_TAR) {
      restorable = unpack(file, workDir, runner);
    } else {
      requireCustomArchive(file);
      restorable = file;
    }
    String toc =
        new String(pgRestore(runner, clients, name, restorable, "--list"), StandardCharsets.UTF_8);
    int items = (int) toc.lines().filter(l -> !l.isBlank() && !l.startsWith(";")).count();
    pgRestore(runner, clients, name, restorable, "--file=/dev/null");
    return new Checked(restorable, items, toc);
  }

  private static byte[] digest(Path file, RestoreProgress progress) {
    MessageDigest sha256 = ChecksumRecord.newDigest();
    try (InputStream in =
        new DigestInputStream(progress.counting(Files.newInputStream(file)), sha256)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
    return sha256.digest();
  }

  private static void requireCustomArchive(Path file) {
    byte[] head = new byte[CUSTOM_MAGIC.length];
    try (InputStream in =
        BackupDecoding.archive(file.getFileName().toString(), Files.newInputStream(file))) {
      int n = in.readNBytes(head, 0, head.length);
      if (n < head.length || !java.util.Arrays.equals(head, CUSTOM_MAGIC)) {
        throw new AgentException(
            ExitCode.VERIFY_FAILED,
            file.getFileName() + " is not a pg_dump custom archive (it does not start with PGDMP)");
      }
    } catch (CodecException e) {
      throw e.toAgentException(file.getFileName().toString());
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Unpacks the tar and returns the directory holding toc.dat. */
  private static Path unpack(Path file, Path workDir, ProcessRunner runner)
      throws InterruptedException {
    try {
      Files.createDirectories(workDir);
      runner.run(
          ProcessSpec.of(
              "tar",
              List.of(
                  "tar",
                  "--extract",
                  "--no-same-owner",
                  "--no-same-permissions",
                  "--file=" + file,
                  "--directory=" + workDir)));
      try (Stream<Path> found = Files.find(workDir, 2, (p, a) -> p.endsWith("toc.dat"))) {
        return found
            .findFirst()
            .map(Path::getParent)
            .orElseThrow(
                () ->
                    new AgentException(
                        ExitCode.VERIFY_FAILED,
                        file.getFileName() + " holds no pg_dump directory (no toc.dat)"));
      }
    } catch (ProcessFailedException e) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          file.getFileName() + " is not a complete tar file: " + e.lastStderrLine(),
          e);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not unpack " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The SQL of the entries {@code list} names (a file in {@code pg_restore --use-list} form), as
   * {@code pg_restore --file=-} writes it.
   */
  public static byte[] script(
      ProcessRunner runner, ClientTools.Clients clients, Checked archive, Path list)
      throws InterruptedException {
    return pgRestore(
        runner,
        clients,
        archive.restorable().getFileName().toString(),
        archive.restorable(),
        "--file=-",
        "--use-list=" + list);
  }

  /**
   * Runs a checking pg_restore of {@code restorable} (fed decrypted on its standard input when it
   * is encrypted) and returns its standard output.
   */
  private static byte[] pgRestore(
      ProcessRunner runner,
      ClientTools.Clients clients,
      String name,
      Path restorable,
      String... args)
      throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Optional<EncryptedArchiveFeed> feed =
        EncryptedArchiveFeed.needed(restorable)
            ? Optional.of(EncryptedArchiveFeed.of(restorable))
            : Optional.empty();
    List<String> argv = new ArrayList<>(List.of(clients.tool("pg_restore")));
    argv.addAll(List.of(args));
    if (feed.isEmpty()) {
      argv.add(restorable.toString());
    }
    try {
      ProcessSpec spec =
          ProcessSpec.of("pg_restore", argv)
              .withStdout(in -> in.transferTo(out))
              .withStderrLine(line -> {});
      runner.run(feed.isPresent() ? spec.withStdin(feed.get()) : spec);
    } catch (CodecException e) {
      throw e.toAgentException(name);
    } catch (ProcessFailedException e) {
      if (feed.isPresent() && feed.get().failure().isPresent()) {
        // pg_restore only saw its input end early: the backup's own failure is the cause.
        throw feed.get().failure().get().toAgentException(name);
      }
      if (e.lastStderrLine().contains("unsupported version")) {
        // The archive is sound but from a newer pg_dump: no restore is tried with these clients.
        throw new AgentException(
            ExitCode.NOT_FOUND,
            name
                + " was written by a newer pg_dump than pg_restore of PostgreSQL "
                + clients.major()
                + " in "
                + clients.dir()
                + " reads ("
                + e.lastStderrLine()
                + "): use an image with newer clients or set PG_BIN_DIR",
            e);
      }
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          name + " cannot be read back by pg_restore: " + e.lastStderrLine(),
          e);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED,
          "pg_restore could not read " + name + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }
}
