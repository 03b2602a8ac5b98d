package io.backupagents.sqlbackup.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a backup file, as the legacy image wrote it: {@code backup-<UTC start
 * time>Z-<dumpall|DATABASE><extension>}, e.g. {@code backup-2022-11-28T08:51:08Z-dumpall.sql.gz},
 * with {@code .gpg} after the extension when the backup is encrypted. Names sort by time within one
 * label.
 */
public record BackupName(Instant time, String label, Format format, boolean encrypted)
    implements Comparable<BackupName> {

  /** What an encrypted backup's name ends with (an OpenPGP message, as gpg names them). */
  public static final String ENCRYPTED_SUFFIX = ".gpg";

  /** The label of a whole-server dump. */
  public static final String DUMPALL = "dumpall";

  /**
   * The SHA-256 record next to a backup is {@code .<name>.sha256}: hidden, and not starting with
   * "backup", so neither our parser nor a legacy image's backup* glob ever takes it for a backup.
   * Earlier versions of this agent wrote {@code <name>.sha256}, which such globs match; that name
   * is still read, and rotation renames it.
   */
  private static final String CHECKSUM_PREFIX = ".";

  private static final String CHECKSUM_SUFFIX = ".sha256";

  private static final String HEX = "0123456789ABCDEF";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final Pattern NAME =
      Pattern.compile(
          "backup-(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})Z-(.+?)"
              + "(\\.sql\\.gz|\\.sql\\.zst|\\.dump|\\.dir\\.tar)(\\.gpg)?");

  /** How the dump is stored. */
  public enum Format {
    /** Plain SQL, gzip-compressed: the legacy format, restored with psql. */
    SQL_GZ(".sql.gz"),
    /** Plain SQL, zstd-compressed, restored with psql. */
    SQL_ZST(".sql.zst"),
    /** pg_dump's custom archive, restored with pg_restore. */
    CUSTOM(".dump"),
    /**
     * pg_dump's directory format packed in an uncompressed tar (its files are compressed by
     * pg_dump): extract, then {@code pg_restore -j N}.
     */
    DIRECTORY_TAR(".dir.tar");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }

    /** Plain SQL (restored with psql), whichever its compression. */
    public boolean plain() {
      return this == SQL_GZ || this == SQL_ZST;
    }
  }

  public BackupName {
    time = time.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The name of an unencrypted backup. */
  public BackupName(Instant time, String label, Format format) {
    this(time, label, format, false);
  }

  /**
   * The label of a single-database backup: the database's name with ASCII letters, digits, {@code
   * _}, {@code -} and {@code .} as they are and every other byte of its UTF-8 as {@code %XX}, so
   * that any name PostgreSQL allows makes a file name (and an S3 key) without spaces, quotes or
   * slashes: {@code db "quoted" ünï} becomes {@code db%20%22quoted%22%20%C3%BCn%C3%AF}. The names
   * legacy images could write keep their legacy label.
   */
  public static String labelOf(String database) {
    StringBuilder label = new StringBuilder(database.length());
    for (byte b : database.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-'
          || c == '.') {
        label.append((char) c);
      } else {
        label.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
    return label.toString();
  }

  /** The database a label names: {@link #labelOf} undone (a label without {@code %} is as is). */
  public static String databaseOf(String label) {
    if (label.indexOf('%') < 0) {
      return label;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(label.length());
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      int hi = i + 2 < label.length() ? HEX.indexOf(label.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? HEX.indexOf(label.charAt(i + 2)) : -1;
      if (c == '%' && lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Parses a file name; empty when it is not one of our backups. */
  public static Optional<BackupName> parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Instant time = LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC);
      Format format =
          switch (m.group(3)) {
            case ".dump" -> Format.CUSTOM;
            case ".dir.tar" -> Format.DIRECTORY_TAR;
            case ".sql.zst" -> Format.SQL_ZST;
            default -> Format.SQL_GZ;
          };
      return Optional.of(new BackupName(time, m.group(2), format, m.group(4) != null));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The file name, e.g. {@code backup-2025-09-10T10:51:01Z-frag.sql.gz}. */
  public String fileName() {
    return "backup-"
        + TIME.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC))
        + "Z-"
        + label
        + format.extension()
        + (encrypted ? ENCRYPTED_SUFFIX : "");
  }

  /**
   * The backup a checksum record belongs to, from the record's file name: {@code .<name>.sha256},
   * or {@code <name>.sha256} as earlier versions named it (see {@link #isLegacyChecksumFileName}).
   * Empty for any other name.
   */
  public static Optional<BackupName> parseChecksumFileName(String fileName) {
    if (!fileName.endsWith(CHECKSUM_SUFFIX)) {
      return Optional.empty();
    }
    String base = fileName.substring(0, fileName.length() - CHECKSUM_SUFFIX.length());
    if (base.startsWith(CHECKSUM_PREFIX)) {
      base = base.substring(CHECKSUM_PREFIX.length());
    }
    return parse(base);
  }

  /** Whether {@code fileName} is a checksum record under the name earlier versions gave it. */
  public static boolean isLegacyChecksumFileName(String fileName) {
    return !fileName.startsWith(CHECKSUM_PREFIX) && parseChecksumFileName(fileName).isPresent();
  }

  /**
   * The name of the checksum record that goes with this backup, a hidden file in the same
   * directory: {@code .backup-….sql.gz.sha256}.
   */
  public String checksumFileName() {
    return CHECKSUM_PREFIX + fileName() + CHECKSUM_SUFFIX;
  }

  /** The name earlier versions gave the checksum record ({@code backup-….sql.gz.sha256}). */
  public String legacyChecksumFileName() {
    return fileName() + CHECKSUM_SUFFIX;
  }

  /** Oldest first; equal times by label. */
  @Override
  public int compareTo(BackupName other) {
    int byTime = time.compareTo(other.time);
    return byTime != 0 ? byTime : fileName().compareTo(other.fileName());
  }

  @Override
  public String toString() {
    return fileName();
  }
}
