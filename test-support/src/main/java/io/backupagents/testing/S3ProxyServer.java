package io.backupagents.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 endpoint in this JVM: S3Proxy on a free loopback port, with AWS v2/v4 signatures and
 * unknown headers ignored (the AWS SDK sends some S3Proxy does not know). Buckets live in memory or
 * in a temporary directory.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key-0123456789";
  private static final String KEY_STORE_PASSWORD = "test-key-store";

  private final S3Proxy proxy;
  private final URI endpoint;
  private final Path directory;
  private final Path keyStore;

  private S3ProxyServer(BlobStore store, Path directory, Path keyStore) throws Exception {
    int port = FreePort.pick();
    this.directory = directory;
    this.keyStore = keyStore;
    S3Proxy.Builder builder =
        S3Proxy.builder()
            .blobStore(store)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true);
    if (keyStore == null) {
      this.endpoint = URI.create("http://127.0.0.1:" + port);
      builder.endpoint(endpoint);
    } else {
      this.endpoint = URI.create("https://127.0.0.1:" + port);
      builder.secureEndpoint(endpoint).keyStore(keyStore.toString(), KEY_STORE_PASSWORD);
    }
    this.proxy = builder.build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  /** Buckets kept in memory. */
  public static S3ProxyServer inMemory() {
    try {
      return new S3ProxyServer(new TransientNio2BlobStore(), null, null);
    } catch (Exception e) {
      throw new IllegalStateException("could not start S3Proxy: " + e, e);
    }
  }

  /**
   * Buckets kept in memory, served over HTTPS only, with a self-signed certificate (for 127.0.0.1)
   * that no trust store knows: clients that verify certificates must refuse it.
   */
  public static S3ProxyServer inMemoryOverTls() {
    return inMemoryOverTls("ip:127.0.0.1", "dns:localhost");
  }

  /**
   * Buckets kept in memory, served over HTTPS on 127.0.0.1 only, with a self-signed certificate
   * that names {@code names} (keytool's subject alternative names: {@code dns:host}, {@code
   * ip:address}); {@link #certificate()} gives it to a test that wants a client to trust it.
   */
  public static S3ProxyServer inMemoryOverTls(String... names) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("s3proxy-tls-");
      Path keyStore = dir.resolve("keystore.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Commands.run(
          List.of(
              keytool.toString(),
              "-genkeypair",
              "-alias",
              "s3proxy",
              "-keyalg",
              "RSA",
              "-keysize",
              "2048",
              "-validity",
              "2",
              "-dname",
              "CN=s3proxy-test",
              "-ext",
              "SAN=" + String.join(",", names),
              "-storetype",
              "PKCS12",
              "-keystore",
              keyStore.toString(),
              "-storepass",
              KEY_STORE_PASSWORD,
              "-keypass",
              KEY_STORE_PASSWORD));
      return new S3ProxyServer(new TransientNio2BlobStore(), dir, keyStore);
    } catch (Exception e) {
      if (dir != null) {
        PostgresServer.deleteTree(dir);
      }
      throw new IllegalStateException("could not start S3Proxy over TLS: " + e, e);
    }
  }

  /** Buckets kept under a temporary directory (for large objects). */
  public static S3ProxyServer onDisk() {
    try {
      Path dir = Files.createTempDirectory("s3proxy-");
      return new S3ProxyServer(new FilesystemNio2BlobStore(dir.toString()), dir, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start S3Proxy: " + e, e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The certificate a server made by {@link #inMemoryOverTls} presents. */
  public X509Certificate certificate() {
    if (keyStore == null) {
      throw new IllegalStateException("this S3Proxy serves plain HTTP");
    }
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, KEY_STORE_PASSWORD.toCharArray());
      return (X509Certificate) store.getCertificate("s3proxy");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("unreadable key store " + keyStore, e);
    }
  }

  /** Environment variables that point an agent (or rclone's AWS variables) at this endpoint. */
  public java.util.Map<String, String> agentEnvironment() {
    return java.util.Map.of(
        "S3_ENDPOINT",
        endpoint.toString(),
        "S3_PROVIDER",
        "Other",
        "S3_ACCESS_KEY_ID",
        ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY",
        SECRET_KEY,
        "S3_REGION",
        "us-east-1");
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy", e);
    } finally {
      if (directory != null) {
        PostgresServer.deleteTree(directory);
      }
    }
  }
}
