package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.S3Connection;
import io.backupagents.common.s3.S3Setting;
import io.backupagents.common.s3.S3Settings;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.S3TestEndpoint;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Objects keep the Content-Type their upload gave them (by extension, as rclone types them) when
 * only their modification time changes, which is a copy onto themselves with new metadata, and when
 * an S3 source without rclone's times is copied. (S3Proxy gives every copy the STANDARD storage
 * class whatever the request asks, so the storage class is checked in common's
 * S3CopyKeepsObjectHeadersTest, by the request.)
 */
class S3TargetKeepsContentTypeTest {

  private static final long UPLOADED = 1_600_000_000_000_000_001L;
  private static final long TOUCHED = 1_700_000_000_000_000_000L;

  private static S3TestEndpoint s3;
  private static S3ProxyServer server;
  private static S3Connection connection;

  @TempDir Path dir;
  private Path source;
  private String bucket;

  @BeforeAll
  static void start() {
    s3 = new S3TestEndpoint();
    server = s3.server();
    SettingsReader r =
        new SettingsReader(server.agentEnvironment(), List.of(S3Setting.values()), List.of());
    S3Settings settings = S3Settings.read(r, "for the test");
    r.finish();
    connection = S3Connection.open(settings);
  }

  @AfterAll
  static void stop() {
    connection.close();
    s3.close();
  }

  @BeforeEach
  void bucket(TestInfo test) throws IOException {
    bucket = s3.newBucket("t-", test);
    source = Files.createDirectories(dir.resolve("source"));
  }

  private Run run(String sourceLocation, String targetLocation) {
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.put("REPLICATE_SOURCE", sourceLocation);
    env.put("REPLICATE_TARGET", targetLocation);
    env.put("S3_MULTIPART_THRESHOLD", "6M");
    env.put("S3_PART_SIZE", "5M");
    return Run.of(dir, env);
  }

  private HeadObjectResponse head(String key) {
    return connection.sdk().headObject(b -> b.bucket(bucket).key(key)).join();
  }

  @Test
  void touchedFilesKeepTheContentTypeTheirUploadGave() throws IOException {
    TrickyTree.file(source, "photo.jpg", "jpeg", 0644, UPLOADED);
    TrickyTree.file(source, "site/index.html", "<p>hello</p>", 0644, UPLOADED);
    String target = "s3://" + bucket + "/media";
    assertThat(run(source.toString(), target).exitCode()).isZero();
    assertThat(head("media/photo.jpg").contentType()).isEqualTo("image/jpeg");
    assertThat(head("media/site/index.html").contentType()).isEqualTo("text/html");

    TrickyTree.times(source.resolve("photo.jpg"), TOUCHED);
    TrickyTree.times(source.resolve("site/index.html"), TOUCHED);
    Run touched = run(source.toString(), target);

    assertThat(touched.exitCode()).as(touched.termination()).isZero();
    assertThat(touched.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(head("media/photo.jpg").metadata()).containsEntry("mtime", "1700000000.000000000");
    assertThat(head("media/photo.jpg").contentType()).isEqualTo("image/jpeg");
    assertThat(head("media/site/index.html").contentType()).isEqualTo("text/html");
  }

  @Test
  void aFileUploadedInPartsIsTypedAsASmallOneIsAndKeepsItsTypeWhenTouched() throws IOException {
    Files.write(source.resolve("big.html"), new byte[7 * 1024 * 1024]);
    TrickyTree.times(source.resolve("big.html"), UPLOADED);
    String target = "s3://" + bucket + "/media";
    assertThat(run(source.toString(), target).exitCode()).isZero();
    assertThat(head("media/big.html").eTag()).as("uploaded in parts").endsWith("-2\"");
    assertThat(head("media/big.html").contentType()).isEqualTo("text/html");

    TrickyTree.times(source.resolve("big.html"), TOUCHED);
    Run touched = run(source.toString(), target);

    assertThat(touched.exitCode()).as(touched.termination()).isZero();
    assertThat(touched.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(head("media/big.html").metadata()).containsEntry("mtime", "1700000000.000000000");
    assertThat(head("media/big.html").contentType()).isEqualTo("text/html");
  }

  @Test
  void anObjectWithoutRcloneTimesKeepsItsContentTypeWhenCopied() {
    s3.store(bucket)
        .putBytes("plain/page.html", "<p>hi</p>".getBytes(StandardCharsets.UTF_8), "text/html");

    Run copy = run("s3://" + bucket + "/plain", "s3://" + bucket + "/copy");

    assertThat(copy.exitCode()).as(copy.termination()).isZero();
    HeadObjectResponse copied = head("copy/page.html");
    assertThat(copied.metadata()).containsKey("mtime");
    assertThat(copied.contentType()).isEqualTo("text/html");
  }
}
