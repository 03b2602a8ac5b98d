package io.backupagents.common.metrics;

import com.sun.net.httpserver.HttpServer;
import io.backupagents.common.fs.AtomicFiles;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a run's metrics: push-add to a Pushgateway (so a failed run, which does not carry the
 * last-success gauge, never overwrites the last success), an atomically written textfile, and
 * optionally {@code /metrics} served while the run is in progress.
 */
public final class MetricsExporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsExporter.class);

  private final MetricsSettings settings;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public MetricsExporter(MetricsSettings settings, PrometheusMeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
  }

  /** Starts serving {@code /metrics} when a port is configured. */
  public void start() throws IOException {
    if (settings.port() == 0) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(settings.port()), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    log.info("serving metrics on port {} at /metrics while the run lasts", settings.port());
  }

  /**
   * Pushes and writes the metrics. Returns false when an export failed (logged): a run's outcome
   * does not change because the metrics could not be delivered, but alerts on staleness will.
   */
  public boolean export(Map<String, String> groupingKey) {
    boolean ok = true;
    if (settings.pushgateway().isPresent()) {
      URI url = settings.pushgateway().get();
      try {
        PushGateway.Builder builder =
            PushGateway.builder()
                .address(
                    url.getHost() + ":" + (url.getPort() > 0 ? url.getPort() : defaultPort(url)))
                .scheme("https".equalsIgnoreCase(url.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
                .job(settings.job())
                .registry(registry.getPrometheusRegistry())
                .connectionTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30));
        settings.instance().ifPresent(i -> builder.groupingKey("instance", i));
        groupingKey.forEach(builder::groupingKey);
        if (settings.pushgatewayUser().isPresent() && settings.pushgatewayPassword().isPresent()) {
          builder.basicAuth(settings.pushgatewayUser().get(), settings.pushgatewayPassword().get());
        }
        builder.build().pushAdd();
        log.info("metrics pushed to {} (job {})", url, settings.job());
      } catch (IOException | RuntimeException e) {
        ok = false;
        log.error("could not push metrics to {}: {}", url, e.getMessage());
      }
    }
    if (settings.textfile().isPresent()) {
      try {
        AtomicFiles.write(
            settings.textfile().get(), registry.scrape().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        ok = false;
        log.error("could not write metrics to {}: {}", settings.textfile().get(), e.toString());
      }
    }
    return ok;
  }

  private static int defaultPort(URI url) {
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 9091;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
