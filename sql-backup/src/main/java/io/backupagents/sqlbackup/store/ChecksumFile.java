package io.backupagents.sqlbackup.store;

import io.backupagents.sqlbackup.dump.HashingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code <backup>.sha256} file next to each backup, in {@code sha256sum}'s format so that
 * {@code sha256sum -c backup-….sql.gz.sha256} checks it by hand.
 */
public final class ChecksumFile {

  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)\\R?");

  private ChecksumFile() {}

  /** The file's content for a backup named {@code fileName}. */
  public static byte[] content(String sha256Hex, String fileName) {
    return (sha256Hex + "  " + fileName + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The recorded hex digest, if the content is in the expected format. */
  public static Optional<String> parse(byte[] content) {
    Matcher m = LINE.matcher(new String(content, StandardCharsets.UTF_8));
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The SHA-256 of a file, read once. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest = HashingOutputStream.newSha256();
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
