package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The read path of {@link S3Store}: listings and small reads over the JDK's HTTP client, against
 * S3Proxy (which checks every signature) and, for retries and error responses, a scripted HTTP
 * server on loopback.
 */
class S3ReadClientTest {

  private static S3Settings settings(URI endpoint, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("S3_ENDPOINT", endpoint.toString());
    env.put("S3_PROVIDER", "Other");
    env.put("S3_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.putAll(extra);
    SettingsReader r = new SettingsReader(env, List.of(S3Setting.values()), List.of("S3_"));
    S3Settings s = S3Settings.read(r, "for the test");
    r.finish();
    return s;
  }

  @Test
  void oddKeysAreListedAndReadWithoutStartingTheSdkClient() throws Exception {
    List<String> keys =
        List.of(
            "odd/a b/c+d.txt",
            "odd/100%/é ü 日本.txt",
            "odd/amp&lt;x>/q?=#.txt",
            "odd/tilde~/star*(1).txt");
    try (S3ProxyServer server = S3ProxyServer.inMemory()) {
      S3Settings s = settings(server.endpoint(), Map.of());
      try (S3Connection writer = S3Connection.open(s)) {
        writer.sdk().createBucket(b -> b.bucket("odd")).join();
        S3Store store = new S3Store(writer, "odd");
        for (String key : keys) {
          store.putBytes(key, key.getBytes(StandardCharsets.UTF_8), "text/plain");
        }
      }
      try (S3Connection reader = S3Connection.open(s)) {
        S3Store store = new S3Store(reader, "odd");
        assertThat(store.listAll("odd/").stream().map(RemoteObject::key))
            .containsExactlyElementsOf(keys.stream().sorted().toList());
        List<String> after = new ArrayList<>();
        store.list("odd/", "odd/100%/é ü 日本.txt", o -> after.add(o.key()));
        assertThat(after).hasSize(3).doesNotContain("odd/100%/é ü 日本.txt");
        for (String key : keys) {
          byte[] content = key.getBytes(StandardCharsets.UTF_8);
          assertThat(store.getBytes(key)).as(key).hasValue(content);
          FetchedObject fetched = store.fetch(key).orElseThrow();
          assertThat(fetched.content()).isEqualTo(content);
          assertThat(fetched.object().size()).isEqualTo(content.length);
          assertThat(fetched.object().md5Hex()).isPresent();
          assertThat(fetched.object().lastModified()).isNotNull();
        }
        assertThat(store.getBytes("odd/missing")).isEmpty();
        assertThat(reader.sdkStarted()).as("the SDK's client was built").isFalse();
      }
    }
  }

  @Test
  void aListingLongerThanAPageFollowsTheContinuationToken() {
    try (S3ProxyServer server = S3ProxyServer.inMemory();
        S3Connection connection = S3Connection.open(settings(server.endpoint(), Map.of()))) {
      connection.sdk().createBucket(b -> b.bucket("pages")).join();
      S3Store store = new S3Store(connection, "pages");
      try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
        for (int i = 0; i < 1500; i++) {
          String key = String.format("p/%05d", i);
          pool.execute(() -> store.putBytes(key, new byte[] {1}, "application/octet-stream"));
        }
      }
      List<String> seen = new ArrayList<>();
      int requests = store.list("p/", o -> seen.add(o.key()));
      assertThat(requests).isEqualTo(2);
      assertThat(seen).hasSize(1500).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aMissingBucketIsNotFound() {
    try (S3ProxyServer server = S3ProxyServer.inMemory();
        S3Connection connection = S3Connection.open(settings(server.endpoint(), Map.of()))) {
      assertThatThrownBy(() -> new S3Store(connection, "no-such-bucket").listAll(""))
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND))
          .hasMessageContaining("s3://no-such-bucket/")
          .hasMessageContaining("NoSuchBucket");
    }
  }

