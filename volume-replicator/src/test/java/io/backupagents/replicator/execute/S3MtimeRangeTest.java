package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.S3TestEndpoint;
import io.backupagents.testing.Commands;
import io.backupagents.testing.RequiredTool;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone's mtime metadata before 1970 and out of range, both ways: what we write is the exact time
 * to rclone, and what we cannot hold (or read) falls back to Last-Modified, as rclone does.
 */
class S3MtimeRangeTest {

  /** 1960-06-15T12:00:00.25Z, which is -301233599.75 seconds since the epoch. */
  private static final Instant PRE_1970 = Instant.ofEpochSecond(-301_233_600L, 250_000_000);

  private static S3TestEndpoint s3;
  private static S3ProxyServer server;

  @TempDir Path dir;
  private String bucket;
  private S3Store store;

  @BeforeAll
  static void start() {
    s3 = new S3TestEndpoint();
    server = s3.server();
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void bucket(TestInfo test) {
    bucket = s3.newBucket("t-", test);
    store = s3.store(bucket);
  }

  private Run ours(String from, String to) {
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.put("REPLICATE_SOURCE", from);
    env.put("REPLICATE_TARGET", to);
    return Run.of(dir, env);
  }

  /** rclone's listing of {@code path} in the bucket: size, time (UTC) and name per object. */
  private String rcloneList(String path) throws Exception {
    String rclone = RequiredTool.require("rclone").toString();
    ProcessBuilder pb =
        new ProcessBuilder(rclone, "--config", "/dev/null", "lsl", "test:" + bucket + "/" + path)
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("AWS_CA_BUNDLE"); // rclone 1.60 fails to start with it set
    env.put("TZ", "UTC");
    env.put("RCLONE_CONFIG_TEST_TYPE", "s3");
    env.put("RCLONE_CONFIG_TEST_PROVIDER", "Other");
    env.put("RCLONE_CONFIG_TEST_ENDPOINT", server.endpoint().toString());
    env.put("RCLONE_CONFIG_TEST_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("RCLONE_CONFIG_TEST_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("RCLONE_CONFIG_TEST_FORCE_PATH_STYLE", "true");
    env.put("RCLONE_CONFIG_TEST_REGION", "us-east-1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static Instant mtime(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toInstant();
  }

  private void object(String key, String mtimeMetadata) {
    store.putBytes(key, key.getBytes(StandardCharsets.UTF_8), "text/plain");
    store.copy(bucket, key, key.length(), key, Map.of("mtime", mtimeMetadata));
  }

  @Test
  void aFileFromBefore1970GoesUpAsItsExactTimeWhichRcloneReadsAndComesBackExactly()
      throws Exception {
    assumeThat(Runtime.version().feature())
        .as("the foreign function API that calls utimensat for such times")
        .isGreaterThanOrEqualTo(22);
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.writeString(source.resolve("old.txt"), "old\n");
    Commands.run(
        List.of("touch", "-m", "-d", "@-301233599.75", source.resolve("old.txt").toString()));

    Run upload = ours(source.toString(), "s3://" + bucket + "/media");

    assertThat(upload.exitCode()).as(upload.termination()).isZero();
    assertThat(store.head("media/old.txt").orElseThrow().metadata())
        .containsEntry("mtime", "-301233599.750000000");
    assertThat(rcloneList("media")).contains("1960-06-15 12:00:00.250000000 old.txt");

    Path restored = dir.resolve("restored");
    Run restore = ours("s3://" + bucket + "/media", restored.toString());

    assertThat(restore.exitCode()).as(restore.termination()).isZero();
    assertThat(mtime(restored.resolve("old.txt"))).isEqualTo(PRE_1970);
  }

  @Test
  void rclonesFormOfATimeBefore1970IsRestoredExactly() throws IOException {
    assumeThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
    object("media/by-rclone.txt", "-301233599.75");

    Path restored = dir.resolve("restored");
    Run restore = ours("s3://" + bucket + "/media", restored.toString());

    assertThat(restore.exitCode()).as(restore.termination()).isZero();
    assertThat(mtime(restored.resolve("by-rclone.txt"))).isEqualTo(PRE_1970);
  }

  @Test
  void anMtimeOutOfRangeOrUnreadableFallsBackToLastModifiedAsRcloneDoes() throws Exception {
    object("media/far.txt", "99999999999999");
    object("media/exponent.txt", "1.6e9");
    RemoteObject far = store.head("media/far.txt").orElseThrow();
    RemoteObject exponent = store.head("media/exponent.txt").orElseThrow();
    String listing = rcloneList("media");

    Path restored = dir.resolve("restored");
    Run restore = ours("s3://" + bucket + "/media", restored.toString());

    assertThat(restore.exitCode()).as(restore.termination()).isZero();
    assertThat(mtime(restored.resolve("far.txt"))).isEqualTo(far.lastModified());
    assertThat(mtime(restored.resolve("exponent.txt"))).isEqualTo(exponent.lastModified());
    assertThat(listing)
        .as("rclone lists them with their Last-Modified too")
        .contains(rcloneTime(far.lastModified()) + " far.txt")
        .contains(rcloneTime(exponent.lastModified()) + " exponent.txt");

    Run again = ours("s3://" + bucket + "/media", restored.toString());
    assertThat(again.exitCode()).as(again.termination()).isZero();
    assertThat(again.metric("volume_replicator_last_run_files_copied")).isZero();
  }

  /** A time as rclone lsl shows it in UTC: date, time and nine fractional digits. */
  private static String rcloneTime(Instant t) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS")
        .withZone(ZoneOffset.UTC)
        .format(t);
  }
}
