package io.backupagents.sqlbackup.model;

import java.util.Locale;

/**
 * Which backup a run asks for, as {@code FROM_BACKUP} or {@code --from} says: the newest, none
 * (only list), or the one whose name contains some text (normally its time).
 */
public record FromBackup(Mode mode, String text) {

  /** The three legacy forms of FROM_BACKUP. */
  public enum Mode {
    LATEST,
    NONE,
    CONTAINING
  }

  public static final FromBackup LATEST = new FromBackup(Mode.LATEST, "");
  public static final FromBackup NONE = new FromBackup(Mode.NONE, "");

  /** Parses the setting's text; LATEST and NONE in any case, anything else is a name fragment. */
  public static FromBackup parse(String raw) {
    String text = raw.strip();
    return switch (text.toUpperCase(Locale.ROOT)) {
      case "LATEST" -> LATEST;
      case "NONE" -> NONE;
      default -> new FromBackup(Mode.CONTAINING, text);
    };
  }

  @Override
  public String toString() {
    return mode == Mode.CONTAINING ? text : mode.name();
  }
}
