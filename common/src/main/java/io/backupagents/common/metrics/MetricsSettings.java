package io.backupagents.common.metrics;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the run's metrics go: a Pushgateway, a textfile, and/or a port served during the run. The
 * launcher reads it from the {@code METRICS_*} settings ({@code CommonSetting.readMetrics}).
 */
public record MetricsSettings(
    Optional<URI> pushgateway,
    Optional<String> pushgatewayUser,
    Optional<String> pushgatewayPassword,
    String job,
    Optional<String> instance,
    Optional<Path> textfile,
    int port) {

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
