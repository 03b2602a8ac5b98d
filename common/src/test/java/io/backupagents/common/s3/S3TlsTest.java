package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every client that talks to S3 verifies the endpoint's certificate and host name, and trusts any
 * only when S3_NO_CHECK_CERTIFICATE says so: the SDK's asynchronous client (Netty: HEAD, uploads,
 * downloads, copies, deletes) and its synchronous client (url-connection: listings, small reads).
 */
class S3TlsTest {

  /** A request through one of the clients, and what it is called in a failure's message. */
  private record Client(String name, String what, Consumer<S3Store> request) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Client> CLIENTS =
      List.of(
          new Client("asynchronous (Netty)", "HEAD of s3://tls/k", store -> store.head("k")),
          new Client(
              "synchronous (url-connection)", "list of s3://tls/", store -> store.listAll("")));

  @Test
  void anUntrustedCertificateIsRefusedByEveryClient() {
    try (S3ProxyServer server = S3ProxyServer.inMemoryOverTls()) {
      for (Client client : CLIENTS) {
        assertRefused(server, client, "unable to find valid certification path");
      }
    }
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefusedByEveryClient(@TempDir Path dir) throws Exception {
    try (S3ProxyServer named = S3ProxyServer.inMemoryOverTls("ip:127.0.0.1");
        S3ProxyServer other = S3ProxyServer.inMemoryOverTls("dns:s3.example.test")) {
      TrustStore trusted = TrustStore.of(dir, named.certificate(), other.certificate());
      try {
        try (S3Connection connection = S3Connection.open(settings(named, Map.of()))) {
          connection.sdk().createBucket(b -> b.bucket("tls")).join();
        }
        for (Client client : CLIENTS) {
          // The trust store is in use: the certificate that names the address is accepted...
          try (S3Connection connection = S3Connection.open(settings(named, Map.of()))) {
            client.request().accept(new S3Store(connection, "tls"));
          }
          // ...and the one that names another host is not.
          assertRefused(
              other, client, "No subject alternative names matching IP address 127.0.0.1");
        }
      } finally {
        trusted.restore();
      }
    }
  }

  @Test
  void everyClientTrustsAnyCertificateWhenVerificationIsOff() {
    try (S3ProxyServer server = S3ProxyServer.inMemoryOverTls("dns:s3.example.test");
        S3Connection connection =
            S3Connection.open(settings(server, Map.of("S3_NO_CHECK_CERTIFICATE", "yes")))) {
      connection.sdk().createBucket(b -> b.bucket("tls")).join();
      S3Store store = new S3Store(connection, "tls");
      store.putBytes("k", new byte[] {42}, "application/octet-stream");
      assertThat(store.head("k")).isPresent();
      assertThat(store.listAll("").stream().map(RemoteObject::key)).containsExactly("k");
      assertThat(store.getBytes("k")).hasValue(new byte[] {42});
    }
  }

  /** The request fails with the certificate problem named, and an exit code that says so. */
  private static void assertRefused(S3ProxyServer server, Client client, String cause) {
    try (S3Connection connection = S3Connection.open(settings(server, Map.of()))) {
      assertThatThrownBy(() -> client.request().accept(new S3Store(connection, "tls")))
          .as(client.name())
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_FAILED))
          .hasMessageStartingWith(
              client.what() + " failed: the S3 endpoint's TLS certificate was refused")
          .hasMessageContaining(cause);
    }
  }

  private static S3Settings settings(S3ProxyServer server, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.putAll(extra);
    SettingsReader r = new SettingsReader(env, List.of(S3Setting.values()), List.of("S3_"));
    S3Settings s = S3Settings.read(r, "for the test");
    r.finish();
    return s;
  }

  /**
   * The JVM's trust store replaced by one holding {@code certificates}, as a user would with {@code
   * -Djavax.net.ssl.trustStore}, until restored; clients built meanwhile use it.
   */
  private record TrustStore(Map<String, String> before) {

    private static final List<String> PROPERTIES =
        List.of(
            "javax.net.ssl.trustStore",
            "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType");

    static TrustStore of(Path dir, X509Certificate... certificates) throws Exception {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.length; i++) {
        store.setCertificateEntry("trusted-" + i, certificates[i]);
      }
      Path file = dir.resolve("trust.p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, "trust-store".toCharArray());
      }
      Map<String, String> before = new HashMap<>();
      PROPERTIES.forEach(p -> before.put(p, System.getProperty(p)));
      System.setProperty("javax.net.ssl.trustStore", file.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", "trust-store");
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      return new TrustStore(before);
    }

    void restore() {
      before.forEach(
          (p, v) -> {
            if (v == null) {
              System.clearProperty(p);
            } else {
              System.setProperty(p, v);
            }
          });
    }
  }
}
