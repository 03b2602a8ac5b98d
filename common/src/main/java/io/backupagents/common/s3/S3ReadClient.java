package io.backupagents.common.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The read requests of S3 (ListObjectsV2 pages, GET of an object) as SigV4-signed requests over the
 * JDK's HTTP client, with the same retries, timeouts and errors as the SDK's client ({@link
 * S3Clients}).
 *
 * <p>Why not the SDK's client: a pass that finds everything unchanged makes a dozen such requests
 * and nothing else, and starting the SDK's client and its Netty event loops costs more CPU than
 * those requests do. The SDK still signs (its {@link AwsV4HttpSigner}) and its exception types
 * carry the failures, so {@link S3Errors} and the retry rule treat both clients alike.
 */
final class S3ReadClient implements AutoCloseable {

  /** One page of a listing; {@code nextToken} is null on the last page. */
  record Page(List<RemoteObject> objects, String nextToken) {}

  /** An object's content, open; the caller closes it. */
  record Content(RemoteObject object, InputStream body) {}

  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  private static final XMLInputFactory XML = xmlFactory();

  private final S3Settings settings;
  private final URI endpoint;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity credentials;

  S3ReadClient(S3Settings settings) {
    this.settings = settings;
    this.endpoint =
        settings
            .endpoint()
            .orElseGet(() -> URI.create("https://s3." + settings.region() + ".amazonaws.com"));
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!settings.verifyTls()) {
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
    return send(
        bucket,
        "",
        query,
        response -> {
          try (InputStream body = response.body()) {
            return parseListing(body);
          }
        });
  }

  /**
   * The object's metadata and its content, open. A missing key or bucket is an {@link S3Exception}
   * with status 404, as from the SDK.
   */
  Content get(String bucket, String key) {
    return send(
        bucket, key, Map.of(), response -> new Content(object(key, response), response.body()));
  }

  /** Reads a successful response; a failure to read it is retried like a failed request. */
  @FunctionalInterface
  private interface ResponseReader<T> {
    T read(HttpResponse<InputStream> response) throws IOException;
  }

  /** Sends a signed GET, retried like the SDK's requests, and reads the 2xx response. */
  private <T> T send(
      String bucket, String key, Map<String, String> query, ResponseReader<T> reader) {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<InputStream> response =
            http.send(signed(bucket, key, query), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
          throw failure(response);
        }
        return reader.read(response);
      } catch (IOException e) {
        SdkClientException failure =
            SdkClientException.builder()
                .message(
                    e instanceof HttpTimeoutException
                        ? "no response within " + RESPONSE_TIMEOUT.toSeconds() + " s"
                        : String.valueOf(e.getMessage()))
                .cause(e)
                .build();
        backOff(attempt, failure);
      } catch (S3Exception e) {
        backOff(attempt, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw SdkClientException.builder().message("interrupted").cause(e).build();
      }
    }
  }

  /** Waits before the next attempt, or throws {@code failure} when it is not worth another. */
  private void backOff(int attempt, RuntimeException failure) {
    if (attempt >= settings.maxAttempts() || !S3Clients.retryable(failure)) {
      throw failure;
    }
    BackoffStrategy backoff =
        failure instanceof S3Exception e && "SlowDown".equals(errorCode(e))
            ? S3Clients.THROTTLING_BACKOFF
            : S3Clients.BACKOFF;
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
    HttpRequest.Builder out = HttpRequest.newBuilder(signed.getUri()).timeout(RESPONSE_TIMEOUT);
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("host")) { // the JDK's client sets Host itself
            values.forEach(v -> out.header(name, v));
          }
        });
    return out.GET().build();
  }

  /** Path-style {@code endpoint/bucket/key} or virtual-hosted {@code bucket.endpoint/key}. */
  private URI uri(String bucket, String key) {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String authority = endpoint.getRawAuthority();
    String path;
    if (settings.pathStyle()) {
      path = base + "/" + bucket + "/" + encodePath(key);
    } else {
      authority = bucket + "." + authority;
      path = base + "/" + encodePath(key);
    }
    return URI.create(endpoint.getScheme() + "://" + authority + path);
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
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
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
  private static S3Exception failure(HttpResponse<InputStream> response) {
    String code = null;
    String message = null;
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(ERROR_BODY_LIMIT);
      if (bytes.length > 0) {
        XMLStreamReader xml = XML.createXMLStreamReader(new java.io.ByteArrayInputStream(bytes));
        String element = null;
        while (xml.hasNext()) {
          int event = xml.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            element = xml.getLocalName();
          } else if (event == XMLStreamConstants.CHARACTERS && element != null) {
            if (element.equals("Code")) {
              code = (code == null ? "" : code) + xml.getText();
            } else if (element.equals("Message")) {
              message = (message == null ? "" : message) + xml.getText();
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            element = null;
          }
        }
      }
    } catch (IOException | XMLStreamException e) {
      // The status alone still says what happened.
    }
    if (code == null) {
      code = response.statusCode() == 404 ? "NotFound" : null;
    }
    String text = message == null ? "HTTP " + response.statusCode() : message.strip();
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

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /** Reads a ListBucketResult; keys are URL-decoded when the store says it encoded them. */
  static Page parseListing(InputStream body) throws IOException {
    try {
      XMLStreamReader xml = XML.createXMLStreamReader(body);
      List<String[]> contents = new ArrayList<>();
      boolean truncated = false;
      boolean urlEncoded = false;
      String token = null;
      String[] current = null; // key, size, etag, last modified
      StringBuilder text = new StringBuilder();
      int depth = 0;
      while (xml.hasNext()) {
        switch (xml.next()) {
          case XMLStreamConstants.START_ELEMENT -> {
            depth++;
            text.setLength(0);
            if (depth == 2 && xml.getLocalName().equals("Contents")) {
              current = new String[4];
            }
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA ->
              text.append(xml.getText());
          case XMLStreamConstants.END_ELEMENT -> {
            String name = xml.getLocalName();
            if (depth == 3 && current != null) {
              switch (name) {
                case "Key" -> current[0] = text.toString();
                case "Size" -> current[1] = text.toString();
                case "ETag" -> current[2] = text.toString();
                case "LastModified" -> current[3] = text.toString();
                default -> {}
              }
            } else if (depth == 2) {
              switch (name) {
                case "Contents" -> {
                  contents.add(current);
                  current = null;
                }
                case "IsTruncated" -> truncated = text.toString().strip().equals("true");
                case "NextContinuationToken" -> token = text.toString();
                case "EncodingType" -> urlEncoded = text.toString().strip().equals("url");
                default -> {}
              }
            }
            depth--;
          }
          default -> {}
        }
      }
      List<RemoteObject> objects = new ArrayList<>(contents.size());
      for (String[] c : contents) {
        if (c[0] == null || c[1] == null) {
          throw new IOException("a listing entry without a Key or Size");
        }
        String key = urlEncoded ? java.net.URLDecoder.decode(c[0], StandardCharsets.UTF_8) : c[0];
        objects.add(
            new RemoteObject(
                key,
                Long.parseLong(c[1].strip()),
                c[2],
                c[3] == null ? null : Instant.parse(c[3].strip()),
                Map.of()));
      }
      return new Page(objects, truncated ? token : null);
    } catch (XMLStreamException | RuntimeException e) {
      throw new IOException("unreadable listing: " + e.getMessage(), e);
    }
  }

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
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

  @Override
  public void close() {
    http.close();
  }
}
