package io.backupagents.replicator.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.backupagents.common.s3.RemoteObject;
import io.backupagents.common.s3.S3Store;
import io.backupagents.replicator.testing.Run;
import io.backupagents.replicator.testing.S3TestEndpoint;
import io.backupagents.replicator.testing.TreeSnapshot;
import io.backupagents.replicator.testing.TrickyTree;
import io.backupagents.testing.RequiredTool;
import io.backupagents.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buckets are interchangeable with the real rclone (Debian's package), both ways: what rclone
 * uploaded is not uploaded again, and after our run rclone finds nothing to do; each reads the
 * other's modification times. Files above 6 MiB go in parts on both sides, so rclone's md5chksum is
 * exercised too.
 */
class RcloneInteropTest {

  private static S3TestEndpoint s3;
  private static S3ProxyServer server;

  @TempDir Path dir;
  private Path source;
  private String bucket;

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
  void tree(TestInfo test) throws IOException {
    bucket = s3.newBucket("r-", test);
    source = dir.resolve("source");
    TrickyTree.file(source, "a.txt", "alpha", 0644, 1_354_040_105_123_456_789L);
    TrickyTree.file(source, "dir/with space/ünï.txt", "beta", 0644, 1_600_000_000_000_000_001L);
    for (int i = 0; i < 30; i++) {
      TrickyTree.file(source, "many/" + i, "file " + i, 0644, 1_600_000_000_000_000_000L + i);
    }
    byte[] big = new byte[9 * 1024 * 1024 + 3];
    new Random(5).nextBytes(big);
    Files.write(source.resolve("big.bin"), big);
    TrickyTree.times(source.resolve("big.bin"), 1_600_000_000_500_000_000L);
  }

  /** Runs rclone with a remote named "test" for the in-process endpoint; returns its output. */
  private static String rclone(String... args) throws Exception {
    Path rclone = RequiredTool.require("rclone");
    List<String> argv = new ArrayList<>(List.of(rclone.toString(), "--config", "/dev/null", "-v"));
    argv.addAll(List.of("--s3-upload-cutoff", "6M", "--s3-chunk-size", "5M"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("AWS_CA_BUNDLE"); // rclone 1.60 fails to start with it set
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

  private Run ours(String from, String to) {
    Map<String, String> env = new HashMap<>(server.agentEnvironment());
    env.put("REPLICATE_SOURCE", from);
    env.put("REPLICATE_TARGET", to);
    env.put("S3_MULTIPART_THRESHOLD", "6M");
    env.put("S3_PART_SIZE", "5M");
    return Run.of(dir, env);
  }

  private static void assertNothingToDo(String rcloneOutput) {
    assertThat(rcloneOutput)
        .contains("There was nothing to transfer")
        .doesNotContain("Copied")
        .doesNotContain("Updated modification time")
        .doesNotContain("Deleted");
  }

  @Test
  void aBucketRcloneFilledIsNotUploadedAgain() throws Exception {
    rclone("sync", source.toString(), "test:" + bucket + "/media");
    S3Store store = s3.store(bucket);
    RemoteObject big = store.head("media/big.bin").orElseThrow();
    assertThat(big.etag()).as("rclone uploaded it in parts").contains("-");

    Run run = ours(source.toString(), "s3://" + bucket + "/media");

    assertThat(run.exitCode()).isZero();
    assertThat(run.metric("volume_replicator_last_run_files_copied")).isZero();
    assertThat(run.metric("volume_replicator_last_run_files_unchanged")).isEqualTo(33);
    assertThat(store.head("media/big.bin").orElseThrow().etag()).isEqualTo(big.etag());
    assertNothingToDo(rclone("sync", source.toString(), "test:" + bucket + "/media"));
  }

  @Test
  void afterOurUploadRcloneFindsNothingToDoAndAgreesOnEveryChecksum() throws Exception {
    assertThat(ours(source.toString(), "s3://" + bucket + "/media").exitCode()).isZero();

    assertNothingToDo(rclone("sync", source.toString(), "test:" + bucket + "/media"));
    assertThat(rclone("check", source.toString(), "test:" + bucket + "/media"))
        .contains("0 differences found")
        .contains("33 matching files");
  }

  @Test
  void eachRestoresTheOthersModificationTimes() throws Exception {
    assertThat(ours(source.toString(), "s3://" + bucket + "/ours").exitCode()).isZero();
    rclone("sync", source.toString(), "test:" + bucket + "/theirs");

    Path byRclone = dir.resolve("restored-by-rclone");
    rclone("copy", "test:" + bucket + "/ours", byRclone.toString());
    Path byUs = dir.resolve("restored-by-us");
    assertThat(ours("s3://" + bucket + "/theirs", byUs.toString()).exitCode()).isZero();

    TreeSnapshot expected = TreeSnapshot.of(source, false);
    assertThat(TreeSnapshot.of(byRclone, false).without(".").differences(expected.without(".")))
        .isEmpty();
    assertThat(TreeSnapshot.of(byUs, false).without(".").differences(expected.without(".")))
        .isEmpty();
    assertNothingToDo(rclone("sync", "test:" + bucket + "/theirs", byUs.toString()));
  }
}
