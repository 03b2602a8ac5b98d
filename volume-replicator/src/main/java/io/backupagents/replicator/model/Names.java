package io.backupagents.replicator.model;

/**
 * Entry names as a plain log line shows them: a control character (a newline, a tab, an escape) is
 * written {@code \#ooo} with its octal code, as rsync writes it, so that a file name cannot break a
 * log line or fake another one. JSON logs escape them already; the names themselves are untouched.
 */
public final class Names {

  private Names() {}

  /** {@code name} with its control characters escaped; the same string when it has none. */
  public static String shown(String name) {
    StringBuilder sb = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean control = c < 0x20 || c == 0x7f;
      if (control && sb == null) {
        sb = new StringBuilder(name.length() + 8).append(name, 0, i);
      }
      if (sb != null) {
        if (control) {
          sb.append("\\#").append(String.format("%03o", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? name : sb.toString();
  }

  /** Log arguments with the names among them (the strings) shown as {@link #shown} shows them. */
  public static Object[] shownAll(Object... args) {
    Object[] shown = args.clone();
    for (int i = 0; i < shown.length; i++) {
      if (shown[i] instanceof String s) {
        shown[i] = shown(s);
      }
    }
    return shown;
  }
}
