package io.backupagents.common.s3;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The small read requests of S3 (ListObjectsV2 pages, GET of a small object) as SigV4-signed
 * requests over the JDK's HTTP client, with the SDK client's retry rule and backoff ({@link
 * S3Clients}), its exception types, and a deadline on every whole exchange.
 *
 * <p>Why not the SDK's client: a pass that finds everything unchanged makes a dozen such requests
 * and nothing else, and starting the SDK's client and its Netty event loops costs more CPU than
 * those requests do. The SDK still signs (its {@link AwsV4HttpSigner}) and its exception types
 * carry the failures, so {@link S3Errors} and the retry rule treat both clients alike.
 */
final class S3ReadClient implements AutoCloseable {

  /** One page of a listing; {@code nextToken} is null on the last page. */
  record Page(List<RemoteObject> objects, String nextToken) {}

  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /**
   * How long a whole exchange may take, response body included (the JDK's client has no read
   * timeout of its own); an exchange that takes longer is abandoned and retried. The responses read
   * here are small: a listing page, a manifest.
   */
  static final Duration DEADLINE = Duration.ofMinutes(5);

  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

  private final S3Settings settings;
  private final Duration deadline;
  private final URI endpoint;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity credentials;

  S3ReadClient(S3Settings settings) {
    this(settings, DEADLINE);
  }

  S3ReadClient(S3Settings settings, Duration deadline) {
    this.settings = settings;
    this.deadline = deadline;
    this.endpoint =
        settings
            .endpoint()
            .orElseGet(() -> URI.create("https://s3." + settings.region() + ".amazonaws.com"));
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (endpoint.getScheme().equalsIgnoreCase("http")) {
      builder.sslContext(withoutTrustStore()); // plain HTTP: no need to load the CA certificates
    } else if (!settings.verifyTls()) {
      builder.sslContext(trustingEveryCertificate());
    }
    this.http = builder.build();
    this.credentials =
        AwsCredentialsIdentity.create(settings.accessKeyId(), settings.secretAccessKey());
  }

  /**
   * One ListObjectsV2 page of the keys under {@code prefix}, after {@code startAfter} (null: from
   * the start) or from a continuation token of the previous page.
   */
  Page list(String bucket, String prefix, String startAfter, String token) {
    Map<String, String> query = new HashMap<>();
    query.put("list-type", "2");
    query.put("max-keys", "1000");
    query.put("encoding-type", "url");
    if (!prefix.isEmpty()) {
      query.put("prefix", prefix);
    }
    if (token != null) {
      query.put("continuation-token", token);
    } else if (startAfter != null) {
      query.put("start-after", startAfter);
    }
    return send(bucket, "", query, response -> parseListing(response.body()));
  }

  /**
   * The object with its content, read whole into memory: for small objects only. A missing key or
   * bucket is an {@link S3Exception} with status 404, as from the SDK.
   */
  FetchedObject get(String bucket, String key) {
    return send(
        bucket,
        key,
        Map.of(),
        response -> new FetchedObject(object(key, response), response.body()));
  }

  /** Reads a successful response; a failure to read it is retried like a failed request. */
  @FunctionalInterface
  private interface ResponseReader<T> {
    T read(HttpResponse<byte[]> response) throws IOException;
  }

  /** Sends a signed GET, retried like the SDK's requests, and reads the 2xx response. */
  private <T> T send(
      String bucket, String key, Map<String, String> query, ResponseReader<T> reader) {
    for (int attempt = 1; ; attempt++) {
      CompletableFuture<HttpResponse<byte[]>> exchange =
          http.sendAsync(signed(bucket, key, query), HttpResponse.BodyHandlers.ofByteArray());
      try {
        HttpResponse<byte[]> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (response.statusCode() / 100 != 2) {
          throw failure(response);
        }
        return reader.read(response);
      } catch (TimeoutException e) {
        exchange.cancel(true);
        backOff(
            attempt,
            clientFailure("no complete response within " + deadline.toSeconds() + " s", e));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        backOff(attempt, clientFailure(String.valueOf(cause.getMessage()), cause));
      } catch (IOException e) {
        backOff(attempt, clientFailure(String.valueOf(e.getMessage()), e));
      } catch (S3Exception e) {
        backOff(attempt, e);
      } catch (InterruptedException e) {
        exchange.cancel(true);
        Thread.currentThread().interrupt();
        throw SdkClientException.builder().message("interrupted").cause(e).build();
      }
    }
  }

