package io.backupagents.replicator.plan;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the temporary files a copy is written to before its rename: {@code .vr-tmp-<name>.<8 hex
 * digits>} in the target file's own directory (so the rename is atomic), with over-long names
 * shortened and marked with a {@code ~} so that no temporary name exceeds 255 bytes.
 */
public final class TempNames {

  // A prefix of our own: other tools' temporary names (e.g. ".tmp-x.1234abcd") are user files
  // here, and only our own partial files may be removed outside the run's deletions.
  private static final String PREFIX = ".vr-tmp-";
  private static final Pattern TEMP = Pattern.compile("\\.vr-tmp-(.+?)(~?)\\.[0-9a-f]{8}");
  private static final int MAX_NAME_BYTES = 255;
  private static final int KEEP_BYTES = MAX_NAME_BYTES - PREFIX.length() - 10;

  private TempNames() {}

  /** A fresh temporary name for a file called {@code name}. */
  public static String forName(String name) {
    String kept = name;
    String mark = "";
    if (name.getBytes(StandardCharsets.UTF_8).length > KEEP_BYTES) {
      kept = shorten(name);
      mark = "~";
    }
    return PREFIX
        + kept
        + mark
        + "."
        + String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  /** True when {@code name} has the form of one of our temporary names. */
  public static boolean isTemp(String name) {
    return name.startsWith(PREFIX) && TEMP.matcher(name).matches();
  }

  /** The final name a temporary name stands for, when it was not shortened. */
  public static Optional<String> finalName(String tempName) {
    Matcher m = TEMP.matcher(tempName);
    if (!m.matches() || !m.group(2).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1));
  }

  private static String shorten(String name) {
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > KEEP_BYTES - 1) {
        break;
      }
      sb.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return sb.toString();
  }
}
