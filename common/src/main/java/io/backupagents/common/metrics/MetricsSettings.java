package io.backupagents.common.metrics;

import io.backupagents.common.launch.CommonSetting;
import io.backupagents.common.settings.SettingsReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Where the run's metrics go: a Pushgateway, a textfile, and/or a port served during the run. */
public record MetricsSettings(
    Optional<URI> pushgateway,
    Optional<String> pushgatewayUser,
    Optional<String> pushgatewayPassword,
    String job,
    Optional<String> instance,
    Optional<Path> textfile,
    int port) {

  public static MetricsSettings read(SettingsReader r, String agentName) {
    Optional<URI> pushgateway = r.uri(CommonSetting.METRICS_PUSHGATEWAY_URL);
    Optional<String> user = r.optional(CommonSetting.METRICS_PUSHGATEWAY_USER);
    Optional<String> password = r.optional(CommonSetting.METRICS_PUSHGATEWAY_PASSWORD);
    if (user.isPresent() != password.isPresent()) {
      r.problem(
          "METRICS_PUSHGATEWAY_USER and METRICS_PUSHGATEWAY_PASSWORD go together: set both or"
              + " neither");
    }
    return new MetricsSettings(
        pushgateway,
        user,
        password,
        r.optional(CommonSetting.METRICS_JOB).orElse(agentName),
        r.optional(CommonSetting.METRICS_INSTANCE),
        r.path(CommonSetting.METRICS_TEXTFILE_PATH),
        r.integer(CommonSetting.METRICS_PORT, 0, 65535));
  }

  /** Never print the password. */
  @Override
  public String toString() {
    return "MetricsSettings[pushgateway="
        + pushgateway.map(URI::toString).orElse("-")
        + ", job="
        + job
        + ", textfile="
        + textfile.map(Path::toString).orElse("-")
        + ", port="
        + port
        + "]";
  }
}
