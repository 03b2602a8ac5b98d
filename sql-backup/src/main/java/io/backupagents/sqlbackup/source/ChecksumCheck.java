package io.backupagents.sqlbackup.source;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.sqlbackup.model.ChecksumRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** The checks of a restore against a backup's {@link ChecksumRecord}: VERIFY_FAILED on damage. */
public final class ChecksumCheck {

  private ChecksumCheck() {}

  /** The digest in a record, lower-case hex; VERIFY_FAILED when there is none. */
  public static String parse(String content, String recordName) {
    return ChecksumRecord.digest(content)
        .orElseThrow(
            () ->
                new AgentException(
                    ExitCode.VERIFY_FAILED,
                    recordName
                        + " does not hold a SHA-256 digest: the checksum record is damaged (remove"
                        + " it to restore without it)"));
  }

  /** Reads and parses a record file; VERIFY_FAILED when it holds no digest. */
  public static String read(Path record) throws IOException {
    return parse(Files.readString(record, StandardCharsets.UTF_8), record.getFileName().toString());
  }

  /** VERIFY_FAILED unless {@code actual} (the digest's bytes) matches {@code expectedHex}. */
  public static void requireMatch(byte[] actual, String expectedHex, String fileName) {
    String hex = HexFormat.of().formatHex(actual);
    if (!hex.equals(expectedHex)) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          fileName
              + " is corrupt: its SHA-256 is "
              + hex
              + ", but its checksum record says "
              + expectedHex);
    }
  }
}
