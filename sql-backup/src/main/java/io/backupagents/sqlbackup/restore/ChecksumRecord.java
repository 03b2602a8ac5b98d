package io.backupagents.sqlbackup.restore;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 recorded next to a backup ({@code <name>.sha256}, in {@code sha256sum}'s format: the
 * hex digest, two spaces, the file name), and the comparison with what the file hashes to now.
 */
final class ChecksumRecord {

  private static final Pattern DIGEST = Pattern.compile("\\A\\s*([0-9a-fA-F]{64})(\\s|\\z)");

  private ChecksumRecord() {}

  /** The digest in a record, lower-case hex; VERIFY_FAILED when there is none. */
  static String parse(String content, String recordName) {
    Matcher m = DIGEST.matcher(content);
    if (!m.find()) {
      throw new AgentException(
          ExitCode.VERIFY_FAILED,
          recordName
              + " does not hold a SHA-256 digest: the checksum record is damaged (remove it to"
              + " restore without it)");
    }
    return m.group(1).toLowerCase(Locale.ROOT);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** VERIFY_FAILED unless {@code actual} (the digest's bytes) matches {@code expectedHex}. */
  static void requireMatch(byte[] actual, String expectedHex, String fileName) {
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
