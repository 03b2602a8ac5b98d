package io.backupagents.common.launch;

import io.backupagents.common.metrics.MetricsSettings;
import io.backupagents.common.settings.Setting;
import io.backupagents.common.settings.SettingDefinition;
import io.backupagents.common.settings.SettingsReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Settings every agent reads: logging, metrics export, termination message, exit behaviour. */
public enum CommonSetting implements SettingDefinition {
  LOG_FORMAT(
      Setting.of("LOG_FORMAT", "plain", "plain (readable lines) or json (one object a line)")),
  LOG_LEVEL(
      Setting.of(
          "LOG_LEVEL",
          "info",
          "error, warn, info, debug or trace (the S3 and HTTP libraries log at most their info, never the wire)")),
  TERMINATION_LOG_PATH(
      Setting.of(
          "TERMINATION_LOG_PATH",
          "/dev/termination-log",
          "where SUCCESS or FAILURE (<code>: <cause>) is written at the end")),
  EXIT_ZERO_ON_FAILURE(
      Setting.of(
          "EXIT_ZERO_ON_FAILURE",
          "no",
          "yes: exit 0 even on failure, as the legacy images did (the termination message still says FAILURE)")),
  METRICS_PUSHGATEWAY_URL(
      Setting.of(
          "METRICS_PUSHGATEWAY_URL",
          null,
          "Pushgateway to push-add the run's metrics to at the end, e.g. http://pushgateway:9091")),
  METRICS_PUSHGATEWAY_USER(
      Setting.of("METRICS_PUSHGATEWAY_USER", null, "basic-auth user for the Pushgateway")),
  METRICS_PUSHGATEWAY_PASSWORD(
      Setting.of("METRICS_PUSHGATEWAY_PASSWORD", null, "basic-auth password for the Pushgateway")
          .asSecret()),
  METRICS_JOB(Setting.of("METRICS_JOB", null, "Pushgateway job name (default: the agent's name)")),
  METRICS_INSTANCE(
      Setting.of(
          "METRICS_INSTANCE",
          null,
          "instance label of the pushed group, e.g. the stack or cluster name")),
  METRICS_TEXTFILE_PATH(
      Setting.of(
          "METRICS_TEXTFILE_PATH",
          null,
          "also write the metrics to this file (node-exporter textfile collector), atomically; its directory must exist at start-up")),
  METRICS_PORT(
      Setting.of(
          "METRICS_PORT", "0", "serve /metrics on this port while the run is in progress; 0: off"));

  private final Setting setting;

  CommonSetting(Setting setting) {
    this.setting = setting;
  }

  @Override
  public Setting setting() {
    return setting;
  }

  /** Reads the {@code METRICS_*} settings, recording problems in {@code r}. */
  public static MetricsSettings readMetrics(SettingsReader r, String agentName) {
    Optional<URI> pushgateway = r.uri(METRICS_PUSHGATEWAY_URL);
    Optional<String> user = r.optional(METRICS_PUSHGATEWAY_USER);
    Optional<String> password = r.optional(METRICS_PUSHGATEWAY_PASSWORD);
    if (user.isPresent() != password.isPresent()) {
      r.problem(
          "METRICS_PUSHGATEWAY_USER and METRICS_PUSHGATEWAY_PASSWORD go together: set both or"
              + " neither");
    }
    return new MetricsSettings(
        pushgateway,
        user,
        password,
        r.optional(METRICS_JOB).orElse(agentName),
        r.optional(METRICS_INSTANCE),
        textfile(r),
        r.integer(METRICS_PORT, 0, 65535));
  }

  /**
   * The textfile, whose directory must be there and writable at start-up: found missing only when
   * the run ends, the metrics of a finished backup would be lost and its alerts go blind.
   */
  private static Optional<Path> textfile(SettingsReader r) {
    Optional<Path> file = r.path(METRICS_TEXTFILE_PATH);
    if (file.isPresent()) {
      Path dir = file.get().toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        r.invalid(METRICS_TEXTFILE_PATH, "a file in an existing directory this user may write to");
      }
    }
    return file;
  }
}