  private static SdkClientException clientFailure(String message, Throwable cause) {
    return SdkClientException.builder().message(message).cause(cause).build();
  }

  /** Waits before the next attempt, or throws {@code failure} when it is not worth another. */
  private void backOff(int attempt, RuntimeException failure) {
    if (attempt >= settings.maxAttempts() || !S3Clients.retryable(failure)) {
      throw failure;
    }
    BackoffStrategy backoff =
        S3Clients.throttled(failure) ? S3Clients.THROTTLING_BACKOFF : S3Clients.BACKOFF;
    try {
      Thread.sleep(backoff.computeDelay(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  private HttpRequest signed(String bucket, String key, Map<String, String> query) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri(bucket, key));
    query.forEach(request::putRawQueryParameter);
    request.putHeader("x-amz-content-sha256", EMPTY_SHA256);
    SdkHttpRequest signed =
        signer
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request.build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region())
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false))
            .request();
    HttpRequest.Builder out = HttpRequest.newBuilder(signed.getUri());
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("host")) { // the JDK's client sets Host itself
            values.forEach(v -> out.header(name, v));
          }
        });
    return out.GET().build();
  }

  /** Path-style {@code endpoint/bucket/key} or virtual-hosted {@code bucket.endpoint/key}. */
  URI uri(String bucket, String key) {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String authority = endpoint.getRawAuthority();
    if (settings.pathStyle()) {
      base = base + "/" + bucket;
    } else {
      authority = bucket + "." + authority;
    }
    return URI.create(endpoint.getScheme() + "://" + authority + base + "/" + encodePath(key));
  }

  /** SigV4's URI encoding of a key: every byte but the unreserved characters and '/'. */
  static String encodePath(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '/') {
        out.append(c);
      } else {
        out.append('%').append(UPPER_HEX.toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static RemoteObject object(String key, HttpResponse<?> r) {
    Map<String, String> metadata = new HashMap<>();
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.startsWith("x-amz-meta-") && !values.isEmpty()) {
                metadata.put(lower.substring("x-amz-meta-".length()), values.get(0));
              }
            });
    long size = r.headers().firstValueAsLong("content-length").orElse(-1);
    Instant modified =
        r.headers().firstValue("last-modified").map(S3ReadClient::httpDate).orElse(null);
    return new RemoteObject(
        key, size, r.headers().firstValue("etag").orElse(null), modified, metadata);
  }

  private static Instant httpDate(String value) {
    try {
      return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** An error response as the SDK would report it: status, S3 error code and message. */
  private static S3Exception failure(HttpResponse<byte[]> response) {
    String[] codeAndMessage = new String[2];
    try {
      S3Xml.read(
          response.body(),
          (depth, name, text) -> {
            if (depth == 2 && name.equals("Code")) {
              codeAndMessage[0] = text.strip();
            } else if (depth == 2 && name.equals("Message")) {
              codeAndMessage[1] = text.strip();
            }
          });
    } catch (IOException e) {
      // The status alone still says what happened.
    }
    String code = codeAndMessage[0];
    if (code == null && response.statusCode() == 404) {
      code = "NotFound";
    }
    String text = codeAndMessage[1] == null ? "HTTP " + response.statusCode() : codeAndMessage[1];
    return (S3Exception)
        S3Exception.builder()
            .statusCode(response.statusCode())
            .message(text + (code == null ? "" : " (" + code + ")"))
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage(text)
                    .serviceName("S3")
                    .build())
            .build();
  }

  /** Reads a ListBucketResult; keys are URL-decoded when the store says it encoded them. */
  static Page parseListing(byte[] body) throws IOException {
    List<String[]> contents = new ArrayList<>();
    String[] current = new String[4]; // key, size, etag, last modified
    String[] page = new String[3]; // truncated, next token, encoding type
    S3Xml.read(
        body,
        (depth, name, text) -> {
          if (depth == 3) {
            switch (name) {
              case "Key" -> current[0] = text;
              case "Size" -> current[1] = text;
              case "ETag" -> current[2] = text;
              case "LastModified" -> current[3] = text;
              default -> {}
            }
          } else if (depth == 2) {
            switch (name) {
              case "Contents" -> contents.add(current.clone());
              case "IsTruncated" -> page[0] = text.strip();
              case "NextContinuationToken" -> page[1] = text;
              case "EncodingType" -> page[2] = text.strip();
              default -> {}
            }
            Arrays.fill(current, null);
          }
        });
    boolean urlEncoded = "url".equals(page[2]);
    List<RemoteObject> objects = new ArrayList<>(contents.size());
    try {
      for (String[] c : contents) {
        if (c[0] == null || c[1] == null) {
          throw new IOException("a listing entry without a Key or Size");
        }
        objects.add(
            new RemoteObject(
                urlEncoded ? urlDecode(c[0]) : c[0],
                Long.parseLong(c[1].strip()),
                c[2],
                c[3] == null ? null : isoInstant(c[3].strip()),
                Map.of()));
      }
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new IOException("unreadable listing: " + e.getMessage(), e);
    }
    return new Page(objects, "true".equals(page[0]) ? page[1] : null);
  }

  private static String urlDecode(String key) {
    return key.indexOf('%') < 0 && key.indexOf('+') < 0
        ? key
        : URLDecoder.decode(key, StandardCharsets.UTF_8);
  }

  /**
   * A time as S3 stores write it ({@code 2026-01-02T03:04:05.678Z} or without the milliseconds),
   * read quickly, or any other ISO instant.
   */
  static Instant isoInstant(String text) {
    boolean millis = text.length() == 24 && text.charAt(19) == '.';
    if ((millis || text.length() == 20)
        && text.charAt(4) == '-'
        && text.charAt(7) == '-'
        && text.charAt(10) == 'T'
        && text.charAt(13) == ':'
        && text.charAt(16) == ':'
        && text.charAt(text.length() - 1) == 'Z') {
      return LocalDateTime.of(
              digits(text, 0, 4),
              digits(text, 5, 7),
              digits(text, 8, 10),
              digits(text, 11, 13),
              digits(text, 14, 16),
              digits(text, 17, 19),
              millis ? digits(text, 20, 23) * 1_000_000 : 0)
          .toInstant(ZoneOffset.UTC);
    }
    return Instant.parse(text);
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        throw new DateTimeException("not a time: " + text);
      }
      value = value * 10 + d;
    }
    return value;
  }

  /** A TLS context that trusts nothing, for a client that never uses TLS. */
  private static SSLContext withoutTrustStore() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new X509ExtendedTrustManager[0], null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS support in this Java runtime", e);
    }
  }

  /** For S3_NO_CHECK_CERTIFICATE: accepts any certificate for any host name. */
  private static SSLContext trustingEveryCertificate() {
    X509ExtendedTrustManager trustAll =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(
              X509Certificate[] chain, String authType, java.net.Socket socket) {}

          @Override
          public void checkServerTrusted(
              X509Certificate[] chain, String authType, java.net.Socket socket) {}

          @Override
          public void checkClientTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public void checkServerTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new X509ExtendedTrustManager[] {trustAll}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS support in this Java runtime", e);
    }
  }

  /** Ends the client at once: by then every request's response has been read or abandoned. */
  @Override
  public void close() {
    http.shutdownNow();
  }
}
