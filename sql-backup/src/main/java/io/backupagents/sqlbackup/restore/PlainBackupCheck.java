package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.backup.ChecksumRecord;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a gzip-compressed plain dump once, end to end, before any of it reaches a server: the
 * SHA-256 of the file against its record (when there is one), the gzip stream's integrity (every
 * member's CRC and length), and the dump's own first and last lines, which say what it is and that
 * it is complete.
 */
final class PlainBackupCheck {

  private static final int BUFFER = 1 << 16;
  private static final int HEAD = 1 << 16;
  private static final int TAIL = 8192;

  private PlainBackupCheck() {}

  /** What the check learned: the dump's kind and its uncompressed size. */
  record Result(DumpKind kind, long sqlBytes) {}

  static Result check(Path file, Optional<String> expectedSha256, RestoreProgress progress) {
    String name = file.getFileName().toString();
    MessageDigest sha256 = ChecksumRecord.newDigest();
    byte[] head = new byte[HEAD];
    int headLength = 0;
    byte[] tail = new byte[TAIL];
    long sqlBytes = 0;
    try (InputStream raw =
            new DigestInputStream(
                new CountingInputStream(Files.newInputStream(file), progress::add), sha256);
        InputStream sql = new GZIPInputStream(raw, BUFFER)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = sql.read(buffer)) > 0) {
        int toHead = Math.min(n, HEAD - headLength);
        System.arraycopy(buffer, 0, head, headLength, toHead);
        headLength += toHead;
        keepTail(tail, sqlBytes, buffer, n);
        sqlBytes += n;
      }
      // Bytes after the last gzip member are not SQL, but the checksum covers the whole file.
      raw.transferTo(OutputStream.nullOutputStream());
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
    expectedSha256.ifPresent(hex -> ChecksumRecord.requireMatch(sha256.digest(), hex, name));
    DumpKind kind =
        DumpKind.fromHead(new String(head, 0, headLength, StandardCharsets.UTF_8))
            .orElseThrow(
                () ->
                    new AgentException(
                        ExitCode.VERIFY_FAILED,
                        name + " does not start like a pg_dump or pg_dumpall SQL file"));
    String end = tailText(tail, sqlBytes);
    if (!kind.isCompleteTail(end)) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          name
              + " is "
              + kind.describe()
              + " that was cut short: it does not end with '"
              + kind.trailer()
              + "'");
    }
    return new Result(kind, sqlBytes);
  }

  /** Keeps the last TAIL bytes seen in a ring indexed by the stream position. */
  private static void keepTail(byte[] ring, long position, byte[] buffer, int length) {
    int from = Math.max(0, length - ring.length);
    for (int i = from; i < length; i++) {
      ring[(int) ((position + i) % ring.length)] = buffer[i];
    }
  }

  private static String tailText(byte[] ring, long total) {
    int length = (int) Math.min(total, ring.length);
    byte[] ordered = new byte[length];
    long start = total - length;
    for (int i = 0; i < length; i++) {
      ordered[i] = ring[(int) ((start + i) % ring.length)];
    }
    return new String(ordered, StandardCharsets.UTF_8);
  }
}
