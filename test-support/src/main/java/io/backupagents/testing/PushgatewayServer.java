package io.backupagents.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real Prometheus Pushgateway (Debian's prometheus-pushgateway) on a free loopback port. */
public final class PushgatewayServer implements AutoCloseable {

  private final Process process;
  private final URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  private PushgatewayServer(Process process, URI url) {
    this.process = process;
    this.url = url;
  }

  /** Starts it; fails (CI) or skips (elsewhere) when the binary is not installed. */
  public static PushgatewayServer start() {
    Path binary = RequiredTool.require("prometheus-pushgateway", "/usr/bin");
    int port = FreePort.pick();
    try {
      Process process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "--web.listen-address=127.0.0.1:" + port,
                      "--log.level=warn"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      PushgatewayServer server =
          new PushgatewayServer(process, URI.create("http://127.0.0.1:" + port));
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the Pushgateway: " + e, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("the Pushgateway did not become ready");
  }

  public URI url() {
    return url;
  }

  /** Everything the Pushgateway exposes to Prometheus now, in the text format. */
  public String metrics() {
    try {
      return get("/metrics").body();
    } catch (IOException e) {
      throw new IllegalStateException("could not read the Pushgateway's metrics", e);
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
