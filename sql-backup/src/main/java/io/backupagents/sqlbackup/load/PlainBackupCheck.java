package io.backupagents.sqlbackup.load;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.codec.BackupDecoding;
import io.backupagents.sqlbackup.codec.CodecException;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import io.backupagents.sqlbackup.script.DumpHead;
import io.backupagents.sqlbackup.script.DumpKind;
import io.backupagents.sqlbackup.source.ChecksumCheck;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * Reads a compressed plain dump (gzip or zstd, perhaps encrypted) once, end to end, before any of
 * it reaches a server: the SHA-256 of the file against its record (when there is one), the
 * compressed stream's integrity (every gzip member's CRC and length, the zstd frame's checksum),
 * and the dump's own first and last lines, which say what it is and that it is complete.
 */
final class PlainBackupCheck {

  private static final int BUFFER = 1 << 16;

  private PlainBackupCheck() {}

  /** What the check learned: the dump's kind and its uncompressed size (-1: not read). */
  record Result(DumpKind kind, long sqlBytes) {}

  static Result check(Path file, Optional<String> expectedSha256, RestoreProgress progress) {
    String name = file.getFileName().toString();
    MessageDigest sha256 = ChecksumRecord.newDigest();
    DumpHead head = new DumpHead();
    DumpTail tail = new DumpTail();
    InputStream counted;
    try {
      counted = progress.counting(Files.newInputStream(file));
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
    // Without a record (a legacy file), there is no digest to compare: none is computed.
    try (InputStream raw =
            expectedSha256.isPresent() ? new DigestInputStream(counted, sha256) : counted;
        InputStream sql = BackupDecoding.plainSql(name, raw)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = sql.read(buffer)) > 0) {
        head.add(buffer, 0, n);
        tail.add(buffer, n);
      }
      // Bytes after the last gzip member are not SQL, but the checksum covers the whole file.
      raw.transferTo(OutputStream.nullOutputStream());
    } catch (CodecException e) {
      throw e.toAgentException(name);
    } catch (ZipException | EOFException e) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          name
              + " is not a complete gzip file ("
              + e.getMessage()
              + "): it is truncated or corrupt",
          e);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
    expectedSha256.ifPresent(hex -> ChecksumCheck.requireMatch(sha256.digest(), hex, name));
    DumpKind kind = kindOf(name, head);
    if (!kind.isCompleteTail(tail.text())) {
      throw cutShort(name, kind);
    }
    return new Result(kind, tail.total());
  }

  /**
   * Checks a backup whose SHA-256 record was written by sql-backup after it saw the dump end with
   * its "dump complete" line: a file with that digest is that file, so only the digest of the
   * compressed bytes is computed, and the head is read for the dump's kind. The restore reading the
   * whole dump checks its last line again as it streams (see {@link SqlFeed#restoreStream}).
   */
  static Result quick(Path file, String expectedSha256, RestoreProgress progress) {
    String name = file.getFileName().toString();
    MessageDigest sha256 = ChecksumRecord.newDigest();
    try (InputStream raw = progress.counting(Files.newInputStream(file))) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = raw.read(buffer)) > 0) {
        sha256.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
    ChecksumCheck.requireMatch(sha256.digest(), expectedSha256, name);
    DumpHead head = new DumpHead();
    try (InputStream sql = BackupDecoding.plainSql(name, Files.newInputStream(file))) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while (!head.full() && (n = sql.read(buffer)) > 0) {
        head.add(buffer, 0, n);
      }
    } catch (CodecException | ZipException | EOFException e) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          name
              + " does not start as a "
              + BackupDecoding.codecName(name)
              + " file: "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new AgentException(
          ExitCode.OPERATION_FAILED, "could not read " + file + ": " + e.getMessage(), e);
    }
    return new Result(kindOf(name, head), -1);
  }

  static AgentException cutShort(String name, DumpKind kind) {
    return new AgentException(
        ExitCode.VERIFY_FAILED,
        name
            + " is "
            + kind.describe()
            + " that was cut short: it does not end with '"
            + kind.trailer()
            + "'");
  }

  private static DumpKind kindOf(String name, DumpHead head) {
    return head.kind()
        .orElseThrow(
            () ->
                new AgentException(
                    ExitCode.VERIFY_FAILED,
                    name + " does not start like a pg_dump or pg_dumpall SQL file"));
  }
}
