package io.backupagents.replicator.training;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backupagents.common.s3.ContentDigests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;

/**
 * Just enough of S3, in memory on loopback, for the training run to go through the requests real
 * runs make (PUT, GET, HEAD, ListObjectsV2, DELETE of single objects) and so load the classes that
 * send them and read the answers. Path-style, one bucket, no authentication, no multipart: not an
 * S3 server, only the other end of a rehearsal.
 */
final class TrainingEndpoint implements AutoCloseable {

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private record StoredObject(
      byte[] content, String etag, Instant modified, Map<String, String> meta) {}

  private final HttpServer server;
  private final String bucket;
  private final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();

  TrainingEndpoint(String bucket) throws IOException {
    this.bucket = bucket;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath();
      String prefix = "/" + bucket;
      if (!path.startsWith(prefix)) {
        reply(exchange, 404, error("NoSuchBucket"));
        return;
      }
      String key = decode(path.substring(prefix.length()).replaceFirst("^/", ""));
      Map<String, String> query = query(uri.getRawQuery());
      switch (exchange.getRequestMethod()) {
        case "GET" -> {
          if (key.isEmpty()) {
            reply(exchange, 200, list(query));
          } else {
            get(exchange, key, true);
          }
        }
        case "HEAD" -> get(exchange, key, false);
        case "PUT" -> put(exchange, key);
        case "DELETE" -> {
          objects.remove(key);
          exchange.sendResponseHeaders(204, -1);
        }
        default -> reply(exchange, 405, error("MethodNotAllowed"));
      }
    }
  }

  private void get(HttpExchange exchange, String key, boolean body) throws IOException {
    StoredObject o = objects.get(key);
    if (o == null) {
      if (body) {
        reply(exchange, 404, error("NoSuchKey"));
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("ETag", "\"" + o.etag() + "\"");
    headers.set("Last-Modified", HTTP_DATE.format(o.modified()));
    headers.set("Content-Type", "application/octet-stream");
    o.meta().forEach(headers::set);
    if (body) {
      exchange.sendResponseHeaders(200, o.content().length == 0 ? -1 : o.content().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(o.content());
      }
    } else {
      headers.set("Content-Length", Long.toString(o.content().length));
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private void put(HttpExchange exchange, String key) throws IOException {
    byte[] content;
    try (InputStream in = exchange.getRequestBody()) {
      content = in.readAllBytes();
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    String sha = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
    if ((encoding != null && encoding.contains("aws-chunked"))
        || (sha != null && sha.startsWith("STREAMING-"))) {
      content = unchunk(content);
    }
    Map<String, String> meta = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-meta-")) {
                meta.put(name.toLowerCase(java.util.Locale.ROOT), values.getFirst());
              }
            });
    String etag = HexFormat.of().formatHex(ContentDigests.md5().digest(content));
    objects.put(key, new StoredObject(content, etag, Instant.now(), meta));
    exchange.getResponseHeaders().set("ETag", "\"" + etag + "\"");
    exchange.sendResponseHeaders(200, -1);
  }

  private byte[] list(Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    String after = query.getOrDefault("start-after", query.get("continuation-token"));
    int max = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    xml.append("<Name>").append(bucket).append("</Name><Prefix>").append(escape(prefix));
    xml.append("</Prefix><MaxKeys>").append(max).append("</MaxKeys>");
    int count = 0;
    String last = null;
    var tail = after == null || after.isEmpty() ? objects : objects.tailMap(after, false);
    for (var e : tail.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      if (count == max) {
        xml.append("<IsTruncated>true</IsTruncated><NextContinuationToken>");
        xml.append(escape(last)).append("</NextContinuationToken>");
        return finish(xml, count);
      }
      StoredObject o = e.getValue();
      xml.append("<Contents><Key>").append(escape(e.getKey())).append("</Key><LastModified>");
      xml.append(DateTimeFormatter.ISO_INSTANT.format(o.modified())).append("</LastModified>");
      xml.append("<ETag>&quot;").append(o.etag()).append("&quot;</ETag><Size>");
      xml.append(o.content().length).append("</Size><StorageClass>STANDARD</StorageClass>");
      xml.append("</Contents>");
      last = e.getKey();
      count++;
    }
    xml.append("<IsTruncated>false</IsTruncated>");
    return finish(xml, count);
  }

  private static byte[] finish(StringBuilder xml, int count) {
    xml.append("<KeyCount>").append(count).append("</KeyCount></ListBucketResult>");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The payload of an {@code aws-chunked} body: hex size;signature CRLF data CRLF, until 0. */
  private static byte[] unchunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    int i = 0;
    while (i < body.length) {
      int lineEnd = indexOfCrlf(body, i);
      String header = new String(body, i, lineEnd - i, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      i = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    throw new IllegalArgumentException("a chunk header without its end");
  }

  private static void reply(HttpExchange exchange, int status, byte[] xml) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, xml.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(xml);
    }
  }

  private static byte[] error(String code) {
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + code
            + "</Message></Error>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
