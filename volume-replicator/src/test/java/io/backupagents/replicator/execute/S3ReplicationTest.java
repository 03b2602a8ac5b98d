package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.exit.ExitCode;
import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.S3TestEndpoint;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The S3 legs against a real S3 endpoint in this JVM. */
class S3ReplicationTest {

  private static S3TestEndpoint s3;
  private static S3ProxyServer server;

  @TempDir Path dir;
  private Path source;
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
  void bucket(TestInfo test) throws IOException {
    bucket = s3.newBucket("b-", test);
    store = s3.store(bucket);
    source = Files.createDirectories(dir.resolve("source"));
  }

  private Run run(String sourceLocation, String targetLocation, String... more) {
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.put("REPLICATE_SOURCE", sourceLocation);
    env.put("REPLICATE_TARGET", targetLocation);
    env.put("S3_MULTIPART_THRESHOLD", "6M");
    env.put("S3_PART_SIZE", "5M");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return Run.of(dir, env);
  }

  private void tree() throws IOException {
    TrickyTree.file(source, "a.txt", "alpha", 0644, 1_354_040_105_123_456_789L);
    TrickyTree.file(source, "photos/2024/b c.jpg", "beta", 0600, 1_600_000_000_000_000_001L);
    TrickyTree.file(source, "ünï/ç.txt", "gamma", 0644, 1_600_000_000_000_000_002L);
    byte[] big = new byte[13 * 1024 * 1024 + 17];
    new Random(3).nextBytes(big);
    Files.write(source.resolve("big.bin"), big);
    TrickyTree.times(source.resolve("big.bin"), 1_600_000_000_000_000_003L);
    Files.createDirectories(source.resolve("empty"));
    Files.createSymbolicLink(source.resolve("link"), Path.of("a.txt"));
  }

  private List<String> keys(String prefix) {
    return store.listAll(prefix).stream().map(RemoteObject::key).toList();
  }

  @Test
  void aDirectoryBecomesRcloneStyleObjectsAndAnUnchangedRunNeedsNoHead() throws IOException {
    tree();
    Run first = run(source.toString(), "s3://" + bucket + "/media");
    assertThat(first.exitCode()).isZero();
    assertThat(keys("media/"))
        .containsExactly(
            "media/a.txt", "media/big.bin", "media/photos/2024/b c.jpg", "media/ünï/ç.txt");
    RemoteObject a = store.head("media/a.txt").orElseThrow();
    assertThat(a.metadata()).containsEntry("mtime", "1354040105.123456789");
    assertThat(a.md5Hex()).contains("2c1743a391305fbf367df8e4f069f9f9");
    RemoteObject big = store.head("media/big.bin").orElseThrow();
    assertThat(big.etag()).contains("-3");
    assertThat(big.metadata()).containsKey("md5chksum");
    assertThat(keys(".volume-replicator/"))
        .containsExactly(".volume-replicator/manifests/media/shard-0-of-1.tsv.gz");

    Run unchanged = run(source.toString(), "s3://" + bucket + "/media");
    assertThat(unchanged.exitCode()).isZero();
    assertThat(unchanged.metric("volume_replicator_last_run_files_unchanged")).isEqualTo(4);
    assertThat(unchanged.metric("volume_replicator_last_run_s3_heads")).isZero();
    assertThat(unchanged.metric("volume_replicator_last_run_s3_requests"))
        .as("one list page and the manifest")
        .isEqualTo(2);
  }

  @Test
  void withoutAUsableManifestOnlyTheObjectsItLacksGetAHead() throws IOException {
    tree();
    String target = "s3://" + bucket + "/media";
    assertThat(run(source.toString(), target).exitCode()).isZero();

    // Someone else rewrites one object with the same size: the manifest no longer vouches for it.
    Path other = Files.writeString(dir.resolve("other"), "ALPHA");
    store.upload(other, "media/a.txt", Instant.ofEpochSecond(1));
    Run stale = run(source.toString(), target);
    assertThat(stale.exitCode()).isZero();
    assertThat(stale.metric("volume_replicator_last_run_s3_heads")).isEqualTo(1);
    assertThat(stale.metric("volume_replicator_last_run_files_copied")).isEqualTo(1);
    assertThat(store.getBytes("media/a.txt").orElseThrow())
        .isEqualTo("alpha".getBytes(StandardCharsets.UTF_8));

    store.delete(List.of(".volume-replicator/manifests/media/shard-0-of-1.tsv.gz"));
    Run missing = run(source.toString(), target);
    assertThat(missing.exitCode()).isZero();
    assertThat(missing.metric("volume_replicator_last_run_s3_heads")).isEqualTo(4);
    assertThat(missing.metric("volume_replicator_last_run_files_copied")).isZero();

    Run rebuilt = run(source.toString(), target, "REPLICATE_MANIFEST", "yes");
    assertThat(rebuilt.metric("volume_replicator_last_run_s3_heads")).isZero();
  }