  @Test
  void anUntrustedCertificateIsRefusedUnlessVerificationIsOff() {
    try (S3ProxyServer server = S3ProxyServer.inMemoryOverTls()) {
      try (S3Connection verifying = S3Connection.open(settings(server.endpoint(), Map.of()))) {
        assertThatThrownBy(() -> new S3Store(verifying, "tls").listAll(""))
            .isInstanceOf(AgentException.class)
            .hasMessageContaining("list of s3://tls/");
      }
      try (S3Connection trusting =
          S3Connection.open(
              settings(server.endpoint(), Map.of("S3_NO_CHECK_CERTIFICATE", "yes")))) {
        trusting.sdk().createBucket(b -> b.bucket("tls")).join();
        S3Store store = new S3Store(trusting, "tls");
        store.putBytes("k", new byte[] {42}, "application/octet-stream");
        assertThat(store.listAll("").stream().map(RemoteObject::key)).containsExactly("k");
        assertThat(store.getBytes("k")).hasValue(new byte[] {42});
      }
    }
  }

  @Test
  void serverErrorsAreRetriedRefusalsAreNotAndCorruptContentIsCaught() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          int n = requests.incrementAndGet();
          String path = exchange.getRequestURI().getPath();
          byte[] body;
          int status;
          if (path.startsWith("/corrupt")) {
            status = 200;
            body = "the content".getBytes(StandardCharsets.UTF_8);
            // the MD5 of something else
            exchange.getResponseHeaders().add("ETag", "\"0cc175b9c0f1b6a831c399e269772661\"");
          } else if (path.startsWith("/flaky") && n == 1) {
            status = 500;
            body = error("InternalError", "try again");
          } else if (path.startsWith("/flaky")) {
            status = 200;
            body = listing("<Contents><Key>k</Key><Size>3</Size></Contents>", false, null);
          } else {
            status = 403;
            body = error("AccessDenied", "Access Denied");
          }
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    URI endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    try (S3Connection connection =
        S3Connection.open(settings(endpoint, Map.of("S3_MAX_ATTEMPTS", "3")))) {
      assertThat(new S3Store(connection, "flaky").listAll("").stream().map(RemoteObject::key))
          .containsExactly("k");
      assertThat(requests.get()).as("requests to the flaky bucket").isEqualTo(2);

      requests.set(0);
      assertThatThrownBy(() -> new S3Store(connection, "denied").getBytes("k"))
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH_FAILED))
          .hasMessageContaining("download of s3://denied/k was refused (HTTP 403 AccessDenied)");
      assertThat(requests.get()).as("requests to the refusing bucket").isEqualTo(1);

      assertThatThrownBy(() -> new S3Store(connection, "corrupt").fetch("k"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("download of s3://corrupt/k is corrupt: MD5");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aResponseThatStallsIsAbandonedAndRetried() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, 1000);
          exchange.getResponseBody().write("<ListBucketResult>".getBytes(StandardCharsets.UTF_8));
          exchange.getResponseBody().flush();
          try {
            Thread.sleep(10_000); // the rest of the body never comes in time
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    http.start();
    URI endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    try (S3ReadClient client =
        new S3ReadClient(
            settings(endpoint, Map.of("S3_MAX_ATTEMPTS", "2")), java.time.Duration.ofSeconds(1))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.list("stalled", "", null, null))
          .hasMessageContaining("no complete response within 1 s");
      assertThat(requests.get()).isEqualTo(2);
      assertThat(System.nanoTime() - start).isLessThan(8_000_000_000L);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void listingsAreReadWithTheirEncodingAndTruncation() throws IOException {
    S3ReadClient.Page encoded =
        parse(
            listing(
                "<Contents><Key>a%20b/c%2Bd%25.txt</Key><LastModified>2026-01-02T03:04:05.678Z"
                    + "</LastModified><ETag>&quot;0123&quot;</ETag><Size>12</Size>"
                    + "<StorageClass>STANDARD</StorageClass></Contents>"
                    + "<EncodingType>url</EncodingType>",
                true, "token+1/="));
    assertThat(encoded.objects())
        .containsExactly(
            new RemoteObject(
                "a b/c+d%.txt", 12, "\"0123\"", Instant.parse("2026-01-02T03:04:05.678Z"), null));
    assertThat(encoded.nextToken()).isEqualTo("token+1/=");

    S3ReadClient.Page plain =
        parse(listing("<Contents><Key>100%+x</Key><Size>0</Size></Contents>", false, "ignored"));
    assertThat(plain.objects()).extracting(RemoteObject::key).containsExactly("100%+x");
    assertThat(plain.nextToken()).as("not truncated: no next page").isNull();

    assertThatThrownBy(() -> parse(listing("<Contents><Size>1</Size></Contents>", false, null)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without a Key");
  }

  @Test
  void timesAreReadInEveryIsoForm() {
    assertThat(S3ReadClient.isoInstant("2026-01-02T03:04:05.678Z"))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    assertThat(S3ReadClient.isoInstant("2026-01-02T03:04:05Z"))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(S3ReadClient.isoInstant("2026-01-02T03:04:05.123456Z"))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    assertThat(S3ReadClient.isoInstant("2026-01-02T03:04:05+01:00"))
        .isEqualTo(Instant.parse("2026-01-02T02:04:05Z"));
    assertThatThrownBy(() -> S3ReadClient.isoInstant("2026-01-02T03:04:0x.678Z"))
        .isInstanceOf(java.time.DateTimeException.class);
    assertThatThrownBy(() -> S3ReadClient.isoInstant("2026-13-02T03:04:05Z"))
        .isInstanceOf(java.time.DateTimeException.class);
  }

  @Test
  void requestsGoToPathStyleOrVirtualHostedAddresses() {
    Map<String, String> aws = new HashMap<>();
    aws.put("S3_PROVIDER", "AWS");
    aws.put("S3_REGION", "eu-west-1");
    aws.put("S3_ACCESS_KEY_ID", "a");
    aws.put("S3_SECRET_ACCESS_KEY", "b");
    SettingsReader r = new SettingsReader(aws, List.of(S3Setting.values()), List.of("S3_"));
    S3Settings awsSettings = S3Settings.read(r, "");
    r.finish();
    try (S3ReadClient client = new S3ReadClient(awsSettings)) {
      assertThat(client.uri("media", "a b/c+d"))
          .hasToString("https://media.s3.eu-west-1.amazonaws.com/a%20b/c%2Bd");
      assertThat(client.uri("media", "")).hasToString("https://media.s3.eu-west-1.amazonaws.com/");
    }
    try (S3ReadClient client =
        new S3ReadClient(settings(URI.create("https://ceph.example:8443/s3/"), Map.of()))) {
      assertThat(client.uri("media", "k/é"))
          .hasToString("https://ceph.example:8443/s3/media/k/%C3%A9");
    }
  }

  @Test
  void keysAreEncodedAsSigV4Wants() {
    assertThat(S3ReadClient.encodePath("a b/c+d%e~f_g-h.i/日"))
        .isEqualTo("a%20b/c%2Bd%25e~f_g-h.i/%E6%97%A5");
    assertThat(S3ReadClient.encodePath("")).isEmpty();
  }

  private static S3ReadClient.Page parse(byte[] xml) throws IOException {
    return S3ReadClient.parseListing(xml);
  }

  private static byte[] listing(String contents, boolean truncated, String token) {
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>"
            + "<IsTruncated>"
            + truncated
            + "</IsTruncated>"
            + Optional.ofNullable(token)
                .map(t -> "<NextContinuationToken>" + t + "</NextContinuationToken>")
                .orElse("")
            + contents
            + "</ListBucketResult>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] error(String code, String message) {
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message><RequestId>1</RequestId></Error>")
        .getBytes(StandardCharsets.UTF_8);
  }
}
