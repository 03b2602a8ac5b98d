package io.backupagents.replicator.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The legacy rolling S3 sub-directories: {@code <ISO weekday number>-<English day name>} (e.g.
 * {@code 5-Friday}) and {@code First-Of-Month} on the 1st, both by the UTC date.
 */
public record DayDirectory(boolean dayOfWeek, boolean firstOfMonth) {

  public static final DayDirectory NONE = new DayDirectory(false, false);

  public static final String FIRST_OF_MONTH = "First-Of-Month";

  public boolean isNone() {
    return !dayOfWeek && !firstOfMonth;
  }

  /** The sub-directory for {@code date}, or the empty string for the location itself. */
  public String forDate(LocalDate date) {
    if (firstOfMonth && date.getDayOfMonth() == 1) {
      return FIRST_OF_MONTH;
    }
    if (dayOfWeek) {
      DayOfWeek day = date.getDayOfWeek();
      return day.getValue() + "-" + day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }
    return "";
  }
}
