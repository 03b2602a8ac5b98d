package io.backupagents.sqlbackup.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 record next to each backup ({@link BackupName#checksumFileName()}), in {@code
 * sha256sum}'s format (hex digest, two spaces, the backup's file name) so that {@code cd hourly &&
 * sha256sum -c .backup-….sql.gz.sha256} checks a backup by hand; and the comparison of a file with
 * it. Used when backups are written, promoted and listed, and before they are restored ({@code
 * ChecksumCheck} fails a restore on a mismatch).
 */
public final class ChecksumRecord {

  private static final Pattern DIGEST = Pattern.compile("\\A\\s*([0-9a-fA-F]{64})(\\s|\\z)");

  private ChecksumRecord() {}

  /** The record's content for the backup {@code name} whose SHA-256 is {@code sha256Hex}. */
  public static byte[] content(String sha256Hex, BackupName name) {
    return (sha256Hex + "  " + name.fileName() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The digest in a record, lower-case hex; empty when the record holds none (damaged). */
  public static Optional<String> digest(String content) {
    Matcher m = DIGEST.matcher(content);
    return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /**
   * The record of {@code name} in {@code dir}: under its name, else under the name earlier versions
   * gave it; empty when there is none.
   */
  public static Optional<Path> find(Path dir, BackupName name) {
    for (String fileName : List.of(name.checksumFileName(), name.legacyChecksumFileName())) {
      Path record = dir.resolve(fileName);
      if (Files.isRegularFile(record)) {
        return Optional.of(record);
      }
    }
    return Optional.empty();
  }

  /**
   * The key of the record of the backup stored at {@code backupKey}, among {@code keys} (a
   * listing): under its name, else under the name earlier versions gave it.
   */
  public static Optional<String> findKey(String backupKey, BackupName name, Set<String> keys) {
    String dir = backupKey.substring(0, backupKey.lastIndexOf('/') + 1);
    for (String fileName : List.of(name.checksumFileName(), name.legacyChecksumFileName())) {
      if (keys.contains(dir + fileName)) {
        return Optional.of(dir + fileName);
      }
    }
    return Optional.empty();
  }

  /** A new SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this Java runtime", e);
    }
  }

  /** The SHA-256 of a file, lower-case hex, read once. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
