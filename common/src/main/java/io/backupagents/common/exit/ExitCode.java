package io.backupagents.common.exit;

/**
 * Every way a run of either agent can end, with the process exit status it maps to.
 *
 * <p>Values stay below 126, which shells reserve for "not executable" and signals, except {@link
 * #TERMINATED}: a SIGTERM ends the JVM with 143 (128 + 15) whatever the run was doing, so the
 * termination message says 143 too, and the exit status and the message tell one story. The
 * README's exit-code table is checked against this enum.
 */
public enum ExitCode {
  SUCCESS(0, "the run did everything it was asked to", "-"),
  UNEXPECTED(1, "an unexpected error (a bug or an unclassified failure): see the log", "maybe"),
  BAD_SETTINGS(
      2, "a setting is missing, unknown or invalid; nothing was changed", "no: fix the settings"),
  UNREACHABLE(3, "a server or endpoint (PostgreSQL, S3, NFS) could not be reached", "yes"),
  AUTH_FAILED(4, "credentials were refused (PostgreSQL or S3)", "no: fix the credentials"),
  NOT_FOUND(5, "a database, bucket or backup that must exist does not", "no"),
  OPERATION_FAILED(
      6, "a dump, restore, upload or copy failed; earlier backups are untouched", "yes"),
  NO_SPACE(
      7, "the target file system is full; the partial file was removed", "after freeing space"),
  PARTIAL(8, "some items were copied and some failed; the run's deletions were skipped", "yes"),
  VANISHED(9, "source files vanished or changed while being copied (only that)", "yes"),
  GUARD_REFUSED(
      10,
      "a safety guard refused deletions (empty source or too many deletions)",
      "no: a person must look"),
  LOCKED(11, "another run holds the lock and it was not released in time", "yes, later"),
  VERIFY_FAILED(12, "a backup is corrupt, truncated or did not restore", "no: use another backup"),
  READ_ONLY(
      13,
      "the volume the run must write to is mounted read-only; nothing was changed",
      "no: mount it read-write"),
  DECRYPTION_FAILED(
      14,
      "an encrypted backup cannot be decrypted: no decryption key, not a key it was encrypted to,"
          + " or encrypted with a passphrase only (a wrong key passphrase is a settings error, 2)",
      "no: fix the key"),
  TERMINATED(
      143,
      "stopped by SIGTERM (pod deleted, Job deadline, node drain) before the run ended; its"
          + " temporary files and password file were removed, earlier backups are untouched",
      "yes");

  private final int status;
  private final String meaning;
  private final String retry;

  ExitCode(int status, String meaning, String retry) {
    this.status = status;
    this.meaning = meaning;
    this.retry = retry;
  }

  public int status() {
    return status;
  }

  public String meaning() {
    return meaning;
  }

  /** Whether running the same job again can help, as the README's table says. */
  public String retry() {
    return retry;
  }

  /** One line a code, for {@code --help}: status, name and meaning. */
  public static String describeAll() {
    StringBuilder sb = new StringBuilder();
    for (ExitCode code : values()) {
      sb.append(String.format("  %3d  %-17s %s%n", code.status, code.name(), code.meaning));
    }
    return sb.toString();
  }

  /** The README table, generated so that it cannot drift from the code. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| exit code | name | meaning | retry helps? |\n");
    sb.append("|---|---|---|---|\n");
    for (ExitCode code : values()) {
      sb.append("| ")
          .append(code.status)
          .append(" | `")
          .append(code.name())
          .append("` | ")
          .append(code.meaning)
          .append(" | ")
          .append(code.retry)
          .append(" |\n");
    }
    return sb.toString();
  }
}