  @Test
  void aTouchedFileWithTheSameDataOnlyGetsItsTimeUpdated() throws IOException {
    tree();
    String target = "s3://" + bucket + "/media";
    assertThat(run(source.toString(), target).exitCode()).isZero();
    TrickyTree.times(source.resolve("a.txt"), 1_700_000_000_000_000_000L);
    Run touched = run(source.toString(), target);
    assertThat(touched.exitCode()).isZero();
    assertThat(touched.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(store.head("media/a.txt").orElseThrow().metadata())
        .containsEntry("mtime", "1700000000.000000000");
  }

  @Test
  void restoringFromS3SetsTimesModesAndData() throws IOException {
    tree();
    assertThat(run(source.toString(), "s3://" + bucket + "/media").exitCode()).isZero();
    Path restored = dir.resolve("restored");

    Run run = run("s3://" + bucket + "/media", restored.toString());

    assertThat(run.exitCode()).as(run.termination()).isZero();
    assertThat(Files.readString(restored.resolve("a.txt"))).isEqualTo("alpha");
    assertThat(Files.getLastModifiedTime(restored.resolve("a.txt")).toInstant())
        .isEqualTo(Instant.ofEpochSecond(1354040105, 123456789));
    assertThat(Files.readAllBytes(restored.resolve("big.bin")))
        .isEqualTo(Files.readAllBytes(source.resolve("big.bin")));
    assertThat(Files.getPosixFilePermissions(restored.resolve("ünï/ç.txt")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    Run clean = run("s3://" + bucket + "/media", restored.toString());
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.metric("volume_replicator_last_run_files_unchanged")).isEqualTo(4);
    assertThat(clean.metric("volume_replicator_last_run_s3_heads"))
        .as("the manifest vouches")
        .isZero();
  }

  @Test
  void s3ToS3CopiesServerSideAndTheCopyComparesEqualNextTime() throws IOException {
    tree();
    assertThat(run(source.toString(), "s3://" + bucket + "/media").exitCode()).isZero();
    store.putBytes("media/no-mtime.txt", "plain".getBytes(StandardCharsets.UTF_8), "text/plain");

    Run copy = run("s3://" + bucket + "/media", "s3://" + bucket + "/copy");
    assertThat(copy.exitCode()).isZero();
    assertThat(keys("copy/")).hasSize(5);
    assertThat(store.head("copy/a.txt").orElseThrow().mtime())
        .contains(Instant.ofEpochSecond(1354040105, 123456789));
    assertThat(store.head("copy/no-mtime.txt").orElseThrow().mtime()).isPresent();

    Run again = run("s3://" + bucket + "/media", "s3://" + bucket + "/copy");
    assertThat(again.exitCode()).isZero();
    assertThat(again.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(again.metric("volume_replicator_last_run_files_unchanged")).isEqualTo(5);
  }

  @Test
  void deletionsInABucketFollowTheGuards() throws IOException {
    tree();
    String target = "s3://" + bucket + "/media";
    assertThat(run(source.toString(), target).exitCode()).isZero();
    Path empty = Files.createDirectories(dir.resolve("empty-source"));

    Run refused = run(empty.toString(), target, "MAX_DELETE", "100%");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.GUARD_REFUSED.status());
    assertThat(keys("media/")).hasSize(4);

    Files.delete(source.resolve("a.txt"));
    Run allowed = run(source.toString(), target);
    assertThat(allowed.exitCode()).isZero();
    assertThat(keys("media/")).doesNotContain("media/a.txt").hasSize(3);
    assertThat(keys(".volume-replicator/")).hasSize(1);
  }

  @Test
  void theLegacyRclonePushGoesUnderTheDayOfTheWeek() throws IOException {
    tree();
    Run run =
        run(
            "", "",
            "REPLICATE_SOURCE", "",
            "REPLICATE_TARGET", "",
            "REPLICATE_DIRECTION", "BtoA",
            "VOLUME_B_DIR", source.toString(),
            "USE_RCLONE", "yes",
            "S3_BUCKET_NAME", bucket,
            "USE_DOW_FOR_RCLONE", "yes");
    assertThat(run.exitCode()).as(run.termination()).isZero();
    assertThat(keys("5-Friday/")).hasSize(4);
    assertThat(keys(".volume-replicator/"))
        .containsExactly(".volume-replicator/manifests/5-Friday/shard-0-of-1.tsv.gz");
  }

  @Test
  void aBucketRootTargetKeepsItsManifestOutOfTheSync() throws IOException {
    tree();
    String target = "s3://" + bucket;
    assertThat(run(source.toString(), target).exitCode()).isZero();
    Run again = run(source.toString(), target);
    assertThat(again.exitCode()).isZero();
    assertThat(again.metric("volume_replicator_last_run_deletions_planned")).isZero();
    assertThat(keys(""))
        .contains(".volume-replicator/manifests/_root/shard-0-of-1.tsv.gz")
        .hasSize(5);
    Path restored = dir.resolve("restored");
    assertThat(run(target, restored.toString()).exitCode()).isZero();
    assertThat(TreeSnapshot.of(restored, false).entries().keySet())
        .containsExactlyInAnyOrder(
            ".",
            "a.txt",
            "big.bin",
            "photos",
            "photos/2024",
            "photos/2024/b c.jpg",
            "ünï",
            "ünï/ç.txt");
  }
}
