package io.backupagents.replicator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The legacy {@code RCLONE_EXTRA_OPTIONS}: the flags operators used ({@code --bwlimit}, {@code
 * --transfers}, {@code --checkers}, {@code --dry-run}) mapped onto our settings; anything else is a
 * problem, because silently ignoring a flag would change what the run does.
 */
public record RcloneExtraOptions(
    OptionalLong bandwidthLimit,
    OptionalInt transfers,
    OptionalInt checkers,
    boolean dryRun,
    List<String> problems) {

  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)([bkmgtp]?)(i?b?)");
  private static final List<String> SUPPORTED =
      List.of("--bwlimit", "--transfers", "--checkers", "--dry-run");

  public RcloneExtraOptions {
    problems = List.copyOf(problems);
  }

  public static RcloneExtraOptions none() {
    return new RcloneExtraOptions(
        OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(), false, List.of());
  }

  /** Parses space-separated flags, each {@code --flag value} or {@code --flag=value}. */
  public static RcloneExtraOptions parse(String text) {
    List<String> problems = new ArrayList<>();
    OptionalLong bw = OptionalLong.empty();
    OptionalInt transfers = OptionalInt.empty();
    OptionalInt checkers = OptionalInt.empty();
    boolean dryRun = false;
    List<String> words = List.of(text.trim().split("\\s+"));
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.isEmpty()) {
        continue;
      }
      int eq = word.indexOf('=');
      String flag = eq < 0 ? word : word.substring(0, eq);
      if (flag.equals("--dry-run") || flag.equals("-n")) {
        dryRun = eq < 0 || Boolean.parseBoolean(word.substring(eq + 1));
        continue;
      }
      if (!SUPPORTED.contains(flag)) {
        problems.add(
            "RCLONE_EXTRA_OPTIONS: "
                + flag
                + " is not supported (only "
                + String.join(", ", SUPPORTED)
                + " are; use the REPLICATE_* settings for the rest)");
        continue;
      }
      String value;
      if (eq >= 0) {
        value = word.substring(eq + 1);
      } else if (i + 1 < words.size()) {
        value = words.get(++i);
      } else {
        problems.add("RCLONE_EXTRA_OPTIONS: " + flag + " needs a value");
        continue;
      }
      switch (flag) {
        case "--bwlimit" -> bw = rate(value, problems);
        case "--transfers" -> transfers = count(flag, value, problems);
        default -> checkers = count(flag, value, problems);
      }
    }
    return new RcloneExtraOptions(bw, transfers, checkers, dryRun, problems);
  }

  /** rclone's rate: a bare number is KiB/s; suffixes B, K, M, G, T, P (binary); off = none. */
  static OptionalLong rate(String value, List<String> problems) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.equals("off") || v.equals("0")) {
      return OptionalLong.empty();
    }
    Matcher m = RATE.matcher(v);
    if (!m.matches()) {
      problems.add(
          "RCLONE_EXTRA_OPTIONS: --bwlimit "
              + value
              + ": expected one rate such as 10M (timetables and upload:download pairs are not"
              + " supported; use REPLICATE_BWLIMIT)");
      return OptionalLong.empty();
    }
    int shift =
        switch (m.group(2)) {
          case "b" -> 0;
          case "", "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 50;
        };
    return OptionalLong.of((long) (Double.parseDouble(m.group(1)) * (1L << shift)));
  }

  private static OptionalInt count(String flag, String value, List<String> problems) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 1024) {
        return OptionalInt.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(
        "RCLONE_EXTRA_OPTIONS: " + flag + " " + value + ": expected a number from 1 to 1024");
    return OptionalInt.empty();
  }

  public Optional<String> describe() {
    List<String> parts = new ArrayList<>();
    bandwidthLimit.ifPresent(b -> parts.add("bandwidth limit " + b + " B/s"));
    transfers.ifPresent(t -> parts.add("transfers " + t));
    checkers.ifPresent(c -> parts.add("checkers " + c));
    if (dryRun) {
      parts.add("dry run");
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
  }
}
