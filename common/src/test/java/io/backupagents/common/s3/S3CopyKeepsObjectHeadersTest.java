package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.backupagents.common.settings.SettingsReader;
import io.backupagents.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A copy that replaces an object's user metadata (how a modification time is updated, as rclone
 * does it) keeps what S3 would otherwise reset: Content-Type and the other content headers, and on
 * a copy onto the object itself its storage class. Uploads type an object by its extension whatever
 * its size, so a time update has the type of the upload to keep.
 */
class S3CopyKeepsObjectHeadersTest {

  private static final String BUCKET = "headers";
  private static final Instant MTIME = Instant.ofEpochSecond(1_600_000_000, 7);
  private static final Map<String, String> TOUCHED = Map.of("mtime", "1700000000.000000001");

  private static S3ProxyServer server;
  private static S3Connection connection;
  private static S3Store store;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.inMemory();
    connection = S3Connection.open(settings(server.agentEnvironment()));
    connection.sdk().createBucket(b -> b.bucket(BUCKET)).join();
    store = new S3Store(connection, BUCKET);
  }

  @AfterAll
  static void stop() {
    connection.close();
    server.close();
  }

  @Test
  void aTimeUpdateKeepsTheContentTypeTheUploadGave(@TempDir Path dir) throws Exception {
    store.upload(Files.writeString(dir.resolve("photo.jpg"), "jpeg"), "t/photo.jpg", MTIME);
    store.upload(Files.writeString(dir.resolve("page.html"), "<p>"), "t/page.html", MTIME);
    assertThat(head("t/photo.jpg").contentType()).isEqualTo("image/jpeg");
    assertThat(head("t/page.html").contentType()).isEqualTo("text/html");
    RequestCounter.take();

    store.copy(BUCKET, "t/photo.jpg", 4, "t/photo.jpg", TOUCHED);
    Map<String, Integer> requests = RequestCounter.take();
    store.copy(BUCKET, "t/page.html", 3, "t/page.html", TOUCHED);

    assertThat(head("t/photo.jpg").contentType()).isEqualTo("image/jpeg");
    assertThat(head("t/page.html").contentType()).isEqualTo("text/html");
    assertThat(store.head("t/page.html").orElseThrow().mtime())
        .contains(Instant.ofEpochSecond(1_700_000_000, 1));
    assertThat(requests)
        .as("requests of one time update: a HEAD reads the headers to keep")
        .containsExactly(entry("CopyObject", 1), entry("HeadObject", 1));
  }

  @Test
  void aTimeUpdateKeepsTheOtherContentHeaders() {
    connection
        .sdk()
        .putObject(
            b ->
                b.bucket(BUCKET)
                    .key("h/report.txt.gz")
                    .contentType("text/plain; charset=utf-8")
                    .contentEncoding("gzip")
                    .contentDisposition("attachment; filename=\"report.txt\"")
                    .contentLanguage("de")
                    .cacheControl("max-age=60"),
            AsyncRequestBody.fromString("report"))
        .join();
    HeadObjectResponse before = head("h/report.txt.gz");
    assertThat(before.contentType()).startsWith("text/plain;"); // S3Proxy drops the space
    assertThat(before.contentEncoding()).isEqualTo("gzip");

    store.copy(BUCKET, "h/report.txt.gz", 6, "h/report.txt.gz", TOUCHED);

    HeadObjectResponse after = head("h/report.txt.gz");
    assertThat(after.metadata()).containsEntry("mtime", "1700000000.000000001");
    assertThat(after.contentType()).isEqualTo(before.contentType());
    assertThat(after.contentEncoding()).isEqualTo("gzip");
    assertThat(after.contentDisposition()).isEqualTo("attachment; filename=\"report.txt\"");
    assertThat(after.contentLanguage()).isEqualTo("de");
    assertThat(after.cacheControl()).isEqualTo("max-age=60");
  }

  @Test
  void aCopyToAnotherKeyKeepsTheSourcesContentTypeAndOnlyANewMetadataCostsAHead(@TempDir Path dir)
      throws Exception {
    store.upload(Files.writeString(dir.resolve("a.html"), "<p>"), "c/a.html", MTIME);
    RequestCounter.take();

    store.copy(BUCKET, "c/a.html", 3, "c/kept", null);
    assertThat(RequestCounter.take())
        .as("a copy that keeps the metadata")
        .containsExactly(entry("CopyObject", 1));
    store.copy(BUCKET, "c/a.html", 3, "c/replaced", TOUCHED);

    assertThat(head("c/kept").contentType()).isEqualTo("text/html");
    assertThat(head("c/replaced").contentType()).isEqualTo("text/html");
    assertThat(head("c/replaced").metadata()).isEqualTo(TOUCHED);
  }

  @Test
  void anUploadInPartsIsTypedAsASinglePutIs(@TempDir Path dir) throws Exception {
    Path big = Files.write(dir.resolve("big.html"), new byte[7 * 1024 * 1024]);
    assertThat(store.upload(big, "p/big.html", MTIME).etag()).endsWith("-2\"");
    assertThat(head("p/big.html").contentType()).isEqualTo("text/html");
  }

  /**
   * S3Proxy gives every copy the STANDARD class whatever the request asks, so what is checked here
   * is the request, seen by a relay.
   */
  @Test
  void aTimeUpdateAsksForTheObjectsStorageClassOrTheConfiguredOne() throws Exception {
    try (RecordingRelay relay = new RecordingRelay(server.endpoint());
        S3Connection plain = S3Connection.open(settings(relayed(relay, Map.of())));
        S3Connection configured =
            S3Connection.open(
                settings(
                    relayed(
                        relay, Map.of("S3_STORAGE_CLASS", "ONEZONE_IA", "S3_SSE", "aes256"))))) {
      connection
          .sdk()
          .putObject(
              b -> b.bucket(BUCKET).key("s/ia").storageClass(StorageClass.STANDARD_IA),
              AsyncRequestBody.fromString("ia"))
          .join();
      assertThat(head("s/ia").storageClass()).isEqualTo(StorageClass.STANDARD_IA);
      relay.takeRequests();

      new S3Store(plain, BUCKET).copy(BUCKET, "s/ia", 2, "s/ia", TOUCHED);
      assertThat(copyRequest(relay))
          .contains("\r\nx-amz-metadata-directive: replace\r\n")
          .contains("\r\nx-amz-storage-class: standard_ia\r\n");

      new S3Store(plain, BUCKET).copy(BUCKET, "s/ia", 2, "s/new", TOUCHED);
      assertThat(copyRequest(relay))
          .as("a new object gets the bucket's default class, as an upload does")
          .doesNotContain("x-amz-storage-class");

      new S3Store(configured, BUCKET).copy(BUCKET, "s/ia", 2, "s/ia", TOUCHED);
      assertThat(copyRequest(relay))
          .contains("\r\nx-amz-storage-class: onezone_ia\r\n")
          .contains("\r\nx-amz-server-side-encryption: aes256\r\n");
    }
  }

  /** The one copy request the relay saw since the last call. */
  private static String copyRequest(RecordingRelay relay) {
    List<String> copies =
        relay.takeRequests().stream().filter(r -> r.contains("\r\nx-amz-copy-source:")).toList();
    assertThat(copies).hasSize(1);
    return copies.get(0) + "\r\n";
  }

  private static HeadObjectResponse head(String key) {
    return connection.sdk().headObject(b -> b.bucket(BUCKET).key(key)).join();
  }

  private static Map<String, String> relayed(RecordingRelay relay, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.put("S3_ENDPOINT", relay.endpoint().toString());
    env.putAll(more);
    return env;
  }

  private static S3Settings settings(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("S3_MULTIPART_THRESHOLD", "6M");
    env.put("S3_PART_SIZE", "5M");
    SettingsReader reader = new SettingsReader(env, List.of(S3Setting.values()), List.of("S3_"));
    S3Settings settings = S3Settings.read(reader, "for the test");
    reader.finish();
    return settings;
  }
}
