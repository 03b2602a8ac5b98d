package io.backupagents.replicator.scan;

/**
 * Which object keys can become files under a target directory: relative paths whose every component
 * is a plain name. A key such as {@code ../../etc/cron.d/x}, {@code /etc/passwd} or {@code a//b}
 * could write outside the target or be ambiguous, so it is refused.
 */
public final class SafeKeys {

  private SafeKeys() {}

  /** Why {@code relativeKey} cannot be restored, or null when it can. */
  public static String problem(String relativeKey) {
    if (relativeKey.isEmpty()) {
      return "empty path";
    }
    if (relativeKey.startsWith("/")) {
      return "absolute path";
    }
    if (relativeKey.indexOf('\0') >= 0) {
      return "NUL character";
    }
    String body =
        relativeKey.endsWith("/")
            ? relativeKey.substring(0, relativeKey.length() - 1)
            : relativeKey;
    for (String part : body.split("/", -1)) {
      if (part.isEmpty()) {
        return "empty path component";
      }
      if (part.equals("..")) {
        return "'..' component would escape the target directory";
      }
      if (part.equals(".")) {
        return "'.' component";
      }
    }
    return null;
  }
}
