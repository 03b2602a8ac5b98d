package io.backupagents.replicator.testing;

import io.backupagents.common.launch.Launcher;
import io.backupagents.replicator.VolumeReplicatorAgent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs the agent in this JVM, as its main would, and keeps what a test wants to look at. */
public record Run(int exitCode, String termination, PrometheusMeterRegistry registry) {

  /** A Friday. */
  public static final Instant NOW = Instant.parse("2025-03-14T02:30:00Z");

  /** Runs with {@code env} (plus a termination file in {@code work}) at {@link #NOW}. */
  public static Run of(Path work, Map<String, String> env) {
    return of(work, env, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  public static Run of(Path work, Map<String, String> env, Clock clock) {
    Path termination =
        env.containsKey("TERMINATION_LOG_PATH")
            ? Path.of(env.get("TERMINATION_LOG_PATH"))
            : work.resolve("termination-" + System.nanoTime());
    Map<String, String> all = new HashMap<>();
    all.put("TERMINATION_LOG_PATH", termination.toString());
    all.put("REPLICATE_PROGRESS_INTERVAL", "1h");
    all.putAll(env);
    Launcher launcher = new Launcher(new VolumeReplicatorAgent(), all, clock);
    try {
      Files.deleteIfExists(termination);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int code = launcher.run(java.util.List.of());
    try {
      String message =
          Files.exists(termination) ? Files.readString(termination, StandardCharsets.UTF_8) : "";
      return new Run(code, message, launcher.registry());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of a gauge in the run's metrics, by its Prometheus name. */
  public double metric(String prometheusName) {
    for (String line : registry.scrape().split("\n")) {
      if (line.startsWith(prometheusName + "{") || line.startsWith(prometheusName + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no metric " + prometheusName + " in:\n" + registry.scrape());
  }
}
