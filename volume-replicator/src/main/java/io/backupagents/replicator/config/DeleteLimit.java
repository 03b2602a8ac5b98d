package io.backupagents.replicator.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many deletions a run may make before the guard refuses them all: a count of files or a
 * percentage of the target's files.
 */
public record DeleteLimit(long count, double percent) {

  private static final Pattern FORM = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(%?)\\s*");

  public DeleteLimit {
    if ((count < 0) == (percent < 0)) {
      throw new IllegalArgumentException("a delete limit is either a count or a percentage");
    }
  }

  public static DeleteLimit ofCount(long count) {
    return new DeleteLimit(count, -1);
  }

  public static DeleteLimit ofPercent(double percent) {
    return new DeleteLimit(-1, percent);
  }

  /** Parses {@code 1000} or {@code 50%} (0 to 100); empty when the text is neither. */
  public static Optional<DeleteLimit> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(2).isEmpty()) {
      return m.group(1).contains(".")
          ? Optional.empty()
          : Optional.of(ofCount(Long.parseLong(m.group(1))));
    }
    double percent = Double.parseDouble(m.group(1));
    return percent <= 100 ? Optional.of(ofPercent(percent)) : Optional.empty();
  }

  /** The most deletions allowed for a target that holds {@code targetFiles} files. */
  public long allowed(long targetFiles) {
    return count >= 0 ? count : (long) Math.floor(targetFiles * percent / 100.0);
  }

  @Override
  public String toString() {
    if (count >= 0) {
      return Long.toString(count);
    }
    return (percent == Math.rint(percent)
            ? Long.toString((long) percent)
            : Double.toString(percent))
        + "%";
  }
}
