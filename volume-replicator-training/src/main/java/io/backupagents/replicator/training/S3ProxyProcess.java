package io.backupagents.replicator.training;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy's standalone jar in a child JVM (this JVM's own {@code java}): buckets in memory, on a
 * free loopback port, no authentication. A child and not S3Proxy in this JVM, so that the class
 * archive recorded here holds the agent's classes and not the server's.
 */
final class S3ProxyProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private S3ProxyProcess(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Starts S3Proxy from {@code jar}, its files in {@code dir}, and creates {@code bucket}. */
  static S3ProxyProcess start(Path jar, Path dir, String bucket)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no S3Proxy jar at " + jar);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        """
        s3proxy.endpoint=%s
        s3proxy.authorization=none
        s3proxy.ignore-unknown-headers=true
        jclouds.provider=transient-nio2
        jclouds.identity=training
        jclouds.credential=training
        """
            .formatted(endpoint));
    Path log = dir.resolve("s3proxy.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(), "-jar", jar.toString(), "--properties", properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3ProxyProcess proxy = new S3ProxyProcess(process, endpoint, log);
    try {
      proxy.createBucket(bucket);
    } catch (IOException | InterruptedException | RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  URI endpoint() {
    return endpoint;
  }

  /** Creates the bucket once S3Proxy answers; it takes a few seconds to start. */
  private void createBucket(String bucket) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            "S3Proxy ended with status " + process.exitValue() + " before it answered:\n" + tail());
      }
      HttpURLConnection put =
          (HttpURLConnection) endpoint.resolve("/" + bucket).toURL().openConnection();
      put.setRequestMethod("PUT");
      put.setDoOutput(true);
      put.setFixedLengthStreamingMode(0);
      try {
        int status = put.getResponseCode();
        if (status != 200) {
          throw new IOException("S3Proxy answered " + status + " to creating the bucket " + bucket);
        }
        return;
      } catch (ConnectException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException("S3Proxy did not answer within " + START_TIMEOUT + ":\n" + tail());
        }
        Thread.sleep(100);
      } finally {
        put.disconnect();
      }
    }
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  /** Stops S3Proxy and waits (a while) for its JVM to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
