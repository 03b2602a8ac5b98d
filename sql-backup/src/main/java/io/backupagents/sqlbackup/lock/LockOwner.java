package io.backupagents.sqlbackup.lock;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who holds a lock: the host (pod) and process, the tier it runs for, when it started, and a random
 * token that tells two runs on the same host apart. Stored as one line of {@code key=value} pairs.
 */
public record LockOwner(String host, long pid, String tier, Instant started, String token) {

  /** An owner for this process. */
  public static LockOwner of(String host, String tier, Instant started) {
    return new LockOwner(
        host, ProcessHandle.current().pid(), tier, started, UUID.randomUUID().toString());
  }

  /** The line written into the lock. */
  public String format() {
    return "host="
        + host
        + " pid="
        + pid
        + " tier="
        + tier
        + " started="
        + started
        + " token="
        + token
        + "\n";
  }

  /** Parses a lock's content; empty when it is empty (released) or not ours. */
  public static Optional<LockOwner> parse(String content) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : content.strip().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    try {
      return Optional.of(
          new LockOwner(
              fields.getOrDefault("host", "?"),
              Long.parseLong(fields.getOrDefault("pid", "0")),
              fields.getOrDefault("tier", "?"),
              Instant.parse(fields.get("started")),
              fields.getOrDefault("token", "")));
    } catch (NumberFormatException | DateTimeParseException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /** For messages: {@code the hourly run on pod-x (pid 7) started 2025-01-01T00:51:00Z}. */
  public String describe() {
    return "the " + tier + " run on " + host + " (pid " + pid + ") started " + started;
  }
}
